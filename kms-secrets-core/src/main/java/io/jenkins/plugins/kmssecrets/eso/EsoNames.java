package io.jenkins.plugins.kmssecrets.eso;

import java.util.regex.Pattern;

/**
 * The name rules ESO and Kubernetes apply to ExternalSecrets: RFC 1123 names, the {@code secretKey} pattern and the
 * vocabularies of the policy fields.
 *
 * @since 0.1.0
 */
public final class EsoNames {

    /** RFC 1123 subdomain: resource names such as ExternalSecrets, Secrets and stores. */
    public static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** RFC 1123 label: namespaces and label values such as the app name. */
    public static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** Keys of a Kubernetes Secret ({@code spec.data[].secretKey}). */
    public static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    /** The API version ESO serves. */
    public static final String API_VERSION = "external-secrets.io/v1";
    /** The API version current ESO releases no longer serve. */
    public static final String API_VERSION_V1BETA1 = "external-secrets.io/v1beta1";
    /** The kind. */
    public static final String KIND = "ExternalSecret";

    /** Label marking resources written by kms-secrets. */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    /** Value of {@link #MANAGED_BY_LABEL}. */
    public static final String MANAGED_BY = "kms-secrets";
    /** Label naming the app a resource belongs to. */
    public static final String APP_LABEL = "kms-secrets.io/app";
    /** Annotation naming the kms-secrets store id the keys come from (used by {@code --check-remote}). */
    public static final String STORE_ANNOTATION = "kms-secrets.io/store";
    /** Annotation ESO watches to refresh an ExternalSecret at once. */
    public static final String FORCE_SYNC_ANNOTATION = "force-sync";
    /** Label ESO puts on the Secrets it manages. */
    public static final String ESO_MANAGED_LABEL = "reconcile.external-secrets.io/managed";

    private EsoNames() {
    }

    /** Whether {@code name} is an RFC 1123 subdomain of at most 253 characters. */
    public static boolean isResourceName(String name) {
        return name != null && name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches();
    }

    /** Whether {@code name} is an RFC 1123 label of at most 63 characters. */
    public static boolean isLabel(String name) {
        return name != null && name.length() <= 63 && DNS_LABEL.matcher(name).matches();
    }

    /** Whether {@code key} may be a key of a Kubernetes Secret. */
    public static boolean isSecretKey(String key) {
        return key != null && key.length() <= 253 && SECRET_KEY.matcher(key).matches();
    }
}
