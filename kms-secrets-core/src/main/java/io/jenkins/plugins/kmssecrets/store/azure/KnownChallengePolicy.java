package io.jenkins.plugins.kmssecrets.store.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Answers Key Vault's bearer challenge without a round trip when the store already knows the answer: the tenant (the
 * {@code tenantId} setting) and the vault's resource (from its DNS suffix). The SDK's challenge policy sends a
 * store's first request without a token to learn both; this policy sits after it (per retry) and answers that
 * unauthenticated request to the vault with the challenge the vault would send, so the SDK gets the token and sends
 * the real request at once. 10 secrets then cost 1 token request and 10 reads instead of 12 requests.
 *
 * <p>Nothing is trusted that the SDK would not check: the SDK still verifies the resource against the vault's host.
 * When the vault belongs to another tenant it refuses the token with its own challenge; the SDK follows only one
 * challenge per call (the one answered here), so {@link #followVaultChallenge()} sends such a call once more, and the
 * SDK then follows the vault's challenge as before: the "vault belongs to tenant …" sign-in error still appears, one
 * token request and one vault request later.
 */
final class KnownChallengePolicy implements HttpPipelinePolicy {

    /** Vault DNS suffix → the resource its challenge names (public, US Government and China clouds). */
    private static final Map<String, String> RESOURCES = Map.of(
            "vault.azure.net", "https://vault.azure.net",
            "vault.usgovcloudapi.net", "https://vault.usgovcloudapi.net",
            "vault.azure.cn", "https://vault.azure.cn");

    private final String vaultAuthority;
    private final String challenge;

    private KnownChallengePolicy(String vaultAuthority, String challenge) {
        this.vaultAuthority = vaultAuthority;
        this.challenge = challenge;
    }

    /**
     * The policy for a store, or {@code null} when the tenant or the resource is not known (the SDK then asks the
     * vault).
     *
     * @param verifiedResource whether the SDK checks the challenge resource; when it does not (a local fake, whose
     *                         host names no cloud), the public cloud's resource is assumed
     */
    static KnownChallengePolicy of(AzureKeyVaultSettings settings, boolean verifiedResource) {
        if (settings.tenantId() == null) {
            return null;
        }
        URI vault = settings.vaultUrl();
        String host = vault.getHost().toLowerCase(Locale.ROOT);
        int dot = host.indexOf('.');
        String resource = dot < 0 ? null : RESOURCES.get(host.substring(dot + 1));
        if (resource == null && !verifiedResource) {
            resource = RESOURCES.get(AzureKeyVaultSettings.DEFAULT_DNS_SUFFIX);
        }
        if (resource == null) {
            return null;
        }
        String authority = settings.authorityHost().toString().replaceAll("/+$", "");
        return new KnownChallengePolicy(vault.getRawAuthority(), "Bearer authorization=\"" + authority + "/"
                + settings.tenantId() + "\", resource=\"" + resource + "\"");
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_RETRY;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        HttpRequest request = context.getHttpRequest();
        String answer = answer(request);
        return answer != null ? Mono.just(new ChallengeResponse(request, answer)) : next.process();
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        HttpRequest request = context.getHttpRequest();
        String answer = answer(request);
        return answer != null ? new ChallengeResponse(request, answer) : next.processSync();
    }

    /** The {@code WWW-Authenticate} value for an unauthenticated request to the vault, else {@code null}. */
    String answer(HttpRequest request) {
        return request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION) == null
                && vaultAuthority.equalsIgnoreCase(request.getUrl().getAuthority()) ? challenge : null;
    }

    /**
     * The companion policy (per call, before the SDK's challenge policy): a call whose token the vault refused with a
     * challenge other than the one answered here is sent once more, so that the SDK follows the vault's challenge.
     */
    HttpPipelinePolicy followVaultChallenge() {
        return new HttpPipelinePolicy() {
            @Override
            public HttpPipelinePosition getPipelinePosition() {
                return HttpPipelinePosition.PER_CALL;
            }

            @Override
            public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                HttpPipelineNextPolicy again = next.clone();
                return next.process().flatMap(response -> {
                    if (!otherChallenge(response)) {
                        return Mono.just(response);
                    }
                    response.close();
                    return again.process();
                });
            }

            @Override
            public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
                HttpPipelineNextSyncPolicy again = next.clone();
                HttpResponse response = next.processSync();
                if (!otherChallenge(response)) {
                    return response;
                }
                response.close();
                return again.processSync();
            }
        };
    }

    private boolean otherChallenge(HttpResponse response) {
        String header = response.getHeaders().getValue(HttpHeaderName.WWW_AUTHENTICATE);
        return response.getStatusCode() == 401 && header != null && !header.equals(challenge)
                && vaultAuthority.equalsIgnoreCase(response.getRequest().getUrl().getAuthority());
    }

    /** {@code 401} with the bearer challenge and no body, as Key Vault answers a request without a token. */
    private static final class ChallengeResponse extends HttpResponse {

        private final HttpHeaders headers;

        ChallengeResponse(HttpRequest request, String challenge) {
            super(request);
            this.headers = new HttpHeaders().set(HttpHeaderName.WWW_AUTHENTICATE, challenge)
                    .set(HttpHeaderName.CONTENT_LENGTH, "0");
        }

        @Override
        public int getStatusCode() {
            return 401;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(HttpHeaderName.fromString(name));
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.empty();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(new byte[0]);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just("");
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just("");
        }
    }
}
