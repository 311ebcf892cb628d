package io.jenkins.plugins.kmssecrets.store.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import io.jenkins.plugins.kmssecrets.store.ConnectionFailure;
import io.jenkins.plugins.kmssecrets.store.UntrustedCertificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * Counts the requests a store sends, so that a run can report them ({@code --verbose}): to the vault, split into
 * unauthenticated requests (the bearer challenge) and authenticated ones, and to anything else (the authority or
 * the identity endpoint: token requests). Counts only; nothing of a request or response is kept.
 */
final class CountingHttpClient implements HttpClient {

    private final HttpClient delegate;
    private final String vaultAuthority;
    private final AtomicLong challenges = new AtomicLong();
    private final AtomicLong vault = new AtomicLong();
    private final AtomicLong identity = new AtomicLong();
    private volatile int lastIdentityStatus;
    private volatile String lastIdentityFailure;
    private volatile Throwable lastIdentityUntrusted;

    /** @param vaultAuthority {@code host[:port]} of the vault URL */
    CountingHttpClient(HttpClient delegate, String vaultAuthority) {
        this.delegate = delegate;
        this.vaultAuthority = vaultAuthority;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return send(request, Context.NONE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return Mono.defer(() -> {
            boolean toIdentity = count(request);
            return delegate.send(request, context).doOnNext(response -> {
                if (toIdentity) {
                    lastIdentityStatus = response.getStatusCode();
                    lastIdentityUntrusted = null;
                }
            }).doOnError(e -> {
                if (toIdentity) {
                    identityFailed(e);
                }
            });
        });
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        boolean toIdentity = count(request);
        HttpResponse response;
        try {
            response = delegate.sendSync(request, context);
        } catch (RuntimeException e) {
            if (toIdentity) {
                identityFailed(e);
            }
            throw e;
        }
        if (toIdentity) {
            lastIdentityStatus = response.getStatusCode();
            lastIdentityUntrusted = null;
        }
        return response;
    }

    private void identityFailed(Throwable e) {
        lastIdentityFailure = ConnectionFailure.describe(e);
        lastIdentityUntrusted = UntrustedCertificate.isCause(e) ? e : null;
    }

    /**
     * The failure of the latest request to the authority or identity endpoint when the endpoint's certificate was
     * rejected, or {@code null}: the identity library retries it like any I/O failure until the sign-in times out.
     */
    Throwable lastIdentityUntrusted() {
        return lastIdentityUntrusted;
    }

    /** Counts the request; true when it goes to the authority or identity endpoint. */
    private boolean count(HttpRequest request) {
        if (vaultAuthority.equalsIgnoreCase(request.getUrl().getAuthority())) {
            (request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION) == null ? challenges : vault)
                    .incrementAndGet();
            return false;
        }
        identity.incrementAndGet();
        return true;
    }

    /**
     * The HTTP status of the latest answer from the authority or identity endpoint, or 0: the identity library
     * does not always report it (managed identity).
     */
    int lastIdentityStatus() {
        return lastIdentityStatus;
    }

    /**
     * How the latest request to the authority or identity endpoint failed ({@code connection refused}, {@code timed
     * out} ...), or {@code null}: the identity library retries such failures itself and reports only its own
     * timeout or summary.
     */
    String lastIdentityFailure() {
        return lastIdentityFailure;
    }

    /**
     * {@code challenge} (unauthenticated requests to the vault), {@code vault} (authenticated ones), {@code token}
     * (tokens the credential was asked for: HTTP, or one run of {@code az}) and {@code identity} (HTTP requests to
     * the authority or identity endpoint), in that order.
     */
    Map<String, Long> counts(long tokens) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("challenge", challenges.get());
        counts.put("vault", vault.get());
        counts.put("token", tokens);
        counts.put("identity", identity.get());
        return counts;
    }
}
