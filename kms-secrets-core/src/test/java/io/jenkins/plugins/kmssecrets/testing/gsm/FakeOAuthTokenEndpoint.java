package io.jenkins.plugins.kmssecrets.testing.gsm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loopback OAuth 2.0 token endpoint for the refresh-token grant, as Google's {@code oauth2.googleapis.com/token}
 * answers gcloud's user credentials ({@code authorized_user}): a form POST with {@code grant_type=refresh_token},
 * {@code client_id}, {@code client_secret} and {@code refresh_token}. It answers {@code 200} with
 * {@link #accessToken()} when all three match the configured ones, else {@code 400 invalid_grant} (or
 * {@code invalid_client}) like Google. Every request's form fields are recorded for assertions.
 */
public final class FakeOAuthTokenEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final String clientId;
    private final String clientSecret;
    private final String refreshToken;
    private final String accessToken;
    private final List<Map<String, String>> requests = new ArrayList<>();

    private FakeOAuthTokenEndpoint(String clientId, String clientSecret, String refreshToken, String accessToken)
            throws IOException {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
        this.accessToken = accessToken;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Accepts exactly this client and refresh token, and issues {@code accessToken} for them. */
    public static FakeOAuthTokenEndpoint start(String clientId, String clientSecret, String refreshToken,
            String accessToken) throws IOException {
        return new FakeOAuthTokenEndpoint(clientId, clientSecret, refreshToken, accessToken);
    }

    /** The token URI for a credentials file: {@code http://127.0.0.1:<port>/token}. */
    public String tokenUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The access token issued for a valid grant. */
    public String accessToken() {
        return accessToken;
    }

    /** The form fields of every request received, in order. */
    public synchronized List<Map<String, String>> requests() {
        return List.copyOf(requests);
    }

    /** An {@code authorized_user} ADC file as {@code gcloud auth application-default login} writes it. */
    public String authorizedUserJson() {
        return "{\"account\":\"\",\"client_id\":\"" + clientId + "\",\"client_secret\":\"" + clientSecret
                + "\",\"refresh_token\":\"" + refreshToken + "\",\"type\":\"authorized_user\",\"universe_domain\":"
                + "\"googleapis.com\",\"token_uri\":\"" + tokenUri() + "\"}";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            synchronized (this) {
                requests.add(form);
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !"/token".equals(exchange.getRequestURI().getPath())) {
                send(exchange, 404, "{\"error\":\"not_found\"}");
            } else if (!"refresh_token".equals(form.get("grant_type"))) {
                send(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            } else if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
                send(exchange, 401, "{\"error\":\"invalid_client\",\"error_description\":\"Unauthorized\"}");
            } else if (!refreshToken.equals(form.get("refresh_token"))) {
                send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad Request\"}");
            } else {
                send(exchange, 200, "{\"access_token\":\"" + accessToken + "\",\"expires_in\":3599,"
                        + "\"scope\":\"https://www.googleapis.com/auth/cloud-platform\",\"token_type\":\"Bearer\"}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
