package io.jenkins.plugins.kmssecrets.store;

/**
 * Whether the store's identity may read a secret's value, as the backend answers without serving it
 * ({@link SecretStore#readAccess}).
 *
 * @since 0.2.0
 */
public enum ReadAccess {
    /** The backend says the value may be read. */
    READABLE("yes"),
    /** The backend says the value may not be read: {@code exec} would fail. */
    NOT_READABLE("no"),
    /** The backend has no way to ask (Azure Key Vault), or the question could not be asked. */
    NOT_VERIFIED("not verified");

    private final String label;

    ReadAccess(String label) {
        this.label = label;
    }

    /** {@code yes}, {@code no} or {@code not verified}: what tables and JSON show. */
    public String label() {
        return label;
    }
}
