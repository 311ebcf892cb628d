package io.jenkins.plugins.kmssecrets.store;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK {@link HttpClient} whose every request is bounded in each phase by {@link NetworkLimits}, and whose timeouts
 * are {@link PhaseTimeoutException}s naming the phase, the limit and the setting. The JDK client bounds the connect
 * (TLS handshake included) and the response headers, but nothing ends a body that stalls after the headers; this
 * client cancels such a body at its deadline. Streaming requests ({@code watch=true}) have no body deadline.
 *
 * <p>Used by every store and cluster client built on the JDK client (Vault, Azure Key Vault, fabric8): pass
 * {@link #builder(HttpClient.Builder, NetworkLimits)} where a {@link HttpClient.Builder} is expected.
 *
 * @since 0.3.0
 */
public final class BoundedHttpClient extends HttpClient {

    /** One daemon thread for every body deadline of the process; its tasks only cancel and complete futures. */
    private static final ScheduledExecutorService TIMER = timer();

    private final HttpClient delegate;
    private final NetworkLimits limits;
    private final HandshakeTracker handshakes;
    private final java.util.concurrent.atomic.AtomicLong bodyFailures = new java.util.concurrent.atomic.AtomicLong();
    private volatile String lastBodyFailure;

    private BoundedHttpClient(HttpClient delegate, NetworkLimits limits, HandshakeTracker handshakes) {
        this.delegate = delegate;
        this.limits = limits;
        this.handshakes = handshakes;
    }

    /**
     * A builder that configures {@code delegate} and wraps what it builds. Its connect timeout is {@code limits}'
     * connect plus handshake limits (the JDK counts the handshake as part of the connect), whatever is set on it.
     */
    public static Builder builder(HttpClient.Builder delegate, NetworkLimits limits) {
        return new Builder(delegate, limits);
    }

    /**
     * Response bodies of this client that failed (cut, reset, or past the body limit) so far. A caller whose library
     * may read a failed body as an empty one (the Azure SDK's listing does) compares this count around a call.
     */
    public long bodyFailures() {
        return bodyFailures.get();
    }

    /** A fixed phrase for the last body failure ({@link ConnectionFailure#describe}), or {@code null}. */
    public String lastBodyFailure() {
        return lastBodyFailure;
    }

    private void bodyFailed(Throwable failure) {
        lastBodyFailure = ConnectionFailure.describe(failure);
        bodyFailures.incrementAndGet();
    }

    /** The limits every request of this client is bounded by. */
    public NetworkLimits limits() {
        return limits;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<T>> future = sendAsync(request, handler);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        return sendAsync(request, handler, null);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        HttpRequest bounded = request;
        Duration asked = request.timeout().orElse(null);
        if (asked == null || asked.compareTo(limits.response()) > 0) {
            bounded = HttpRequest.newBuilder(request, (name, value) -> true).timeout(limits.response()).build();
        }
        boolean streaming = String.valueOf(request.uri().getRawQuery()).contains("watch=true");
        AtomicBoolean headers = new AtomicBoolean();
        HttpResponse.BodyHandler<T> watched = info -> {
            headers.set(true);
            HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
            return streaming ? subscriber : new DeadlineSubscriber<>(subscriber, limits, this::bodyFailed);
        };
        String host = request.uri().getHost();
        int port = request.uri().getPort();
        CompletableFuture<HttpResponse<T>> sent = pushPromiseHandler == null ? delegate.sendAsync(bounded, watched)
                : delegate.sendAsync(bounded, watched, pushPromiseHandler);
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                sent.cancel(mayInterruptIfRunning);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        sent.whenComplete((response, failure) -> {
            if (failure == null) {
                result.complete(response);
            } else {
                result.completeExceptionally(phased(unwrap(failure), headers.get(), host, port));
            }
        });
        return result;
    }

    /** The JDK's timeouts named by phase; anything else as it is. */
    private Throwable phased(Throwable failure, boolean headersSeen, String host, int port) {
        if (failure instanceof PhaseTimeoutException) {
            return failure;
        }
        if (failure instanceof HttpConnectTimeoutException) {
            return new PhaseTimeoutException(handshakes.stalled(host, port)
                    ? NetworkLimits.Phase.HANDSHAKE : NetworkLimits.Phase.CONNECT, limits);
        }
        if (failure instanceof HttpTimeoutException && !headersSeen) {
            return new PhaseTimeoutException(handshakes.stalled(host, port)
                    ? NetworkLimits.Phase.HANDSHAKE : NetworkLimits.Phase.RESPONSE, limits);
        }
        return failure;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        // A body cancelled at its deadline surfaces as the deadline, however the JDK wrapped it.
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof PhaseTimeoutException) {
                return c;
            }
        }
        return t;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }

    @Override
    public String toString() {
        return "BoundedHttpClient[" + limits + "]";
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "kms-secrets-body-deadline");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Ends the body with a {@link PhaseTimeoutException} when it is not complete by the body limit. */
    private static final class DeadlineSubscriber<T> implements HttpResponse.BodySubscriber<T> {

        private final HttpResponse.BodySubscriber<T> delegate;
        private final NetworkLimits limits;
        private final java.util.function.Consumer<Throwable> failed;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile ScheduledFuture<?> deadline;

        DeadlineSubscriber(HttpResponse.BodySubscriber<T> delegate, NetworkLimits limits,
                java.util.function.Consumer<Throwable> failed) {
            this.delegate = delegate;
            this.limits = limits;
            this.failed = failed;
        }

        @Override
        public CompletionStage<T> getBody() {
            return delegate.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            deadline = TIMER.schedule(() -> {
                if (done.compareAndSet(false, true)) {
                    subscription.cancel();
                    PhaseTimeoutException timeout = new PhaseTimeoutException(NetworkLimits.Phase.BODY, limits);
                    failed.accept(timeout);
                    delegate.onError(timeout);
                }
            }, limits.body().toNanos(), TimeUnit.NANOSECONDS);
            delegate.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            if (!done.get()) {
                delegate.onNext(item);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            if (done.compareAndSet(false, true)) {
                cancelDeadline();
                failed.accept(throwable);
                delegate.onError(throwable);
            }
        }

        @Override
        public void onComplete() {
            if (done.compareAndSet(false, true)) {
                cancelDeadline();
                delegate.onComplete();
            }
        }

        private void cancelDeadline() {
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
        }
    }

    /**
     * Configures the JDK builder, bounds its connect timeout and wraps its TLS context to see handshakes. Its
     * {@link #build()} returns a {@link BoundedHttpClient}; {@link #built()} the last one it built.
     */
    public static final class Builder implements HttpClient.Builder {

        private final HttpClient.Builder delegate;
        private final NetworkLimits limits;
        private SSLContext sslContext;
        private volatile BoundedHttpClient built;

        Builder(HttpClient.Builder delegate, NetworkLimits limits) {
            this.delegate = delegate;
            this.limits = limits;
        }

        @Override
        public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
            delegate.cookieHandler(cookieHandler);
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration duration) {
            return this; // the limits decide
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
            delegate.sslParameters(sslParameters);
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor executor) {
            delegate.executor(executor);
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(Redirect policy) {
            delegate.followRedirects(policy);
            return this;
        }

        @Override
        public HttpClient.Builder version(Version version) {
            delegate.version(version);
            return this;
        }

        @Override
        public HttpClient.Builder priority(int priority) {
            delegate.priority(priority);
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector proxySelector) {
            delegate.proxy(proxySelector);
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator authenticator) {
            delegate.authenticator(authenticator);
            return this;
        }

        @Override
        public HttpClient build() {
            // The limits win over a caller's connect timeout (the Azure SDK passes its connectTimeout alone, which
            // would leave no time for the handshake).
            delegate.connectTimeout(limits.connect().plus(limits.handshake()));
            HandshakeTracker tracker = new HandshakeTracker();
            SSLContext base = sslContext;
            if (base == null) {
                // Set on the given builder before it was handed here (a TLS context trusting a private CA), which
                // a builder cannot tell: a client built from it can.
                base = delegate.build().sslContext();
            }
            delegate.sslContext(tracker.wrap(base));
            built = new BoundedHttpClient(delegate.build(), limits, tracker);
            return built;
        }

        /** The client {@link #build()} returned last, or {@code null}. */
        public BoundedHttpClient built() {
            return built;
        }
    }
}
