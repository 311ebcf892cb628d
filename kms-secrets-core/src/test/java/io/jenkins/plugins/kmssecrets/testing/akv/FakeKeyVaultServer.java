package io.jenkins.plugins.kmssecrets.testing.akv;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultSettings;
import io.jenkins.plugins.kmssecrets.store.azure.KeyVaultTransport;
import io.jenkins.plugins.kmssecrets.testing.RequestLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * A test-only HTTPS fake of the Azure Key Vault secrets data-plane REST API (api-version 2025-07-01, as in
 * {@code shared/testdata/akv/secrets.json}) that the real {@code SecretClient} talks to, on 127.0.0.1 with an
 * ephemeral port and a certificate generated at test time ({@link TestCertificate}).
 *
 * <p>Implemented: the bearer challenge (a request without a valid token gets {@code 401} with
 * {@code WWW-Authenticate: Bearer authorization="...", resource="https://vault.azure.net"}); {@code GET /secrets}
 * and {@code GET /secrets/{name}/versions} with {@code maxresults} and {@code nextLink} paging; {@code GET
 * /secrets/{name}[/{version}]}; disabled secrets ({@code 403 Forbidden} with inner error {@code SecretDisabled} on
 * GET, as Key Vault does); expired and not-yet-valid secrets (served, as Key Vault does); {@code 404 SecretNotFound};
 * and fault injection: {@code 403} for everything or for value reads only (an identity with {@code secrets/list}
 * but not {@code secrets/get}), {@code 503}, a number of {@code 429}/5xx answers with {@code Retry-After}, and slow
 * responses. Every request is counted per {@link Operation}; {@link #valueReads()} counts the calls that return a
 * value.
 *
 * <p>Use {@link #transport()} to build stores against it: a static token credential (no identity endpoint is ever
 * contacted), a client trusting only the test certificate, no challenge-resource check (the fake's host cannot match
 * {@code vault.azure.net}) and pauses that are recorded instead of slept.
 */
public final class FakeKeyVaultServer implements AutoCloseable {

    private final RequestLog requestLog = new RequestLog();

    /** What a request asked for. */
    public enum Operation {
        /** A request without a valid token, answered with the bearer challenge. */
        CHALLENGE,
        /** {@code GET /secrets}: metadata. */
        LIST_SECRETS,
        /** {@code GET /secrets/{name}/versions}: metadata. */
        LIST_VERSIONS,
        /** {@code GET /secrets/{name}/{version}}: returns the value. */
        GET_SECRET,
        /** {@code PUT /secrets/{name}}: writes a new version (SetSecret). */
        SET_SECRET,
        /** {@code PATCH /secrets/{name}/{version}}: updates a version's attributes (UpdateSecret). */
        UPDATE_SECRET,
        /** Anything else. */
        OTHER
    }

    /** The token the static credential hands out and the fake accepts. */
    public static final String TOKEN = "fake-access-token";
    /** The tenant named in the challenge. */
    public static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    /**
     * The access token an authority issues for {@code tenant}: {@link #TOKEN} for {@link #TENANT}, another one for
     * any other tenant. The fake accepts only its own tenant's token (see {@link #challengeTenant}), as Key Vault
     * refuses a token of another tenant with a new challenge.
     */
    public static String token(String tenant) {
        return TENANT.equals(tenant) ? TOKEN : TOKEN + "." + tenant;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RESULTS = 25;

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Map<String, List<FakeSecretVersion>> secrets = new ConcurrentHashMap<>();
    private final Map<Operation, AtomicInteger> counts = Collections.synchronizedMap(new EnumMap<>(Operation.class));
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private volatile int pageSize = MAX_RESULTS;
    private volatile boolean rejectTokens;
    private volatile boolean denyAll;
    private volatile boolean denyValueReads;
    private volatile boolean unavailable;
    private volatile Duration delay = Duration.ZERO;
    private volatile String challengeTenant = TENANT;
    private final AtomicReference<InjectedFailure> injected = new AtomicReference<>();
    private final Map<Operation, InjectedFailure> injectedFor = new ConcurrentHashMap<>();

    private record InjectedFailure(AtomicInteger remaining, int status, String retryAfter) {
    }

    private FakeKeyVaultServer(javax.net.ssl.SSLContext tls) throws IOException {
        for (Operation op : Operation.values()) {
            counts.put(op, new AtomicInteger());
        }
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-key-vault");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake on an ephemeral port of 127.0.0.1. */
    public static FakeKeyVaultServer start() {
        return start(TestCertificate.get().serverContext());
    }

    /**
     * Starts a fake on an ephemeral port of 127.0.0.1 presenting the certificate of {@code tls} instead of
     * {@link TestCertificate}'s (a certificate that only a store's own CA file trusts).
     */
    public static FakeKeyVaultServer start(javax.net.ssl.SSLContext tls) {
        try {
            return new FakeKeyVaultServer(tls);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the fake Key Vault", e);
        }
    }

    /** {@code https://127.0.0.1:<port>/}. */
    public URI vaultUrl() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    // ---- data -------------------------------------------------------------------------------------------------

    /** Adds a version to {@code name} (creating the secret). */
    public FakeKeyVaultServer put(String name, FakeSecretVersion version) {
        secrets.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(version);
        return this;
    }

    /** Adds an enabled version of {@code name} with a generated version id, created {@code created}. */
    public FakeKeyVaultServer put(String name, String value, Instant created) {
        return put(name, FakeSecretVersion.of(versionId(name, secrets.getOrDefault(name, List.of()).size()), value,
                created));
    }

    /** Removes every secret. */
    public FakeKeyVaultServer clear() {
        secrets.clear();
        return this;
    }

    /** A stable 32-hex-digit version id for the {@code index}-th version of {@code name}. */
    public static String versionId(String name, int index) {
        return String.format("%016x%016x", (long) name.hashCode() & 0xffffffffL, (long) index);
    }

    // ---- faults -----------------------------------------------------------------------------------------------

    /** Page size for list calls when the client asks for none ({@code maxresults} is honoured up to 25). */
    public FakeKeyVaultServer pageSize(int size) {
        this.pageSize = size;
        return this;
    }

    /** Every token is refused with {@code 401}: a token from the wrong tenant, or an expired one. */
    public FakeKeyVaultServer rejectTokens(boolean reject) {
        this.rejectTokens = reject;
        return this;
    }

    /** Every authenticated request gets {@code 403 Forbidden} (the identity has no data-plane permission). */
    public FakeKeyVaultServer denyAll(boolean deny) {
        this.denyAll = deny;
        return this;
    }

    /** Value reads get {@code 403 Forbidden}: an identity with {@code secrets/list} but not {@code secrets/get}. */
    public FakeKeyVaultServer denyValueReads(boolean deny) {
        this.denyValueReads = deny;
        return this;
    }

    /** The tenant the bearer challenge names (default {@link #TENANT}): the tenant the vault belongs to. */
    public FakeKeyVaultServer challengeTenant(String tenant) {
        this.challengeTenant = tenant;
        return this;
    }

    /** Every request gets {@code 503 Service Unavailable}. */
    public FakeKeyVaultServer unavailable(boolean down) {
        this.unavailable = down;
        return this;
    }

    /** The next {@code count} requests (after the challenge) get {@code status}, with {@code Retry-After} if given. */
    public FakeKeyVaultServer failNext(int count, int status, String retryAfter) {
        injected.set(new InjectedFailure(new AtomicInteger(count), status, retryAfter));
        return this;
    }

    /** The next {@code count} requests of {@code operation} get {@code status} (after it was counted). */
    public FakeKeyVaultServer failNext(Operation operation, int count, int status) {
        injectedFor.put(operation, new InjectedFailure(new AtomicInteger(count), status, "0"));
        return this;
    }

    /** Every response is held back for {@code delay} (a slow vault). */
    public FakeKeyVaultServer delay(Duration responseDelay) {
        this.delay = responseDelay;
        return this;
    }

    // ---- observation ------------------------------------------------------------------------------------------

    /** How many requests asked for {@code operation}, including refused ones. */
    public int count(Operation operation) {
        return counts.get(operation).get();
    }

    /** Requests that return (or, if refused, asked for) a value: {@code GET /secrets/{name}[/{version}]}. */
    public int valueReads() {
        return count(Operation.GET_SECRET);
    }

    /** Resets every counter and the recorded pauses. */
    public void resetCounts() {
        counts.values().forEach(c -> c.set(0));
        pauses.clear();
        tokenRequests.set(0);
    }

    /** The pauses stores built with {@link #transport()} asked for between retries, in order. */
    public List<Duration> pauses() {
        return List.copyOf(pauses);
    }

    /** How many tokens the static credential handed out. */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    // ---- clients ----------------------------------------------------------------------------------------------

    /** A static credential: never contacts an identity endpoint. */
    public TokenCredential credential() {
        return request -> {
            tokenRequests.incrementAndGet();
            return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)));
        };
    }

    /** The transport stores use against this fake (see the class documentation). */
    public KeyVaultTransport transport() {
        TokenCredential credential = credential();
        return new KeyVaultTransport() {
            @Override
            public java.net.http.HttpClient.Builder httpClientBuilder() {
                return java.net.http.HttpClient.newBuilder().sslContext(TestCertificate.get().clientContext());
            }

            @Override
            public TokenCredential credential(String storeId, AzureKeyVaultSettings settings, StoreContext context,
                    HttpClient httpClient) {
                return credential;
            }

            @Override
            public boolean verifyChallengeResource() {
                return false;
            }

            @Override
            public void pause(Duration pause) {
                pauses.add(pause);
            }
        };
    }

    /** A store definition of type {@code azure-key-vault} pointing at this fake, plus {@code extra} settings. */
    public StoreDefinition definition(String storeId, Map<String, Object> extra) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("vaultUrl", vaultUrl().toString());
        settings.putAll(extra);
        return new StoreDefinition(storeId, "azure-key-vault", settings, null);
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

    // ---- protocol ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requestLog.record(exchange);
            URI uri = exchange.getRequestURI();
            Map<String, String> query = query(uri.getRawQuery());
            String[] path = uri.getPath().replaceAll("/+$", "").split("/");
            Operation operation = operation(exchange.getRequestMethod(), path);
            if (rejectTokens || !("Bearer " + token(challengeTenant)).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                counts.get(Operation.CHALLENGE).incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer authorization=\"https://login"
                        + ".microsoftonline.com/" + challengeTenant + "\", resource=\"https://vault.azure.net\"");
                error(exchange, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", null);
                return;
            }
            counts.get(operation).incrementAndGet();
            if (!delay.isZero()) {
                sleep(delay);
            }
            if (!query.containsKey("api-version")) {
                error(exchange, 400, "BadParameter", "The 'api-version' query parameter is required.", null);
                return;
            }
            InjectedFailure failure = injectedFor.get(operation);
            if (failure == null || failure.remaining().get() <= 0) {
                failure = injected.get();
            }
            if (failure != null && failure.remaining().getAndDecrement() > 0) {
                if (failure.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", failure.retryAfter());
                }
                error(exchange, failure.status(), failure.status() == 429 ? "Throttled" : "ServiceUnavailable",
                        "Injected failure.", null);
                return;
            }
            if (unavailable) {
                error(exchange, 503, "ServiceUnavailable", "The service is unavailable.", null);
                return;
            }
            if (denyAll || (denyValueReads && operation == Operation.GET_SECRET)) {
                error(exchange, 403, "Forbidden", "The user, group or application does not have secrets "
                        + (operation == Operation.GET_SECRET ? "get" : "list") + " permission on key vault.",
                        "AccessDenied");
                return;
            }
            switch (operation) {
                case LIST_SECRETS -> listSecrets(exchange, query);
                case LIST_VERSIONS -> listVersions(exchange, path[2], query);
                case GET_SECRET -> getSecret(exchange, path[2], path.length > 3 ? path[3] : "");
                case SET_SECRET -> setSecret(exchange, path[2]);
                case UPDATE_SECRET -> updateSecret(exchange, path[2], path[3]);
                default -> error(exchange, 405, "BadParameter", "Operation not supported by the fake.", null);
            }
        } catch (RuntimeException e) {
            // Never reached in a passing test; keeps the fake answering instead of hanging the client.
            error(exchange, 500, "InternalError", "The fake failed.", null);
        }
    }

    private static Operation operation(String method, String[] path) {
        if ("PUT".equals(method) && path.length == 3 && "secrets".equals(path[1])) {
            return Operation.SET_SECRET;
        }
        if ("PATCH".equals(method) && path.length == 4 && "secrets".equals(path[1])) {
            return Operation.UPDATE_SECRET;
        }
        if (!"GET".equals(method) || path.length < 2 || !"secrets".equals(path[1])) {
            return Operation.OTHER;
        }
        if (path.length == 2) {
            return Operation.LIST_SECRETS;
        }
        if (path.length == 4 && "versions".equals(path[3])) {
            return Operation.LIST_VERSIONS;
        }
        return path.length <= 4 ? Operation.GET_SECRET : Operation.OTHER;
    }

    private void listSecrets(HttpExchange exchange, Map<String, String> query) throws IOException {
        List<ObjectNode> items = new ArrayList<>();
        new TreeMap<>(secrets).forEach((name, versions) -> {
            FakeSecretVersion current = current(versions);
            if (current != null) {
                items.add(item(name, null, current));
            }
        });
        page(exchange, "/secrets", items, query);
    }

    private void listVersions(HttpExchange exchange, String name, Map<String, String> query) throws IOException {
        List<FakeSecretVersion> versions = secrets.get(name);
        if (versions == null || versions.isEmpty()) {
            notFound(exchange, name);
            return;
        }
        List<ObjectNode> items = new ArrayList<>();
        for (FakeSecretVersion version : versions) {
            items.add(item(name, version.version(), version));
        }
        page(exchange, "/secrets/" + name + "/versions", items, query);
    }

    private void getSecret(HttpExchange exchange, String name, String version) throws IOException {
        List<FakeSecretVersion> versions = secrets.get(name);
        FakeSecretVersion found = null;
        if (versions != null) {
            found = version.isEmpty() ? current(versions) : versions.stream()
                    .filter(v -> v.version().equalsIgnoreCase(version)).findFirst().orElse(null);
        }
        if (found == null) {
            notFound(exchange, version.isEmpty() ? name : name + "/" + version);
            return;
        }
        if (!found.enabled()) {
            error(exchange, 403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled");
            return;
        }
        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("value", found.value());
        bundle.put("id", vaultUrl().resolve("/secrets/" + name + "/" + found.version()).toString());
        fields(bundle, found);
        send(exchange, 200, bundle);
    }

    /**
     * SetSecret: a new version with the body's value, content type, tags and attributes, created after every other
     * version (so it is current); answers the bundle with the value, as Key Vault does.
     */
    private void setSecret(HttpExchange exchange, String name) throws IOException {
        com.fasterxml.jackson.databind.JsonNode body = JSON.readTree(exchange.getRequestBody());
        if (body == null || !body.path("value").isTextual()) {
            error(exchange, 400, "BadParameter", "The request body must hold a value.", null);
            return;
        }
        FakeSecretVersion created;
        synchronized (this) {
            List<FakeSecretVersion> versions = secrets.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
            Instant when = Instant.now();
            FakeSecretVersion current = current(versions);
            if (current != null && !when.isAfter(current.created())) {
                when = current.created().plusSeconds(1);
            }
            Map<String, String> tags = new TreeMap<>();
            body.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
            com.fasterxml.jackson.databind.JsonNode attributes = body.path("attributes");
            created = new FakeSecretVersion(java.util.UUID.randomUUID().toString().replace("-", ""),
                    body.path("value").asText(), body.path("contentType").asText(null),
                    attributes.path("enabled").asBoolean(true), when, when,
                    attributes.has("nbf") ? Instant.ofEpochSecond(attributes.path("nbf").asLong()) : null,
                    attributes.has("exp") ? Instant.ofEpochSecond(attributes.path("exp").asLong()) : null,
                    "Recoverable+Purgeable", tags);
            versions.add(created);
        }
        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("value", created.value());
        bundle.put("id", vaultUrl().resolve("/secrets/" + name + "/" + created.version()).toString());
        fields(bundle, created);
        send(exchange, 200, bundle);
    }

    /** UpdateSecret: sets {@code attributes.enabled}, content type and tags of one version; no value in the answer. */
    private void updateSecret(HttpExchange exchange, String name, String version) throws IOException {
        com.fasterxml.jackson.databind.JsonNode body = JSON.readTree(exchange.getRequestBody());
        List<FakeSecretVersion> versions = secrets.get(name);
        FakeSecretVersion found = versions == null ? null : versions.stream()
                .filter(v -> v.version().equalsIgnoreCase(version)).findFirst().orElse(null);
        if (found == null) {
            notFound(exchange, name + "/" + version);
            return;
        }
        FakeSecretVersion updated = found;
        com.fasterxml.jackson.databind.JsonNode enabled = body.path("attributes").path("enabled");
        if (enabled.isBoolean()) {
            updated = new FakeSecretVersion(found.version(), found.value(), found.contentType(), enabled.asBoolean(),
                    found.created(), Instant.now(), found.notBefore(), found.expires(), found.recoveryLevel(),
                    found.tags());
        }
        if (body.has("contentType")) {
            updated = updated.withContentType(body.path("contentType").asText(null));
        }
        if (body.has("tags")) {
            Map<String, String> tags = new TreeMap<>();
            body.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
            updated = updated.withTags(tags);
        }
        versions.set(versions.indexOf(found), updated);
        send(exchange, 200, item(name, updated.version(), updated));
    }

    /** The versions of {@code name} in the order they were added (values included: test inspection only). */
    public List<FakeSecretVersion> versionsOf(String name) {
        return List.copyOf(secrets.getOrDefault(name, List.of()));
    }

    /** Key Vault's "current" version is the most recently created one. */
    private static FakeSecretVersion current(List<FakeSecretVersion> versions) {
        FakeSecretVersion current = null;
        for (FakeSecretVersion v : versions) {
            if (current == null || !v.created().isBefore(current.created())) {
                current = v;
            }
        }
        return current;
    }

    private ObjectNode item(String name, String version, FakeSecretVersion v) {
        ObjectNode item = JSON.createObjectNode();
        item.put("id", vaultUrl().resolve("/secrets/" + name + (version == null ? "" : "/" + version)).toString());
        fields(item, v);
        return item;
    }

    private static void fields(ObjectNode node, FakeSecretVersion v) {
        if (v.contentType() != null) {
            node.put("contentType", v.contentType());
        }
        ObjectNode attributes = node.putObject("attributes");
        attributes.put("enabled", v.enabled());
        if (v.notBefore() != null) {
            attributes.put("nbf", v.notBefore().getEpochSecond());
        }
        if (v.expires() != null) {
            attributes.put("exp", v.expires().getEpochSecond());
        }
        attributes.put("created", v.created().getEpochSecond());
        attributes.put("updated", v.updated().getEpochSecond());
        if (v.recoveryLevel() != null) {
            attributes.put("recoveryLevel", v.recoveryLevel());
        }
        if (!v.tags().isEmpty()) {
            ObjectNode tags = node.putObject("tags");
            v.tags().forEach(tags::put);
        }
    }

    private void page(HttpExchange exchange, String path, List<ObjectNode> items, Map<String, String> query)
            throws IOException {
        int size = pageSize;
        if (query.containsKey("maxresults")) {
            size = Math.max(1, Math.min(MAX_RESULTS, Integer.parseInt(query.get("maxresults"))));
        }
        int from = query.containsKey("$skiptoken") ? Integer.parseInt(query.get("$skiptoken")) : 0;
        int to = Math.min(items.size(), from + size);
        ObjectNode result = JSON.createObjectNode();
        ArrayNode value = result.putArray("value");
        items.subList(Math.min(from, to), to).forEach(value::add);
        if (to < items.size()) {
            result.put("nextLink", vaultUrl().resolve(path) + "?api-version=" + query.get("api-version")
                    + "&$skiptoken=" + to + "&maxresults=" + size);
        } else {
            result.putNull("nextLink");
        }
        send(exchange, 200, result);
    }

    private static void notFound(HttpExchange exchange, String what) throws IOException {
        error(exchange, 404, "SecretNotFound", "A secret with (name/id) " + what + " was not found in this key vault.",
                null);
    }

    private static void error(HttpExchange exchange, int status, String code, String message, String inner)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (inner != null) {
            error.putObject("innererror").put("code", inner);
        }
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().add("x-ms-keyvault-service-version", "1.9.0.0");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            query.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
