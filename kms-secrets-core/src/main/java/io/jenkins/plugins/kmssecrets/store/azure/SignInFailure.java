package io.jenkins.plugins.kmssecrets.store.azure;

/**
 * A token could not be had. Thrown by {@link SignInCredential} through the SDK's pipeline and turned by
 * {@link KeyVaultCall} into a {@link io.jenkins.plugins.kmssecrets.store.SignInFailedException} naming the secret.
 * The detail is composed by this package from identifiers only (auth mode, client id, endpoint, error code), never
 * from a response body or a credential.
 */
final class SignInFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SignInFailure(String detail) {
        super(detail, null, false, false);
    }

    /**
     * A sign-in that failed because the endpoint's certificate was rejected: {@code certificateFailure} (the JDK's
     * TLS exception, which names no value) is kept as the cause so that the store reports the configuration error
     * ({@link io.jenkins.plugins.kmssecrets.store.UntrustedCertificate}) instead of this message.
     */
    SignInFailure(String detail, Throwable certificateFailure) {
        super(detail, certificateFailure, false, false);
    }
}
