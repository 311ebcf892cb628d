package io.jenkins.plugins.kmssecrets.store;

/**
 * The store has no such secret, version or property.
 *
 * @since 0.1.0
 */
public class SecretNotFoundException extends SecretStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * @param storeId    the store, or {@code null}
     * @param secretName the secret name, or {@code null}
     * @param detail     what happened and what to do; never a value or a raw response body
     */
    public SecretNotFoundException(String storeId, String secretName, String detail) {
        this(storeId, secretName, detail, null);
    }

    public SecretNotFoundException(String storeId, String secretName, String detail, Throwable cause) {
        super(storeId, secretName, join(storeId, secretName, detail), cause);
    }
}
