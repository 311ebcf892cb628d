package io.jenkins.plugins.kmssecrets.store.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.auth.Credentials;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.auth.oauth2.OAuth2Credentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import io.jenkins.plugins.kmssecrets.store.UntrustedCertificate;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The store's OAuth credentials as the client sees them: the Google credentials, with three rules added.
 * <ul>
 *   <li>Signing in (a request to the token endpoint or metadata server) is bounded by the store's timeout, however
 *       long the endpoint keeps the connection open; a service-account key signs in with a single request.</li>
 *   <li>A failed sign-in becomes a {@link SignInIOException} whose message names the sign-in endpoint, the account
 *       and the OAuth error code ({@code invalid_grant}), never the key, an assertion or a token.</li>
 *   <li>A 401 from the API triggers at most one re-authentication: the HTTP layer beneath the client asks for a new
 *       token on every 401 (ten times per call by default); the second request for the same rejected token is
 *       refused, so the call fails as a sign-in failure.</li>
 * </ul>
 */
final class SignInCredentials extends Credentials {

    private static final long serialVersionUID = 1L;
    private static final Pattern OAUTH_ERROR = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern SAFE_DESCRIPTION = Pattern.compile("[A-Za-z0-9 _.,:;'()/-]{1,160}");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than the library's own margins (it refreshes 3 to 5 minutes before expiry). */
    private static final Duration FRESH_FOR = Duration.ofMinutes(10);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService SIGN_IN = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "kms-secrets-gsm-sign-in-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    /**
     * The adapter logs a refused refresh at SEVERE with a stack trace; the refusal is reported as a sign-in failure
     * instead. Held in a field because java.util.logging keeps loggers only weakly.
     */
    private static final Logger ADAPTER_LOG = quiet("com.google.auth.http.HttpCredentialsAdapter");

    private final transient OAuth2Credentials delegate;
    private final String endpoint;
    private final String account;
    private final Duration timeout;
    private String trustRemedy;
    private final transient ThreadLocal<String> tokenUsed = new ThreadLocal<>();
    private String lastForcedToken;
    /**
     * One sign-in at a time: concurrent calls wait for it instead of each asking for a token, and a failure is the
     * answer for the calls that waited (and for {@link SecretManagerCaller#OUTAGE_MEMORY}), not a reason to try again.
     */
    private final transient Object signInLock = new Object();
    private String lastFailure;
    private long lastFailureAt;
    private final java.util.concurrent.atomic.AtomicLong signIns = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong resent = new java.util.concurrent.atomic.AtomicLong();
    private boolean refused;

    private SignInCredentials(OAuth2Credentials delegate, Duration timeout) {
        this.delegate = delegate;
        this.endpoint = endpointOf(delegate);
        this.account = accountOf(delegate);
        this.timeout = timeout;
    }

    /**
     * {@code credentials} with the rules above when they sign in with OAuth; others (or none) as they are. A
     * service-account key signs in with one request: the library would otherwise retry an unreachable token endpoint
     * three times with growing pauses (about 7 s) before saying so.
     */
    static Credentials wrap(Credentials credentials, Duration timeout) {
        return wrap(credentials, timeout, null);
    }

    /**
     * As {@link #wrap(Credentials, Duration)}; {@code trustRemedy} ({@code caCertFile (now <file>)}) is named when
     * the sign-in endpoint's certificate is not trusted.
     */
    static Credentials wrap(Credentials credentials, Duration timeout, String trustRemedy) {
        SignInCredentials wrapped;
        if (credentials instanceof ServiceAccountCredentials key) {
            wrapped = new SignInCredentials(key.toBuilder().setDefaultRetriesEnabled(false).build(), timeout);
        } else if (credentials instanceof OAuth2Credentials oauth) {
            wrapped = new SignInCredentials(oauth, timeout);
        } else {
            return credentials;
        }
        wrapped.trustRemedy = trustRemedy;
        return wrapped;
    }

    /** Where this identity signs in, for messages: {@code the token endpoint https://…}. */
    String endpoint() {
        return endpoint;
    }

    /**
     * Obtains a token unless a valid one is held, within the timeout.
     *
     * @throws SignInIOException when signing in failed or did not finish in time
     */
    void signIn() throws SignInIOException {
        if (holdsFreshToken()) {
            return;
        }
        synchronized (signInLock) {
            if (holdsFreshToken()) {
                return;
            }
            if (lastFailure != null
                    && System.nanoTime() - lastFailureAt < SecretManagerCaller.OUTAGE_MEMORY.toNanos()) {
                // a call that was signing in when this one started has failed: the same answer, without a second try
                throw new SignInIOException(lastFailure);
            }
            signIns.incrementAndGet();
            try {
                bounded(() -> {
                    delegate.refreshIfExpired();
                    return null;
                });
                lastFailure = null;
            } catch (SignInIOException e) {
                lastFailure = e.getMessage();
                lastFailureAt = System.nanoTime();
                throw e;
            }
        }
    }

    /** Whether a 401 answer was met by a refused re-authentication since the last {@link #accepted()}. */
    synchronized boolean reauthenticationRefused() {
        return refused;
    }

    /** Requests for a token: sign-ins and re-authentications (concurrent callers share one). */
    long signIns() {
        return signIns.get();
    }

    /** API requests the HTTP layer sent again after a re-authentication. */
    long resent() {
        return resent.get();
    }

    /** An API call succeeded with the current token: a later 401 may trigger one re-authentication again. */
    synchronized void accepted() {
        lastForcedToken = null;
        refused = false;
    }

    @Override
    public String getAuthenticationType() {
        return delegate.getAuthenticationType();
    }

    @Override
    public String getUniverseDomain() throws IOException {
        return delegate.getUniverseDomain();
    }

    @Override
    public Map<String, List<String>> getRequestMetadata(URI uri) throws IOException {
        Map<String, List<String>> metadata = holdsFreshToken() ? delegate.getRequestMetadata(uri)
                : bounded(() -> delegate.getRequestMetadata(uri));
        AccessToken token = delegate.getAccessToken();
        tokenUsed.set(token == null ? null : token.getTokenValue());
        return metadata;
    }

    @Override
    public boolean hasRequestMetadata() {
        return delegate.hasRequestMetadata();
    }

    @Override
    public boolean hasRequestMetadataOnly() {
        return delegate.hasRequestMetadataOnly();
    }

    /**
     * Called by the HTTP layer on a 401. Fetches one new token; when another call already did since this thread's
     * request was sent, lets it retry with that one; refuses when the token just rejected was itself a fresh one.
     */
    @Override
    public synchronized void refresh() throws IOException {
        String used = tokenUsed.get();
        AccessToken current = delegate.getAccessToken();
        String currentValue = current == null ? null : current.getTokenValue();
        if (used != null && currentValue != null && !used.equals(currentValue)) {
            return;
        }
        if (lastForcedToken != null && lastForcedToken.equals(used)) {
            refused = true;
            throw new SignInIOException("the API rejected a freshly issued access token");
        }
        signIns.incrementAndGet();
        bounded(() -> {
            delegate.refresh();
            return null;
        });
        resent.incrementAndGet();
        AccessToken fresh = delegate.getAccessToken();
        lastForcedToken = fresh == null ? null : fresh.getTokenValue();
    }

    /** A token that stays valid for more than the library's refresh margins: using it makes no request. */
    private boolean holdsFreshToken() {
        AccessToken token = delegate.getAccessToken();
        return token != null && token.getExpirationTime() != null
                && token.getExpirationTime().getTime() - System.currentTimeMillis() > FRESH_FOR.toMillis();
    }

    @Override
    public String toString() {
        return "SignInCredentials[" + endpoint + "]";
    }

    private interface SignInCall<T> {
        T call() throws IOException;
    }

    private <T> T bounded(SignInCall<T> call) throws SignInIOException {
        CompletableFuture<T> future = CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, SIGN_IN);
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new SignInIOException(endpoint + " did not answer within " + GoogleSecretManagerStore.text(timeout)
                    + " (setting 'timeout')");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignInIOException("interrupted while signing in at " + endpoint);
        } catch (ExecutionException e) {
            throw new SignInIOException(describe(e.getCause()));
        }
    }

    /** One line about a failed sign-in: the endpoint, the account, the HTTP status and the OAuth error code. */
    private String describe(Throwable failure) {
        if (failure instanceof SignInIOException signIn) {
            return signIn.getMessage();
        }
        String who = account == null ? "" : " of " + account;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpResponseException http) {
                return endpoint + " rejected the sign-in" + who + ": HTTP " + http.getStatusCode()
                        + oauthError(http.getContent()) + "; " + (delegate instanceof UserCredentials
                        && http.getStatusCode() >= 400 && http.getStatusCode() < 500
                        ? "the gcloud sign-in has expired or was revoked; run '"
                        + ApplicationDefaultCredentialsFile.LOGIN_COMMAND + "' again"
                        : advice(http.getStatusCode()));
            }
            if (t instanceof UnknownHostException) {
                return "cannot reach " + endpoint + ": host not found";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "cannot reach " + endpoint + ": connection refused";
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return endpoint + " did not answer in time";
            }
            // HttpURLConnection's words for a proxy that refused the tunnel (its status line, not the answer's body)
            if (t instanceof java.io.IOException && t.getMessage() != null
                    && t.getMessage().startsWith("Unable to tunnel through proxy") && t.getMessage().contains(" 407")) {
                return "cannot reach " + endpoint + ": the proxy answered HTTP 407 (proxy authentication required); "
                        + "check proxyUser and its password; Basic proxy authentication for https needs the JVM "
                        + "option -Djdk.http.auth.tunneling.disabledSchemes= (empty)";
            }
            if (t instanceof SSLException && UntrustedCertificate.isCause(failure)) {
                return "TLS with " + endpoint + " failed: its certificate is not trusted; set " + (trustRemedy != null
                        ? trustRemedy : io.jenkins.plugins.kmssecrets.store.CaBundle.REMEDY_WITHOUT_BUNDLE)
                        + " to the CA certificate that issued it";
            }
            if (t instanceof SSLException) {
                return "TLS with " + endpoint + " failed (" + t.getClass().getSimpleName() + "); check the trust store";
            }
        }
        // The library's own messages may quote a response; the type is enough to go on.
        return "signing in" + who + " at " + endpoint + " failed (" + failure.getClass().getSimpleName() + ")";
    }

    private static String advice(int status) {
        return status == 400 || status == 401 || status == 403
                ? "the key is wrong, revoked or deleted, or the account does not exist or is disabled"
                : "the sign-in service answered with an error; try again later";
    }

    /** {@code , invalid_grant (Invalid JWT Signature.)} from an OAuth error body, or empty. */
    private static String oauthError(String content) {
        if (content == null || content.isBlank()) {
            return "";
        }
        try {
            JsonNode body = JSON.readTree(content);
            JsonNode error = body.path("error");
            String code = error.isTextual() ? error.asText() : error.path("status").asText(null);
            String description = body.path("error_description").isTextual()
                    ? body.path("error_description").asText() : error.path("message").asText(null);
            if (code == null || !OAUTH_ERROR.matcher(code).matches()) {
                return "";
            }
            boolean safe = description != null && SAFE_DESCRIPTION.matcher(description).matches();
            return ", " + code + (safe ? " (" + description + ")" : "");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String endpointOf(OAuth2Credentials credentials) {
        if (credentials instanceof ServiceAccountCredentials sa && sa.getTokenServerUri() != null) {
            return "the token endpoint " + sa.getTokenServerUri();
        }
        if (credentials instanceof ExternalAccountCredentials external && external.getTokenUrl() != null) {
            return "the token exchange endpoint " + external.getTokenUrl();
        }
        if (credentials instanceof ComputeEngineCredentials) {
            return "the metadata server";
        }
        if (credentials instanceof ImpersonatedCredentials) {
            return "the IAM credentials endpoint";
        }
        if (credentials instanceof UserCredentials) {
            return "the OAuth token endpoint";
        }
        return "the sign-in endpoint of " + credentials.getClass().getSimpleName();
    }

    private static String accountOf(OAuth2Credentials credentials) {
        return credentials instanceof ServiceAccountCredentials sa ? sa.getClientEmail() : null;
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.OFF);
        return logger;
    }

    /** A failed sign-in, with a message fit for users: endpoint, account, status, OAuth error code. */
    static final class SignInIOException extends IOException {

        private static final long serialVersionUID = 1L;

        SignInIOException(String message) {
            super(message);
        }
    }
}
