package io.jenkins.plugins.kmssecrets.testing.akv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only fake of the App Service / Container Apps managed-identity endpoint (api-version 2019-08-01): {@code GET
 * /msi/token?resource=…&api-version=2019-08-01[&client_id=…]} with the {@code X-IDENTITY-HEADER} secret, over plain
 * HTTP on 127.0.0.1 as on the platform. Answers {@code 400} for an unknown user-assigned identity, {@code 401} for a
 * wrong header, and a token ({@link FakeKeyVaultServer#TOKEN}) otherwise.
 */
public final class FakeManagedIdentityEndpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String header;
    private final Set<String> userAssigned = new CopyOnWriteArraySet<>();
    private final AtomicInteger requests = new AtomicInteger();

    private FakeManagedIdentityEndpoint(String header) throws IOException {
        this.header = header;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts one that expects {@code header} as {@code X-IDENTITY-HEADER}. */
    public static FakeManagedIdentityEndpoint start(String header) {
        try {
            return new FakeManagedIdentityEndpoint(header);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>/msi/token}: the value of {@code IDENTITY_ENDPOINT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/msi/token");
    }

    /** Adds a user-assigned identity. */
    public FakeManagedIdentityEndpoint userAssigned(String clientId) {
        userAssigned.add(clientId);
        return this;
    }

    /** Requests received. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            Map<String, String> query = new LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            if (!header.equals(exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER"))) {
                send(exchange, 401, JSON.createObjectNode().put("statusCode", 401)
                        .put("message", "Unauthorized: missing or wrong X-IDENTITY-HEADER"));
                return;
            }
            String clientId = query.get("client_id");
            if (clientId != null && !userAssigned.contains(clientId)) {
                send(exchange, 400, JSON.createObjectNode().put("statusCode", 400)
                        .put("message", "Unable to load the proper Managed Identity.")
                        .put("correlationId", "00000000-0000-0000-0000-000000000000"));
                return;
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("access_token", FakeKeyVaultServer.TOKEN);
            body.put("expires_on", String.valueOf(Instant.now().plusSeconds(3600).getEpochSecond()));
            body.put("resource", query.get("resource"));
            body.put("token_type", "Bearer");
            body.put("client_id", clientId == null ? "system-assigned" : clientId);
            send(exchange, 200, body);
        }
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
