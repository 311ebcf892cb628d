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

    /**
     * This error with the pinned {@code version} named in front of its detail ({@code version 7: not found ...}), so
     * every store's message names store, secret and version; this error itself when {@code version} is
     * {@code null} or already named.
     *
     * @since 0.2.0
     */
    public SecretNotFoundException namingVersion(String version) {
        String detail = detail();
        if (version == null || (detail != null && detail.contains(version))) {
            return this;
        }
        return new SecretNotFoundException(storeId(), secretName(), "version " + version + ": " + detail);
    }
}
