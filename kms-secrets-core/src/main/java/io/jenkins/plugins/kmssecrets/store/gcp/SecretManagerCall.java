package io.jenkins.plugins.kmssecrets.store.gcp;

/**
 * The Secret Manager API methods this store calls, with the IAM permission each needs, so that an access-denied
 * error can tell the operator exactly what to grant.
 */
enum SecretManagerCall {
    LIST_SECRETS("ListSecrets", "secretmanager.secrets.list", "roles/secretmanager.viewer"),
    GET_SECRET("GetSecret", "secretmanager.secrets.get", "roles/secretmanager.viewer"),
    GET_SECRET_VERSION("GetSecretVersion", "secretmanager.versions.get", "roles/secretmanager.viewer"),
    LIST_SECRET_VERSIONS("ListSecretVersions", "secretmanager.versions.list", "roles/secretmanager.viewer"),
    ACCESS_SECRET_VERSION("AccessSecretVersion", "secretmanager.versions.access",
            "roles/secretmanager.secretAccessor"),
    ADD_SECRET_VERSION("AddSecretVersion", "secretmanager.versions.add", "roles/secretmanager.secretVersionAdder"),
    DISABLE_SECRET_VERSION("DisableSecretVersion", "secretmanager.versions.disable",
            "roles/secretmanager.secretVersionManager"),
    /** Needs no permission: it answers which of the asked permissions the caller holds. */
    TEST_IAM_PERMISSIONS("TestIamPermissions", "no permission", "any role");

    private final String method;
    private final String permission;
    private final String role;

    SecretManagerCall(String method, String permission, String role) {
        this.method = method;
        this.permission = permission;
        this.role = role;
    }

    String method() {
        return method;
    }

    String permission() {
        return permission;
    }

    String role() {
        return role;
    }
}
