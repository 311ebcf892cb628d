package io.jenkins.plugins.kmssecrets.store.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import reactor.core.publisher.Mono;

/**
 * Labels every request of a store with the caller's {@link AuditContext}, read on the thread that sends it (the SDK's
 * synchronous client sends on the caller's thread): the User-Agent starts with
 * {@code kms-secrets/<version> (<tool>; <context>)}, followed by the SDK's own product tokens, as Azure's application-id
 * convention has it; requests to the vault carry the context's correlation id as {@code x-ms-client-request-id}, which
 * Key Vault logs as the event's correlation id. Requests to the authority or identity endpoint (tokens, which serve
 * every caller of the store) keep the SDK's request ids; the identity library sends them from its own threads, so they
 * carry the context of the caller that last asked the store for a token ({@link #tokenRequestedBy}).
 */
final class AuditingHttpClient implements HttpClient {

    private final HttpClient delegate;
    private final String vaultAuthority;
    private volatile AuditContext tokenRequester;

    /** @param vaultAuthority {@code host[:port]} of the vault URL */
    AuditingHttpClient(HttpClient delegate, String vaultAuthority) {
        this.delegate = delegate;
        this.vaultAuthority = vaultAuthority;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return send(request, Context.NONE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return Mono.defer(() -> delegate.send(label(request), context));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        return delegate.sendSync(label(request), context);
    }

    /** Called on the caller's thread when the SDK asks the credential for a token. */
    void tokenRequestedBy(AuditContext caller) {
        this.tokenRequester = caller;
    }

    private HttpRequest label(HttpRequest request) {
        boolean toVault = vaultAuthority.equalsIgnoreCase(request.getUrl().getAuthority());
        AuditContext requester = tokenRequester;
        AuditContext audit = !toVault && !AuditContext.scoped() && requester != null ? requester
                : AuditContext.current();
        String sdk = request.getHeaders().getValue(HttpHeaderName.USER_AGENT);
        String ours = audit.userAgent();
        // A retry sends the same request object again: label it once.
        if (sdk == null || !sdk.startsWith(AuditContext.PRODUCT + " ")) {
            request.setHeader(HttpHeaderName.USER_AGENT, sdk == null || sdk.isBlank() ? ours : ours + " " + sdk);
        }
        if (audit.correlationId() != null && toVault) {
            request.setHeader(HttpHeaderName.X_MS_CLIENT_REQUEST_ID, audit.correlationId());
        }
        return request;
    }
}
