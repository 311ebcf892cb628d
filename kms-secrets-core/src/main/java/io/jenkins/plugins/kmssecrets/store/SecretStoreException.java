package io.jenkins.plugins.kmssecrets.store;

/**
 * Base of the fixed error hierarchy. Callers decide by type, never by parsing messages:
 * <ul>
 *   <li>{@link SecretNotFoundException}: the store has no such secret (or version, or property);</li>
 *   <li>{@link AccessDeniedException}: the identity may not perform the call;</li>
 *   <li>{@link StoreUnavailableException}: the backend could not be reached or answered with a transient error
 *       (retryable);</li>
 *   <li>{@link InvalidInputException}: malformed reference, file or response (including tampered files);</li>
 *   <li>{@link MisconfiguredException}: the store or its credentials are configured wrongly (unknown store id,
 *       missing key, wrong key).</li>
 *   <li>{@link SignInFailedException}: the store could not sign in (credentials rejected, identity provider
 *       unreachable or silent).</li>
 * </ul>
 * Messages are one line, name the store and the secret, and never contain a value or a raw response body.
 *
 * @since 0.1.0
 */
public abstract class SecretStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String storeId;
    private final String secretName;

    protected SecretStoreException(String storeId, String secretName, String message, Throwable cause) {
        super(message, cause);
        this.storeId = storeId;
        this.secretName = secretName;
    }

    /** The store the error concerns, or {@code null}. */
    public String storeId() {
        return storeId;
    }

    /** The secret name the error concerns, or {@code null}. */
    public String secretName() {
        return secretName;
    }

    /** The message without its {@code store '…', secret '…': } prefix: what happened and what to do. */
    public String detail() {
        String message = getMessage();
        String prefix = subject(storeId, secretName) + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** Whether repeating the same call later may succeed. */
    public boolean isRetryable() {
        return false;
    }

    /** {@code store 'id'} or {@code store 'id', secret 'name'}: the prefix every message starts with. */
    protected static String subject(String storeId, String secretName) {
        StringBuilder sb = new StringBuilder();
        if (storeId != null) {
            sb.append("store '").append(storeId).append('\'');
        }
        if (secretName != null) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append("secret '").append(secretName).append('\'');
        }
        return sb.toString();
    }

    protected static String join(String storeId, String secretName, String detail) {
        String subject = subject(storeId, secretName);
        return subject.isEmpty() ? detail : subject + ": " + detail;
    }
}
