package io.jenkins.plugins.kmssecrets.store.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpResponse;
import com.azure.identity.CredentialUnavailableException;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.ConnectionFailure;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SignInFailedException;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.store.UntrustedCertificate;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs one Key Vault operation with bounded retries and maps its failure to the core error types.
 *
 * <p>Retried: 408, 429, 500, 502, 503, 504 and I/O failures (refused connections, timeouts). The wait honours
 * {@code Retry-After} (seconds or an HTTP date) and {@code x-ms-retry-after-ms}, otherwise grows exponentially from
 * {@link #BASE_DELAY}. Retries stop after {@code maxRetries}, or as soon as the next wait would take the waits of this
 * call past {@code maxRetryWait}; with per-request timeouts that bounds every call in count and time.
 *
 * <p>One sign-in and one bounded wait per store: the first call of a store runs alone (the others wait for it), so
 * the bearer challenge is answered and the token fetched once, and then shared by the calls that follow. When a call
 * ends because the vault or the identity endpoint cannot be reached, does not answer, keeps failing or refuses the
 * sign-in, that reason is remembered for {@link #OUTAGE_MEMORY}: calls waiting behind it, calls about to retry and
 * calls starting later fail at once with the same reason, each naming its own secret.
 *
 * <p>SDK exceptions are summarised, never chained: their messages carry the response body.
 */
final class KeyVaultCall {

    static final Duration BASE_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    /**
     * How long a store that could not be reached or could not sign in fails at once: long enough for the other
     * fetches of one run, short enough that a long-lived store (Jenkins) asks again soon after the backend is back.
     */
    static final Duration OUTAGE_MEMORY = Duration.ofSeconds(5);

    private final String storeId;
    private final AzureKeyVaultSettings settings;
    private final KeyVaultTransport transport;
    private final Clock clock;
    private final String trustRemedy;
    private final ReentrantLock firstCall = new ReentrantLock();
    private volatile boolean answered;
    private volatile Outage outage;

    KeyVaultCall(String storeId, AzureKeyVaultSettings settings, KeyVaultTransport transport, Clock clock) {
        this(storeId, settings, transport, clock, io.jenkins.plugins.kmssecrets.store.CaBundle.REMEDY_WITHOUT_BUNDLE);
    }

    /** {@code trustRemedy}: what an untrusted certificate tells to set ({@code caCertFile}, or the JVM's store). */
    KeyVaultCall(String storeId, AzureKeyVaultSettings settings, KeyVaultTransport transport, Clock clock,
            String trustRemedy) {
        this.trustRemedy = trustRemedy;
        this.storeId = storeId;
        this.settings = settings;
        this.transport = transport;
        this.clock = clock;
    }

    /** A failure that makes every call of the store fail: its type, its detail and until when it holds. */
    private record Outage(boolean signIn, String detail, Instant until) {

        SecretStoreException exception(String storeId, String secretName) {
            return signIn ? new SignInFailedException(storeId, secretName, detail)
                    : new StoreUnavailableException(storeId, secretName, detail);
        }
    }

    /**
     * Runs {@code operation}.
     *
     * @param secretName the secret concerned, or {@code null} for vault-wide calls
     * @param what       what the call does, for messages ({@code list secrets})
     * @param permission the data-plane permission the call needs, named when access is denied
     */
    <T> T run(String secretName, String what, Permission permission, Supplier<T> operation) {
        failIfOutage(secretName, null);
        if (!answered) {
            try {
                firstCall.lockInterruptibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException(storeId, secretName, "interrupted while waiting to " + what);
            }
            try {
                if (!answered) {
                    failIfOutage(secretName, null);
                    Outage before = outage;
                    try {
                        T result = attempts(secretName, what, permission, operation);
                        answered = true;
                        return result;
                    } catch (SecretStoreException e) {
                        if (outage == before) {
                            answered = true; // the vault answered (404, 403 ...): signed in
                        }
                        throw e;
                    }
                }
            } finally {
                firstCall.unlock();
            }
        }
        return attempts(secretName, what, permission, operation);
    }

    private void failIfOutage(String secretName, Outage seen) {
        Outage known = outage;
        if (known != null && known != seen && clock.instant().isBefore(known.until())) {
            throw known.exception(storeId, secretName);
        }
    }

    private SecretStoreException remember(SecretStoreException e, boolean signIn) {
        outage = new Outage(signIn, e.detail(), clock.instant().plus(OUTAGE_MEMORY));
        return e;
    }

    private java.util.function.LongSupplier bodyFailures = () -> 0;
    private Supplier<String> lastBodyFailure = () -> null;

    /**
     * Treats a call during which a response body of the store's HTTP client failed as failed (retried like an I/O
     * failure), whatever the SDK made of the body: it reads a cut list page as an empty one. A concurrent call's
     * failure can cause one needless retry, never a wrong answer.
     */
    void watchBodies(java.util.function.LongSupplier failures, Supplier<String> lastFailure) {
        this.bodyFailures = failures;
        this.lastBodyFailure = lastFailure;
    }

    private <T> T attempts(String secretName, String what, Permission permission, Supplier<T> operation) {
        Outage before = outage;
        Duration waited = Duration.ZERO;
        for (int attempt = 0; ; attempt++) {
            Failure failure;
            try {
                long bodiesFailed = bodyFailures.getAsLong();
                T result = operation.get();
                if (bodyFailures.getAsLong() == bodiesFailed) {
                    return result;
                }
                if (result instanceof io.jenkins.plugins.kmssecrets.store.SecretValue value) {
                    value.wipe();
                }
                String phrase = lastBodyFailure.get();
                failure = new Failure(0, true, null, phrase == null ? "a response body failed" : phrase, false);
            } catch (SecretStoreException e) {
                throw e;
            } catch (RuntimeException e) {
                if (UntrustedCertificate.isCause(e)) {
                    // A configuration error, not retried. A sign-in failure wraps the token endpoint's TLS failure;
                    // anything else is the vault's.
                    boolean signIn = hasCause(e, ClientAuthenticationException.class)
                            || hasCause(e, CredentialUnavailableException.class) || hasCause(e, SignInFailure.class);
                    throw UntrustedCertificate.misconfigured(storeId, secretName,
                            UntrustedCertificate.origin(signIn ? settings.authorityHost() : settings.vaultUrl()),
                            trustRemedy, e);
                }
                failure = classify(e);
                if (!failure.retryable) {
                    throw finalFailure(failure, secretName, what, permission, attempt + 1);
                }
            }
            Duration delay = failure.retryAfter != null ? failure.retryAfter : backoff(attempt);
            if (attempt >= settings.maxRetries() || waited.plus(delay).compareTo(settings.maxRetryWait()) > 0) {
                throw finalFailure(failure, secretName, what, permission, attempt + 1);
            }
            // Another call found the store down while this one was failing: do not wait for it again.
            failIfOutage(secretName, before);
            waited = waited.plus(delay);
            try {
                transport.pause(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException(storeId, secretName, "interrupted while waiting to retry " + what);
            }
        }
    }

    private SecretStoreException finalFailure(Failure failure, String secretName, String what,
            Permission permission, int attempts) {
        SecretStoreException e = map(failure, secretName, what, permission, attempts);
        if (failure.status == SIGN_IN || failure.status == -1) {
            return remember(e, true);
        }
        if (failure.retryable) {
            return remember(e, false); // unreachable, silent, or still throttling/failing after the retries
        }
        return e;
    }

    static Duration backoff(int attempt) {
        Duration delay = BASE_DELAY.multipliedBy(1L << Math.min(attempt, 16));
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }

    private static final int SIGN_IN = -2;

    /** What went wrong, without any text from the response body except Key Vault's error code when recognised. */
    private record Failure(int status, boolean retryable, Duration retryAfter, String kind, boolean disabled) {
    }

    private static Failure classify(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SignInFailure signIn) {
                return new Failure(SIGN_IN, false, null, signIn.getMessage(), false);
            }
        }
        if (e instanceof HttpResponseException http && http.getResponse() != null) {
            HttpResponse response = http.getResponse();
            int status = response.getStatusCode();
            boolean retryable = status == 408 || status == 429 || status == 500 || status == 502 || status == 503
                    || status == 504;
            // Reading the body's error code is safe: Key Vault error codes are identifiers, never values.
            boolean disabled = status == 403 && String.valueOf(http.getMessage()).contains("SecretDisabled");
            return new Failure(status, retryable, retryable ? retryAfter(response.getHeaders()) : null,
                    "HTTP " + status, disabled);
        }
        if (e instanceof CredentialUnavailableException || e instanceof ClientAuthenticationException) {
            return new Failure(-1, false, null, e.getClass().getSimpleName(), false);
        }
        if (hasCause(e, IOException.class) || hasCause(e, TimeoutException.class)) {
            return new Failure(0, true, null, ConnectionFailure.describe(e), false);
        }
        return new Failure(0, false, null, e.getClass().getSimpleName(), false);
    }

    private SecretStoreException map(Failure failure, String secretName, String what, Permission permission,
            int attempts) {
        String vault = settings.vaultUrl().getHost();
        return switch (failure.status) {
            case SIGN_IN -> new SignInFailedException(storeId, secretName, failure.kind);
            case -1 -> new SignInFailedException(storeId, secretName, "could not get a token for vault " + vault
                    + " with auth '" + settings.auth().setting() + "' (" + failure.kind + "); check the identity "
                    + "settings, see docs/stores/azure-key-vault.md");
            case 0 -> failure.retryable
                    ? new StoreUnavailableException(storeId, secretName, "could not " + what + " in vault " + vault
                            + " (" + failure.kind + ") after " + attempts + " attempt(s); try again later")
                    : new StoreUnavailableException(storeId, secretName, "could not " + what + " in vault " + vault
                            + " (" + failure.kind + ")");
            case 401 -> new AccessDeniedException(storeId, secretName, "vault " + vault + " rejected the token (401) "
                    + "to " + what + "; check tenantId and that the identity belongs to the vault's tenant");
            case 403 -> failure.disabled
                    ? new AccessDeniedException(storeId, secretName, "the secret is disabled in vault " + vault
                            + " (403 SecretDisabled); enable it or pin an enabled version")
                    : new AccessDeniedException(storeId, secretName, "the identity may not " + what + " in vault "
                            + vault + " (403); it needs the " + permission.describe());
            case 404 -> new SecretNotFoundException(storeId, secretName, "not found in vault " + vault);
            case 400 -> new InvalidInputException(storeId, secretName, "vault " + vault + " rejected the request to "
                    + what + " (400)");
            default -> new StoreUnavailableException(storeId, secretName, "vault " + vault + " answered "
                    + failure.status + " to " + what + (failure.retryable ? " after " + attempts + " attempt(s)" : "")
                    + "; try again later");
        };
    }

    static Duration retryAfter(HttpHeaders headers) {
        for (String name : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
            String ms = headers.getValue(name);
            if (ms != null) {
                try {
                    return Duration.ofMillis(Math.max(0, Long.parseLong(ms.trim())));
                } catch (NumberFormatException ignored) {
                    // fall through to the next header
                }
            }
        }
        String value = headers.getValue("Retry-After");
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The data-plane permission a call needs, in both authorisation models. */
    enum Permission {
        LIST("secrets/list", "Key Vault Reader"),
        GET("secrets/get", "Key Vault Secrets User"),
        SET("secrets/set", "Key Vault Secrets Officer");

        private final String accessPolicy;
        private final String role;

        Permission(String accessPolicy, String role) {
            this.accessPolicy = accessPolicy;
            this.role = role;
        }

        String describe() {
            return "'" + accessPolicy + "' permission (access policy) or the '" + role + "' role (Azure RBAC)";
        }
    }
}
