package io.jenkins.plugins.kmssecrets.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cloud stores' production host names, served on 127.0.0.1 (port 443 by default) over HTTPS with the
 * {@link TestCertificate}, for a Jenkins whose JVM resolves those names to 127.0.0.1 ({@code -Djdk.net.hosts.file})
 * and trusts the certificate ({@code -Djavax.net.ssl.trustStore}): the plugin's stores then run with their
 * production endpoints and sign-in code, as a user's would, and talk to the core's fakes.
 * <ul>
 *   <li>{@code login.microsoftonline.com}: a Microsoft Entra token endpoint for the client-credentials grant
 *       (instance discovery, OpenID metadata, {@code /{tenant}/oauth2/v2.0/token}); it issues the token
 *       {@link FakeKeyVaultServer} accepts, only for the expected client id and secret;</li>
 *   <li>{@code secretmanager.googleapis.com} and {@code oauth2.googleapis.com}: forwarded to the
 *       {@code FakeSecretManager}'s HTTP endpoint (API and token endpoint).</li>
 * </ul>
 * Key Vault itself needs no forwarding: the vault URL {@code https://kms-e2e.vault.azure.net:<port>/} names the
 * fake's own port, and its certificate covers {@code *.vault.azure.net}.
 */
public final class FrontDoor implements AutoCloseable {

    /** The host names a Jenkins JVM must resolve to 127.0.0.1 for the cloud stores. */
    public static final List<String> HOSTS = List.of("kms-e2e.vault.azure.net", "login.microsoftonline.com",
            "secretmanager.googleapis.com", "oauth2.googleapis.com");
    /** The vault host name used for Key Vault. */
    public static final String VAULT_HOST = "kms-e2e.vault.azure.net";

    private final HttpsServer server;
    private final ExecutorService executor;
    private final HttpClient forward = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String entraClientId;
    private final String entraClientSecret;
    private volatile String googleBackend;
    private volatile java.security.cert.X509Certificate clientCertificate;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    private FrontDoor(int port, String entraClientId, String entraClientSecret) throws IOException {
        this.entraClientId = entraClientId;
        this.entraClientSecret = entraClientSecret;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestCertificate.get().serverContext()));
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kms-e2e-front-door");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on {@code port} of 127.0.0.1 (443 needs root or CAP_NET_BIND_SERVICE, e.g. inside a namespace). */
    public static FrontDoor start(int port, String entraClientId, String entraClientSecret) throws IOException {
        return new FrontDoor(port, entraClientId, entraClientSecret);
    }

    /** Where Secret Manager requests go: the fake's {@code http://127.0.0.1:<port>}. */
    public void googleBackend(String endpoint) {
        this.googleBackend = endpoint;
    }

    /** The certificate of the Entra application for the client-certificate (client assertion) grant. */
    public void clientCertificate(java.security.cert.X509Certificate certificate) {
        this.clientCertificate = certificate;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests per host name (for the summary: proof that the plugin used these paths). */
    public Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String host = exchange.getRequestHeaders().getFirst("Host");
            host = host == null ? "" : host.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
            counts.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
            switch (host) {
                case "login.microsoftonline.com" -> entra(exchange);
                case "secretmanager.googleapis.com" -> forward(exchange, googleBackend, exchange.getRequestURI());
                case "oauth2.googleapis.com" -> forward(exchange, googleBackend, URI.create("/token"));
                default -> send(exchange, 404, "{\"error\":\"unknown host " + host + "\"}");
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private void entra(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String base = "https://login.microsoftonline.com";
        if (path.endsWith("/discovery/instance")) {
            send(exchange, 200, "{\"tenant_discovery_endpoint\":\"" + base + "/" + FakeKeyVaultServer.TENANT
                    + "/v2.0/.well-known/openid-configuration\",\"api-version\":\"1.1\",\"metadata\":[{"
                    + "\"preferred_network\":\"login.microsoftonline.com\",\"preferred_cache\":\"login.windows.net\","
                    + "\"aliases\":[\"login.microsoftonline.com\",\"login.windows.net\",\"login.microsoft.com\","
                    + "\"sts.windows.net\"]}]}");
            return;
        }
        String[] parts = path.split("/");
        String tenant = parts.length > 1 ? parts[1] : "common";
        if (path.endsWith("/.well-known/openid-configuration")) {
            send(exchange, 200, "{\"token_endpoint\":\"" + base + "/" + tenant + "/oauth2/v2.0/token\","
                    + "\"authorization_endpoint\":\"" + base + "/" + tenant + "/oauth2/v2.0/authorize\","
                    + "\"issuer\":\"" + base + "/" + tenant + "/v2.0\",\"token_endpoint_auth_methods_supported\":"
                    + "[\"client_secret_post\",\"private_key_jwt\",\"client_secret_basic\"],"
                    + "\"jwks_uri\":\"" + base + "/" + tenant + "/discovery/v2.0/keys\","
                    + "\"response_types_supported\":[\"code\",\"id_token\",\"token\"],"
                    + "\"tenant_region_scope\":\"EU\",\"cloud_instance_name\":\"microsoftonline.com\"}");
            return;
        }
        if (path.endsWith("/oauth2/v2.0/token") && "POST".equals(exchange.getRequestMethod())) {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            boolean assertion = form.containsKey("client_assertion");
            boolean ok = "client_credentials".equals(form.get("grant_type"))
                    && entraClientId.equals(form.get("client_id"))
                    && (assertion ? signedByClientCertificate(form.get("client_assertion"))
                            : entraClientSecret.equals(form.get("client_secret")));
            if (!ok) {
                counts.computeIfAbsent("entra-rejected", h -> new AtomicInteger()).incrementAndGet();
                send(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid "
                        + "client secret provided.\",\"error_codes\":[7000215]}");
                return;
            }
            counts.computeIfAbsent(assertion ? "entra-certificate-tokens" : "entra-tokens", h -> new AtomicInteger())
                    .incrementAndGet();
            send(exchange, 200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                    + "\"access_token\":\"" + FakeKeyVaultServer.TOKEN + "\"}");
            return;
        }
        send(exchange, 404, "{\"error\":\"not_found\"}");
    }

    /**
     * Whether {@code jwt} (the client assertion MSAL signs with the application's certificate) names the registered
     * certificate by thumbprint ({@code x5t} or {@code x5t#S256}) and verifies with its public key (RS256 or PS256).
     */
    private boolean signedByClientCertificate(String jwt) {
        java.security.cert.X509Certificate certificate = clientCertificate;
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (certificate == null || parts.length != 3) {
            return false;
        }
        try {
            java.util.Base64.Decoder url = java.util.Base64.getUrlDecoder();
            com.fasterxml.jackson.databind.JsonNode header = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(url.decode(parts[0]));
            java.util.Base64.Encoder encoder = java.util.Base64.getUrlEncoder().withoutPadding();
            byte[] der = certificate.getEncoded();
            String sha1 = encoder.encodeToString(java.security.MessageDigest.getInstance("SHA-1").digest(der));
            String sha256 = encoder.encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(der));
            // MSAL writes the thumbprint in standard base64; compare in the URL-safe alphabet without padding.
            boolean named = sha1.equals(urlSafe(header.path("x5t").asText()))
                    || sha256.equals(urlSafe(header.path("x5t#S256").asText()));
            if (!named) {
                return false;
            }
            byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            java.security.Signature verifier;
            if ("PS256".equals(header.path("alg").asText())) {
                verifier = java.security.Signature.getInstance("RSASSA-PSS");
                verifier.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                verifier = java.security.Signature.getInstance("SHA256withRSA");
            }
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(signed);
            return verifier.verify(url.decode(parts[2]));
        } catch (java.io.IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String urlSafe(String base64) {
        return base64.replace('+', '-').replace('/', '_').replace("=", "");
    }

    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "upgrade", "keep-alive", "expect", "te", "trailer", "proxy-connection", "http2-settings");

    private void forward(HttpExchange exchange, String backend, URI target) throws IOException {
        if (backend == null) {
            send(exchange, 503, "{\"error\":{\"code\":503,\"message\":\"no backend\",\"status\":\"UNAVAILABLE\"}}");
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend + target.getRawPath() + query))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        try {
            HttpResponse<byte[]> response = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
            });
            byte[] out = response.body();
            exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream stream = exchange.getResponseBody()) {
                    stream.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 503, "{}");
        } catch (IOException e) {
            send(exchange, 503, "{\"error\":{\"code\":503,\"message\":\"backend down\",\"status\":\"UNAVAILABLE\"}}");
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
