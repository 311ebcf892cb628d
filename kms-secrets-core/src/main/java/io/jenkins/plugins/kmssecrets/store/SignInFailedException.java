package io.jenkins.plugins.kmssecrets.store;

/**
 * The store could not sign in: its credentials were rejected (a wrong or revoked key, an unknown account), or the
 * identity provider (an OAuth token endpoint, a metadata server) could not be reached or did not answer in time. The
 * message names the store, the sign-in endpoint and the provider's own error code (such as {@code invalid_grant}),
 * never a credential. Not retryable as such: the credentials or the endpoint setting have to change.
 *
 * @since 0.2.0
 */
public class SignInFailedException extends SecretStoreException {

    private static final long serialVersionUID = 1L;

    /**
     * @param storeId    the store, or {@code null}
     * @param secretName the secret name, or {@code null}
     * @param detail     what happened and what to do; never a credential, a value or a raw response body
     */
    public SignInFailedException(String storeId, String secretName, String detail) {
        this(storeId, secretName, detail, null);
    }

    public SignInFailedException(String storeId, String secretName, String detail, Throwable cause) {
        super(storeId, secretName, join(storeId, secretName, detail), cause);
    }
}
