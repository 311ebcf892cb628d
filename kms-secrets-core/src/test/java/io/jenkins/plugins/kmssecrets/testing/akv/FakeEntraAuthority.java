package io.jenkins.plugins.kmssecrets.testing.akv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jenkins.plugins.kmssecrets.testing.RequestLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only HTTPS fake of the Microsoft Entra ID v2.0 token endpoint, {@code POST /{tenant}/oauth2/v2.0/token}
 * with {@code grant_type=client_credentials}, that MSAL (through azure-identity's credentials) talks to. It hands out
 * {@link FakeKeyVaultServer#token(String)} of the tenant in the path, which a fake vault of that tenant accepts.
 *
 * <p>Registered applications sign in with a client secret or a client assertion (a federated token, as workload
 * identity sends it; for certificate applications any assertion is accepted). Errors come as Entra sends them: a
 * JSON body with {@code error}, {@code error_description} starting with the {@code AADSTS} code, and
 * {@code error_codes}: an unknown tenant ({@code 400 AADSTS90002}), an unknown application ({@code 400
 * AADSTS700016}), a wrong client secret ({@code 401 AADSTS7000215}), an assertion that matches no federated
 * credential ({@code 400 AADSTS700213}).
 *
 * <p>Every request is counted; a request to any other path (instance discovery, OpenID metadata) is recorded in
 * {@link #otherRequests()} and answered {@code 404}, so a test can prove the client asked for nothing but a token.
 */
public final class FakeEntraAuthority implements AutoCloseable {

    private final RequestLog requestLog = new RequestLog();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Map<String, Map<String, String>> tenants = new ConcurrentHashMap<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final List<String> otherRequests = new CopyOnWriteArrayList<>();
    private final List<String> assertionTypes = new CopyOnWriteArrayList<>();

    private FakeEntraAuthority(javax.net.ssl.SSLContext tls) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-entra");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake on an ephemeral port of 127.0.0.1. */
    public static FakeEntraAuthority start() {
        return start(TestCertificate.get().serverContext());
    }

    /**
     * Starts a fake on an ephemeral port of 127.0.0.1 presenting the certificate of {@code tls} instead of
     * {@link TestCertificate}'s (a certificate that only a store's own CA file trusts).
     */
    public static FakeEntraAuthority start(javax.net.ssl.SSLContext tls) {
        try {
            return new FakeEntraAuthority(tls);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the fake authority", e);
        }
    }

    /** {@code https://127.0.0.1:<port>/}: the {@code authorityHost} setting. */
    public URI authorityHost() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Registers an application signing in with {@code secret}. */
    public FakeEntraAuthority clientSecret(String tenant, String clientId, String secret) {
        tenants.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>()).put(clientId, "secret:" + secret);
        return this;
    }

    /** Registers an application whose federated credential accepts exactly {@code assertion} (workload identity). */
    public FakeEntraAuthority federated(String tenant, String clientId, String assertion) {
        tenants.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>()).put(clientId, "assertion:" + assertion);
        return this;
    }

    /** Requests to the token endpoint, refused ones included. */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** Method and path of every request that was not for a token. */
    public List<String> otherRequests() {
        return List.copyOf(otherRequests);
    }

    /** The {@code client_assertion_type} of every assertion sign-in. */
    public List<String> assertionTypes() {
        return List.copyOf(assertionTypes);
    }

    /** Every request received, with its headers as sent on the wire. */
    public RequestLog requests() {
        return requestLog;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requestLog.record(exchange);
            String[] path = exchange.getRequestURI().getPath().split("/");
            boolean token = "POST".equals(exchange.getRequestMethod()) && path.length == 5
                    && "oauth2".equals(path[2]) && "v2.0".equals(path[3]) && "token".equals(path[4]);
            if (!token) {
                otherRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                send(exchange, 404, JSON.createObjectNode().put("error", "not_found"));
                return;
            }
            tokenRequests.incrementAndGet();
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            Map<String, String> clients = tenants.get(path[1]);
            if (clients == null) {
                error(exchange, 400, "invalid_request", 90002, "Tenant '" + path[1] + "' not found.");
                return;
            }
            String registered = clients.get(form.get("client_id"));
            if (registered == null) {
                error(exchange, 400, "unauthorized_client", 700016, "Application with identifier '"
                        + form.get("client_id") + "' was not found in the directory.");
                return;
            }
            if (!"client_credentials".equals(form.get("grant_type"))) {
                error(exchange, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
                return;
            }
            if (registered.startsWith("secret:")) {
                if (!registered.substring("secret:".length()).equals(form.get("client_secret"))) {
                    error(exchange, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the "
                            + "secret being sent in the request is the client secret value, not the client secret ID.");
                    return;
                }
            } else {
                assertionTypes.add(String.valueOf(form.get("client_assertion_type")));
                if (!registered.substring("assertion:".length()).equals(form.get("client_assertion"))) {
                    error(exchange, 400, "invalid_client", 700213, "No matching federated identity record found "
                            + "for presented assertion subject.");
                    return;
                }
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("token_type", "Bearer");
            body.put("expires_in", 3599);
            body.put("ext_expires_in", 3599);
            body.put("access_token", FakeKeyVaultServer.token(path[1]));
            send(exchange, 200, body);
        }
    }

    private static void error(HttpExchange exchange, int status, String error, int code, String description)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        body.put("error_description", "AADSTS" + code + ": " + description
                + " Trace ID: 0000 Correlation ID: 0000 Timestamp: 2026-01-01 00:00:00Z");
        body.putArray("error_codes").add(code);
        body.put("timestamp", "2026-01-01 00:00:00Z");
        body.put("trace_id", "00000000-0000-0000-0000-000000000000");
        body.put("correlation_id", "00000000-0000-0000-0000-000000000000");
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }
}
