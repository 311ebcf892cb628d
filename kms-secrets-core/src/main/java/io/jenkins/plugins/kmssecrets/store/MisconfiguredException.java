package io.jenkins.plugins.kmssecrets.store;

/**
 * The store or its credentials are configured wrongly: unknown store id, missing or wrong key, bad setting.
 *
 * @since 0.1.0
 */
public class MisconfiguredException extends SecretStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * @param storeId    the store, or {@code null}
     * @param secretName the secret name, or {@code null}
     * @param detail     what happened and what to do; never a value or a raw response body
     */
    public MisconfiguredException(String storeId, String secretName, String detail) {
        this(storeId, secretName, detail, null);
    }

    public MisconfiguredException(String storeId, String secretName, String detail, Throwable cause) {
        super(storeId, secretName, join(storeId, secretName, detail), cause);
    }
}
