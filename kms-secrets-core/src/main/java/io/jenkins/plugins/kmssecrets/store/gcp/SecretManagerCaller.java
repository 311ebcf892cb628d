package io.jenkins.plugins.kmssecrets.store.gcp;

import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ErrorDetails;
import com.google.api.gax.rpc.StatusCode;
import com.google.rpc.RetryInfo;
import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SignInFailedException;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Runs the store's API calls: signs in first (bounded), makes one attempt per client call (the client's own retries
 * are off), retries {@code UNAVAILABLE} and {@code RESOURCE_EXHAUSTED} answers itself with exponential back-off,
 * waiting at least what the server asks for ({@code Retry-After} header or {@code RetryInfo} detail), and remembers an
 * outage: after a call failed because the endpoint could not be reached, did not answer, refused the sign-in or kept
 * answering 503, other calls of the store fail at once with the same reason for {@link #OUTAGE_MEMORY}, so a store that
 * is down costs one bounded wait per run, not one per secret.
 */
final class SecretManagerCaller {

    /**
     * How long a connection, time-out or sign-in failure is remembered: long enough for the other fetches of one
     * run, short enough that a long-lived store (Jenkins) asks again soon after the backend is back.
     */
    static final Duration OUTAGE_MEMORY = Duration.ofSeconds(5);
    /** A server asking for a longer pause than this is not waited for: the call fails saying when to retry. */
    static final Duration MAX_SERVER_DELAY = Duration.ofSeconds(60);
    /** How much longer than the client's own deadline the watcher waits for a request. */
    static final Duration WATCH_GRACE = Duration.ofMillis(250);
    /** Threads that run calls under watch; daemon, at most 32 (then calls run unwatched on the caller's thread). */
    private static final java.util.concurrent.ExecutorService WATCHERS = new java.util.concurrent.ThreadPoolExecutor(
            0, 32, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread thread = new Thread(r, "kms-secrets-gsm-call");
                thread.setDaemon(true);
                return thread;
            });

    private static final Set<StatusCode.Code> RETRYABLE =
            Set.of(StatusCode.Code.UNAVAILABLE, StatusCode.Code.RESOURCE_EXHAUSTED);

    /** Waits between attempts; replaceable so tests can record the pauses instead of taking them. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final String storeId;
    private final String endpoint;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Duration timeout;
    private final Sleeper sleeper;
    private final Clock clock;
    private volatile Outage outage;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

    SecretManagerCaller(String storeId, String endpoint, int maxAttempts, Duration retryDelay, Duration timeout,
            Sleeper sleeper, Clock clock) {
        this.storeId = storeId;
        this.endpoint = endpoint;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
        this.timeout = timeout;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /**
     * Runs {@code body} for the secret {@code name} (or {@code null}).
     *
     * @param signIn    the store's credentials, or {@code null} when it sends none
     * @param onFailure turns an answer that is neither retryable nor an outage into the store's error
     */
    <T> T run(String name, SecretManagerCall call, SignInCredentials signIn, Supplier<T> body,
            Function<ApiException, SecretStoreException> onFailure) {
        Outage known = outage;
        if (known != null && clock.instant().isBefore(known.until())) {
            throw known.failure(storeId, name);
        }
        if (signIn != null) {
            try {
                signIn.signIn();
            } catch (SignInCredentials.SignInIOException e) {
                throw remember(Outage.signIn(e.getMessage(), clock.instant()), name);
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                requests.incrementAndGet();
                T result = watched(body, name);
                outage = null;
                if (signIn != null) {
                    signIn.accepted();
                }
                return result;
            } catch (ApiException e) {
                SignInCredentials.SignInIOException signInFailure = find(e, SignInCredentials.SignInIOException.class);
                if (signInFailure != null) {
                    throw remember(Outage.signIn(signInFailure.getMessage(), clock.instant()), name);
                }
                StatusCode.Code code = e.getStatusCode().getCode();
                if (code == StatusCode.Code.UNAUTHENTICATED) {
                    String detail = call.method() + " was refused with UNAUTHENTICATED (HTTP 401) by " + endpoint
                            + (signIn != null && signIn.reauthenticationRefused()
                            ? " after one re-authentication" : "")
                            + (signIn != null ? "; the access token from " + signIn.endpoint() + " is not accepted"
                            : "; the request carried no credentials")
                            + ": check credentialsFile, credentialsJsonEnv or Application Default Credentials";
                    throw remember(Outage.signIn(detail, clock.instant()), name);
                }
                if (code == StatusCode.Code.DEADLINE_EXCEEDED) {
                    throw remember(Outage.unavailable("no answer from " + endpoint + " within "
                            + GoogleSecretManagerStore.text(timeout) + " (setting 'timeout')", clock.instant()), name);
                }
                String connection = connectionFailure(e);
                if (connection != null) {
                    throw remember(Outage.unavailable("cannot connect to " + endpoint + ": "
                            + connection + "; check the endpoint setting and the network", clock.instant()), name);
                }
                SSLException tls = find(e, SSLException.class);
                if (tls != null) {
                    throw new MisconfiguredException(storeId, name, call.method() + ": TLS with " + endpoint
                            + " failed (" + tls.getClass().getSimpleName() + "); check the endpoint and the trust "
                            + "store");
                }
                if (!RETRYABLE.contains(code)) {
                    throw onFailure.apply(e);
                }
                Duration asked = serverDelay(e);
                String tried = attempt == 1 ? "" : " after " + attempt + " attempts";
                if (asked != null && asked.compareTo(MAX_SERVER_DELAY) > 0) {
                    throw remember(Outage.unavailable(call.method() + " failed with " + code + tried
                            + "; the service asks to retry after " + GoogleSecretManagerStore.text(asked),
                            clock.instant()), name);
                }
                if (attempt >= maxAttempts) {
                    throw remember(Outage.unavailable(call.method() + " failed with " + code + tried
                            + "; try again later", clock.instant()), name);
                }
                Duration backOff = retryDelay.multipliedBy(1L << Math.min(attempt - 1, 3));
                pause(asked != null && asked.compareTo(backOff) > 0 ? asked : backOff, name);
            }
        }
    }

    /**
     * Runs {@code body} on a watcher's thread and waits at most {@code timeout} (plus a grace, so that the client's
     * own deadline speaks first) for each request it sends: the client's deadline ends a call that gets no answer,
     * but not a body that keeps arriving slowly (one byte a second kept a call open for minutes). A later list page
     * restarts the wait. The abandoned request is cancelled; its thread ends when the connection does.
     */
    private <T> T watched(Supplier<T> body, String name) {
        // The request is sent from the watcher's thread: it carries the caller's audit context from here.
        AuditContext caller = AuditContext.scoped() ? AuditContext.current() : null;
        Supplier<T> task = caller == null ? body : () -> caller.call(body);
        java.util.concurrent.CompletableFuture<T> future;
        try {
            future = java.util.concurrent.CompletableFuture.supplyAsync(task, WATCHERS);
        } catch (java.util.concurrent.RejectedExecutionException busy) {
            return body.get(); // every watcher busy: run here, bounded by the client's deadline only
        }
        long seen = requests.get();
        long limit = timeout.plus(WATCH_GRACE).toNanos();
        long deadline = System.nanoTime() + limit;
        while (true) {
            try {
                return future.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                long now = requests.get();
                if (now != seen) {
                    seen = now;
                    deadline = System.nanoTime() + limit;
                    continue;
                }
                future.cancel(true);
                throw remember(Outage.unavailable("body timed out after " + GoogleSecretManagerStore.text(timeout)
                        + " (setting 'timeout'): " + endpoint + " sent its answer too slowly", clock.instant()), name);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(cause);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException(storeId, name, "interrupted while calling " + endpoint);
            }
        }
    }

    /** HTTP requests sent to the API: one per attempt, plus {@link #countExtraRequest()}s. */
    long requests() {
        return requests.get();
    }

    /** One more request inside an attempt (a further list page). */
    void countExtraRequest() {
        requests.incrementAndGet();
    }

    private void pause(Duration delay, String name) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(storeId, name, "interrupted while waiting to retry");
        }
    }

    private SecretStoreException remember(Outage failure, String name) {
        outage = failure;
        return failure.failure(storeId, name);
    }

    /** What the server asked for: {@code RetryInfo.retryDelay} in the error body, else the {@code Retry-After} header. */
    private Duration serverDelay(ApiException e) {
        ErrorDetails details = e.getErrorDetails();
        RetryInfo info = details == null ? null : details.getRetryInfo();
        if (info != null && info.hasRetryDelay()) {
            return Duration.ofSeconds(info.getRetryDelay().getSeconds(), info.getRetryDelay().getNanos());
        }
        HttpResponseException http = find(e, HttpResponseException.class);
        String header = http == null ? null : http.getHeaders().getRetryAfter();
        return header == null ? null : retryAfter(header.trim(), clock.instant());
    }

    /** {@code Retry-After} as seconds or as an HTTP date; {@code null} when neither. */
    static Duration retryAfter(String header, Instant now) {
        try {
            long seconds = Long.parseLong(header);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now,
                        ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String connectionFailure(Throwable e) {
        if (find(e, UnknownHostException.class) != null) {
            return "host not found";
        }
        if (find(e, HttpConnectTimeoutException.class) != null) {
            return "connection timed out";
        }
        if (find(e, ConnectException.class) != null || find(e, NoRouteToHostException.class) != null) {
            return "connection refused";
        }
        return null;
    }

    private static <E extends Throwable> E find(Throwable e, Class<E> type) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** A failure that other calls of the store repeat, each for its own secret, until {@code until}. */
    private record Outage(boolean signIn, String detail, Instant until) {

        static Outage signIn(String detail, Instant now) {
            return new Outage(true, detail, now.plus(OUTAGE_MEMORY));
        }

        static Outage unavailable(String detail, Instant now) {
            return new Outage(false, detail, now.plus(OUTAGE_MEMORY));
        }

        SecretStoreException failure(String storeId, String name) {
            return signIn ? new SignInFailedException(storeId, name, detail)
                    : new StoreUnavailableException(storeId, name, detail);
        }
    }
}
