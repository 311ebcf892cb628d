package io.jenkins.plugins.kmssecrets.store;

/**
 * The backend could not be reached or answered with a transient error; retrying later may succeed.
 *
 * @since 0.1.0
 */
public class StoreUnavailableException extends SecretStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * @param storeId    the store, or {@code null}
     * @param secretName the secret name, or {@code null}
     * @param detail     what happened and what to do; never a value or a raw response body
     */
    public StoreUnavailableException(String storeId, String secretName, String detail) {
        this(storeId, secretName, detail, null);
    }

    public StoreUnavailableException(String storeId, String secretName, String detail, Throwable cause) {
        super(storeId, secretName, join(storeId, secretName, detail), cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
