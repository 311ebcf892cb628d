package io.jenkins.plugins.kmssecrets.store.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.kmssecrets.store.BoundedHttpClient;
import io.jenkins.plugins.kmssecrets.store.ConnectionFailure;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.NetworkLimits;
import io.jenkins.plugins.kmssecrets.store.ProxySetting;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.store.UntrustedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Vault's HTTP API over the JDK client: adds the token, namespace and audit headers ({@link VaultAuditHeaders}),
 * retries transient answers a bounded number of times, and parses JSON bodies. It never logs, and its exceptions name the address and the path only.
 */
final class VaultHttp {

    /**
     * The largest answer read: Vault's default {@code max_request_size} (32 MiB), which bounds any KV value a default
     * Vault can hold, plus room for the envelope. Reading stops there, so a bad endpoint cannot exhaust memory.
     */
    static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024 + 64 * 1024;

    /** JSON strings up to the answer's size (Jackson's default, 20 M characters, is below what Vault can store). */
    private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxStringLength(MAX_RESPONSE_BYTES).build())
            .build());
    private static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);

    private final String storeId;
    private final URI address;
    private final String namespace;
    private final HttpClient client;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final VaultAuditHeaders audit;
    private final String trustRemedy;
    private final ProxySetting proxy;

    VaultHttp(String storeId, URI address, String namespace, SSLContext tls, NetworkLimits limits, int maxAttempts,
            Duration retryDelay, VaultAuditHeaders audit, ProxySetting proxy, String trustRemedy) {
        this.audit = audit;
        this.trustRemedy = trustRemedy;
        this.proxy = proxy;
        this.storeId = storeId;
        String text = address.toString();
        this.address = URI.create(text.endsWith("/") ? text : text + "/");
        this.namespace = namespace;
        // HTTP/1.1: a body read over HTTP/2 can stall (seen with the Kubernetes client); Vault answers are small
        // and few. The bounded client ends a body that stalls after the headers, which the request timeout does not.
        HttpClient.Builder builder = BoundedHttpClient.builder(HttpClient.newBuilder(), limits)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            builder.sslContext(tls);
        }
        if (proxy != null) {
            builder.proxy(proxy.selector());
            if (proxy.authenticator() != null) {
                builder.authenticator(proxy.authenticator());
            }
        }
        this.client = builder.build();
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
    }

    /**
     * Sends {@code method} to {@code /v1/<path>} and returns the final answer, whatever its status.
     *
     * @param secretName for error messages, or {@code null}
     * @throws StoreUnavailableException when Vault cannot be reached after the retries
     * @throws io.jenkins.plugins.kmssecrets.store.MisconfiguredException at once, when Vault's TLS certificate is
     *                                                                    not trusted
     */
    VaultResponse send(String method, String path, JsonNode body, VaultToken token, String secretName) {
        HttpRequest.Builder request = HttpRequest.newBuilder(address.resolve("v1/" + path))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(json(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("X-Vault-Token", token.value());
        }
        if (namespace != null) {
            request.header("X-Vault-Namespace", namespace);
        }
        HttpRequest built = audit.apply(request).build();
        VaultResponse last = null;
        String failure = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                pause(attempt);
            }
            try {
                HttpResponse<InputStream> response = client.send(built, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() == 407 && proxy != null) {
                    throw proxy.authenticationRequired(storeId, secretName, address);
                }
                byte[] answer;
                try (InputStream in = response.body()) {
                    answer = in.readNBytes(MAX_RESPONSE_BYTES + 1);
                }
                if (answer.length > MAX_RESPONSE_BYTES) {
                    throw new InvalidInputException(storeId, secretName, "Vault's answer to " + method + " " + path
                            + " is larger than " + MAX_RESPONSE_BYTES + " bytes (Vault's default max_request_size of "
                            + "32 MiB, plus its envelope); no KV value can be that large, so it was not read");
                }
                last = new VaultResponse(response.statusCode(), parse(answer));
                if (!RETRYABLE.contains(response.statusCode())) {
                    return last;
                }
            } catch (IOException e) {
                if (UntrustedCertificate.isCause(e)) {
                    throw UntrustedCertificate.misconfigured(storeId, secretName,
                            UntrustedCertificate.origin(address), trustRemedy, e);
                }
                // A fixed phrase or the exception type: its message may name hosts we were redirected to.
                failure = ConnectionFailure.describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException(storeId, secretName, "interrupted while calling Vault");
            }
        }
        if (last != null) {
            return last;
        }
        throw new StoreUnavailableException(storeId, secretName, "cannot reach Vault at " + address + " ("
                + failure + " after " + maxAttempts + " attempts); check the address and the network");
    }

    private void pause(int attempt) {
        try {
            Thread.sleep(retryDelay.multipliedBy(1L << Math.min(attempt - 2, 5)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] json(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a request body", e);
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            // A proxy's HTML error page, for example; the status code still tells what happened.
            return null;
        }
    }

    /** Defaults from the {@code timeout} setting: response and body {@code timeout}, connect and handshake at most
     *  10 s. */
    static NetworkLimits limits(Duration timeout) {
        Duration connect = timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
        return new NetworkLimits(connect, connect, timeout, timeout);
    }

    URI address() {
        return address;
    }
}
