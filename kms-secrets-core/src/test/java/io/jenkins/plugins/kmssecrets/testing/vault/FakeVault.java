package io.jenkins.plugins.kmssecrets.testing.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A HashiCorp Vault server on 127.0.0.1, faithful to the endpoints a {@code VaultStore} uses: KV version 2
 * ({@code data/}, {@code metadata/}, {@code LIST metadata/}) and version 1 mounts, token lookup and renewal, AppRole
 * and Kubernetes login, Enterprise namespaces, ACL policies by path and capability, token TTLs against a clock the
 * test controls, a sealed state, and Vault's error body {@code {"errors":[...]}}.
 *
 * <p>Counts requests by kind ({@link #READ}, {@link #METADATA}, {@link #LIST}, {@link #LOGIN}, ...) so tests can
 * prove that listing and describing never read a value.
 */
public final class FakeVault implements AutoCloseable {

    private final RequestLog requestLog = new RequestLog();

    public static final String READ = "read";
    public static final String METADATA = "metadata";
    public static final String LIST = "list";
    public static final String LOGIN = "login";
    public static final String LOOKUP_SELF = "lookup-self";
    public static final String RENEW_SELF = "renew-self";
    public static final String CAPABILITIES = "capabilities-self";
    public static final String WRITE = "write";
    public static final String DELETE_VERSIONS = "delete-versions";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final Map<String, Mount> mounts = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> appRoles = new ConcurrentHashMap<>();
    private final Map<String, String> kubernetesRoles = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger upgradeRequests = new AtomicInteger();
    private final Deque<Integer> failures = new ArrayDeque<>();
    private final List<String> namespacesSeen = new ArrayList<>();
    private final AtomicInteger metadataInFlight = new AtomicInteger();
    private final AtomicInteger metadataMaxInFlight = new AtomicInteger();
    private final AtomicInteger listInFlight = new AtomicInteger();
    private final AtomicInteger listMaxInFlight = new AtomicInteger();
    private volatile CyclicBarrier metadataGate;
    private volatile boolean sealed;
    private volatile boolean silent;
    private volatile Duration loginTtl = Duration.ofHours(1);
    private volatile List<String> loginPolicy = List.of("*:read,list");
    private int issued;
    private Runnable beforeNextWrite;

    private FakeVault(Clock clock, SSLContext tls) throws IOException {
        this.clock = clock;
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::handle);
        // Concurrent like a real Vault (the JDK server's default runs one exchange at a time).
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-vault");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
    }

    /** A plain-HTTP Vault whose token TTLs follow {@code clock}. */
    public static FakeVault start(Clock clock) throws IOException {
        return new FakeVault(clock, null);
    }

    /** An HTTPS Vault presenting the key and certificate of {@code tls}. */
    public static FakeVault startTls(Clock clock, SSLContext tls) throws IOException {
        return new FakeVault(clock, tls);
    }

    /** {@code http://127.0.0.1:<port>} (or {@code https://localhost:<port>} for a TLS server). */
    public URI address() {
        return URI.create((server instanceof HttpsServer ? "https://localhost:" : "http://127.0.0.1:")
                + server.getAddress().getPort());
    }

    /** Enables a KV engine of {@code version} (1 or 2) at {@code path}. */
    public FakeVault mount(String path, int version) {
        mounts.put(path, new Mount(version));
        return this;
    }

    /** Writes a new version of the secret at {@code path} under {@code mount}; returns the version number. */
    public synchronized int put(String mount, String path, Map<String, ?> data) {
        Mount m = mounts.get(mount);
        Entry entry = m.secrets.computeIfAbsent(path, p -> new Entry(now()));
        if (m.version == 1) {
            entry.versions.clear();
        }
        entry.versions.add(new Version(JSON.valueToTree(data), now()));
        entry.updated = now();
        return entry.versions.size();
    }

    /** Sets the KV v2 custom metadata of a secret. */
    public synchronized void customMetadata(String mount, String path, Map<String, String> metadata) {
        mounts.get(mount).secrets.get(path).custom = new TreeMap<>(metadata);
    }

    /** Soft-deletes a KV v2 version at {@code when} (a future time models {@code delete_version_after}). */
    public synchronized void delete(String mount, String path, int version, Instant when) {
        mounts.get(mount).secrets.get(path).versions.get(version - 1).deletion = when;
    }

    /** Destroys a KV v2 version: its data is gone. */
    public synchronized void destroy(String mount, String path, int version) {
        Version v = mounts.get(mount).secrets.get(path).versions.get(version - 1);
        v.destroyed = true;
        v.data = null;
    }

    /**
     * Issues {@code token} with a TTL ({@link Duration#ZERO}: never expires) and ACL rules written as
     * {@code <path glob>:<capability>,<capability>} ({@code secret/data/apps/*:read}).
     */
    public void token(String token, Duration ttl, boolean renewable, String... rules) {
        tokens.put(token, new Token(ttl.isZero() ? null : now().plus(ttl), ttl, renewable, List.of(rules)));
    }

    /** Revokes a token, as when it expires or an operator revokes it mid-run. */
    public void revoke(String token) {
        tokens.remove(token);
    }

    /** Registers an AppRole role id and its secret id. */
    public void appRole(String roleId, String secretId) {
        appRoles.put(roleId, secretId);
    }

    /** Registers a Kubernetes auth role accepting exactly {@code jwt}. */
    public void kubernetesRole(String role, String jwt) {
        kubernetesRoles.put(role, jwt);
    }

    /** TTL and ACL rules of tokens issued by logins. */
    public void loginTokens(Duration ttl, String... rules) {
        loginTtl = ttl;
        loginPolicy = List.of(rules);
    }

    /** Seals or unseals the Vault: while sealed, every request gets 503 {@code Vault is sealed}. */
    public void sealed(boolean sealed) {
        this.sealed = sealed;
    }

    /**
     * Makes the Vault silent or lets it speak again: while silent, every request is accepted and read, then held
     * without an answer (a hung backend) until the Vault speaks again (then it gets 503) or is closed.
     */
    public void silent(boolean silent) {
        this.silent = silent;
    }

    /** Answers the next {@code times} requests with {@code status} and a generic error body. */
    public synchronized void failNext(int status, int times) {
        for (int i = 0; i < times; i++) {
            failures.add(status);
        }
    }

    /**
     * Holds every KV 2 metadata read until {@code parties} of them are in flight together (or 10 s pass), so a test
     * can see how many a client sends at once ({@link #metadataMaxInFlight()}) without timing anything.
     */
    public void holdMetadataReads(int parties) {
        metadataGate = new CyclicBarrier(parties);
    }

    /** The most KV 2 metadata reads that were in flight at the same time. */
    public int metadataMaxInFlight() {
        return metadataMaxInFlight.get();
    }

    /** The most LIST requests that were in flight at the same time (a cache's single flight shows as 1). */
    public int listMaxInFlight() {
        return listMaxInFlight.get();
    }

    /** Requests of {@code kind} so far. */
    public int count(String kind) {
        AtomicInteger count = counts.get(kind);
        return count == null ? 0 : count.get();
    }

    /** Requests that asked to upgrade the connection (an HTTP/2 h2c upgrade). */
    public int upgradeRequests() {
        return upgradeRequests.get();
    }

    /** The {@code X-Vault-Namespace} header of every request, in order ({@code ""} when absent). */
    public synchronized List<String> namespacesSeen() {
        return List.copyOf(namespacesSeen);
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

    private Instant now() {
        return clock.instant();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requestLog.record(exchange);
            if (exchange.getRequestHeaders().containsKey("Upgrade")) {
                upgradeRequests.incrementAndGet();
            }
            String ns = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
            synchronized (this) {
                namespacesSeen.add(ns == null ? "" : ns);
            }
            URI uri = exchange.getRequestURI();
            String path = URLDecoder.decode(uri.getRawPath(), StandardCharsets.UTF_8);
            Map<String, String> query = query(uri.getRawQuery());
            String method = exchange.getRequestMethod();
            if ("GET".equals(method) && "true".equals(query.get("list"))) {
                method = "LIST";
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (silent) {
                try {
                    while (silent) {
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                errors(exchange, 503, "Vault was silent");
                return;
            }
            if (sealed) {
                errors(exchange, 503, "Vault is sealed");
                return;
            }
            Integer failure;
            synchronized (this) {
                failure = failures.poll();
            }
            if (failure != null) {
                errors(exchange, failure, failure == 503 ? "service unavailable" : "injected failure");
                return;
            }
            if (!path.startsWith("/v1/")) {
                errors(exchange, 404, "unsupported path");
                return;
            }
            route(exchange, method, path.substring(4), query, body);
        } catch (RuntimeException e) {
            errors(exchange, 500, "internal error in fake: " + e.getClass().getSimpleName());
        }
    }

    private void route(HttpExchange exchange, String method, String path, Map<String, String> query, byte[] body)
            throws IOException {
        if (path.equals("auth/token/lookup-self") && method.equals("GET")) {
            record(LOOKUP_SELF);
            Token token = authenticated(exchange);
            if (token != null) {
                ObjectNode data = JSON.createObjectNode();
                data.put("ttl", token.expires == null ? 0 : Duration.between(now(), token.expires).toSeconds());
                data.put("renewable", token.renewable);
                data.set("policies", JSON.createArrayNode().add("default"));
                send(exchange, 200, wrap("data", data));
            }
            return;
        }
        if (path.equals("auth/token/renew-self") && method.equals("POST")) {
            record(RENEW_SELF);
            Token token = authenticated(exchange);
            if (token != null) {
                if (!token.renewable || token.expires == null) {
                    errors(exchange, 400, "lease is not renewable");
                    return;
                }
                String value = exchange.getRequestHeaders().getFirst("X-Vault-Token");
                tokens.put(value, new Token(now().plus(token.ttl), token.ttl, true, token.rules));
                send(exchange, 200, wrap("auth", auth(value, token.ttl, true)));
            }
            return;
        }
        if (path.startsWith("auth/") && path.endsWith("/login") && method.equals("POST")) {
            record(LOGIN);
            login(exchange, path.substring(5, path.length() - 6), JSON.readTree(body));
            return;
        }
        if (path.equals("sys/capabilities-self") && (method.equals("POST") || method.equals("PUT"))) {
            record(CAPABILITIES);
            Token token = authenticated(exchange);
            if (token != null) {
                capabilities(exchange, token, JSON.readTree(body));
            }
            return;
        }
        Token token = authenticated(exchange);
        if (token == null) {
            return;
        }
        String mountName = null;
        for (String candidate : mounts.keySet()) {
            if (path.startsWith(candidate + "/") && (mountName == null || candidate.length() > mountName.length())) {
                mountName = candidate;
            }
        }
        if (mountName == null) {
            errors(exchange, 403, "permission denied");
            return;
        }
        Mount mount = mounts.get(mountName);
        String rest = path.substring(mountName.length() + 1);
        if (mount.version == 2) {
            if (rest.startsWith("data/") && method.equals("GET")) {
                record(READ);
                if (allowed(exchange, token, path, "read")) {
                    readV2(exchange, mount, rest.substring(5), query.get("version"));
                }
            } else if (rest.startsWith("data/") && (method.equals("POST") || method.equals("PUT"))) {
                record(WRITE);
                if (allowed(exchange, token, path, "update")) {
                    writeV2(exchange, mount, rest.substring(5), JSON.readTree(body));
                }
            } else if (rest.startsWith("delete/") && (method.equals("POST") || method.equals("PUT"))) {
                record(DELETE_VERSIONS);
                if (allowed(exchange, token, path, "update")) {
                    deleteVersions(exchange, mount, rest.substring(7), JSON.readTree(body));
                }
            } else if (rest.startsWith("metadata/") && method.equals("LIST")) {
                record(LIST);
                listMaxInFlight.accumulateAndGet(listInFlight.incrementAndGet(), Math::max);
                try {
                    if (allowed(exchange, token, path, "list")) {
                        list(exchange, mount, rest.substring(9));
                    }
                } finally {
                    listInFlight.decrementAndGet();
                }
            } else if (rest.startsWith("metadata/") && method.equals("GET")) {
                record(METADATA);
                int inFlight = metadataInFlight.incrementAndGet();
                metadataMaxInFlight.accumulateAndGet(inFlight, Math::max);
                try {
                    awaitGate();
                } finally {
                    // Before answering: a client's next read follows the answer, so it can never be counted as in
                    // flight together with the read it waited for (counting after the answer let 5 of 4 overlap).
                    metadataInFlight.decrementAndGet();
                }
                if (allowed(exchange, token, path, "read")) {
                    metadata(exchange, mount, rest.substring(9));
                }
            } else {
                errors(exchange, 405, "unsupported operation");
            }
        } else if (method.equals("LIST")) {
            record(LIST);
            if (allowed(exchange, token, path, "list")) {
                list(exchange, mount, rest);
            }
        } else if (method.equals("GET")) {
            record(READ);
            if (allowed(exchange, token, path, "read")) {
                readV1(exchange, mount, rest);
            }
        } else if (method.equals("POST") || method.equals("PUT")) {
            record(WRITE);
            if (allowed(exchange, token, path, "update")) {
                JsonNode data = JSON.readTree(body);
                synchronized (this) {
                    Entry entry = mount.secrets.computeIfAbsent(rest, p -> new Entry(now()));
                    entry.versions.clear();
                    entry.versions.add(new Version(data, now()));
                    entry.updated = now();
                }
                exchange.sendResponseHeaders(204, -1);
            }
        } else {
            errors(exchange, 405, "unsupported operation");
        }
    }

    private void awaitGate() {
        CyclicBarrier gate = metadataGate;
        if (gate == null) {
            return;
        }
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BrokenBarrierException | TimeoutException e) {
            // A short last batch: let it through.
        }
    }

    private void login(HttpExchange exchange, String authMount, JsonNode body) throws IOException {
        if (body.has("role_id")) {
            // AppRole answers a bad role id or secret id with 400, as Vault does.
            String secretId = appRoles.get(body.path("role_id").asText());
            if (secretId == null || !secretId.equals(body.path("secret_id").asText())) {
                errors(exchange, 400, "invalid role or secret ID");
                return;
            }
        } else {
            String jwt = kubernetesRoles.get(body.path("role").asText());
            if (jwt == null || !jwt.equals(body.path("jwt").asText())) {
                errors(exchange, 403, "permission denied");
                return;
            }
        }
        String value;
        synchronized (this) {
            value = "hvs.fake-issued-" + (++issued);
        }
        tokens.put(value, new Token(now().plus(loginTtl), loginTtl, true, loginPolicy));
        send(exchange, 200, wrap("auth", auth(value, loginTtl, true)));
    }

    private Token authenticated(HttpExchange exchange) throws IOException {
        String value = exchange.getRequestHeaders().getFirst("X-Vault-Token");
        Token token = value == null ? null : tokens.get(value);
        if (token == null || (token.expires != null && !now().isBefore(token.expires))) {
            errors(exchange, 403, "permission denied");
            return null;
        }
        return token;
    }

    private boolean allowed(HttpExchange exchange, Token token, String path, String capability) throws IOException {
        if (capabilitiesOf(token, path).contains(capability)) {
            return true;
        }
        errors(exchange, 403, "1 error occurred:\n\t* permission denied\n\n");
        return false;
    }

    /** The union of the capabilities the token's rules grant on {@code path}. */
    private static Set<String> capabilitiesOf(Token token, String path) {
        Set<String> out = new TreeSet<>();
        for (String rule : token.rules) {
            int colon = rule.lastIndexOf(':');
            String glob = rule.substring(0, colon);
            boolean matches = glob.endsWith("*") ? path.startsWith(glob.substring(0, glob.length() - 1))
                    : path.equals(glob);
            if (matches) {
                out.addAll(List.of(rule.substring(colon + 1).split(",")));
            }
        }
        return out;
    }

    /**
     * {@code sys/capabilities-self}: Vault answers each path's capabilities at the top level and under {@code data}
     * ({@code ["deny"]} when none), plus {@code capabilities} for all paths together.
     */
    private void capabilities(HttpExchange exchange, Token token, JsonNode body) throws IOException {
        ObjectNode data = JSON.createObjectNode();
        Set<String> all = new TreeSet<>();
        for (JsonNode path : body.path("paths")) {
            Set<String> caps = capabilitiesOf(token, path.asText());
            if (caps.isEmpty()) {
                caps = Set.of("deny");
            }
            all.addAll(caps);
            ArrayNode array = data.putArray(path.asText());
            caps.forEach(array::add);
        }
        ArrayNode merged = data.putArray("capabilities");
        all.forEach(merged::add);
        ObjectNode envelope = wrap("data", data);
        data.properties().forEach(field -> envelope.set(field.getKey(), field.getValue()));
        send(exchange, 200, envelope);
    }

    private void readV2(HttpExchange exchange, Mount mount, String path, String version) throws IOException {
        Entry entry = mount.secrets.get(path);
        if (entry == null) {
            errors(exchange, 404, null);
            return;
        }
        int n = version == null || version.equals("0") ? entry.versions.size() : Integer.parseInt(version);
        if (n < 1 || n > entry.versions.size()) {
            errors(exchange, 404, null);
            return;
        }
        Version v = entry.versions.get(n - 1);
        ObjectNode metadata = versionNode(v);
        metadata.put("version", n);
        metadata.set("custom_metadata", entry.custom == null ? null : JSON.valueToTree(entry.custom));
        ObjectNode data = JSON.createObjectNode();
        boolean gone = v.destroyed || (v.deletion != null && !v.deletion.isAfter(now()));
        data.set("data", gone ? null : v.data);
        data.set("metadata", metadata);
        send(exchange, gone ? 404 : 200, wrap("data", data));
    }

    /**
     * KV 2 write: {@code {"options":{"cas":n},"data":{...}}}; a {@code cas} that is not the current version is
     * refused with Vault's 400 {@code check-and-set parameter did not match the current version}.
     */
    private void writeV2(HttpExchange exchange, Mount mount, String path, JsonNode body) throws IOException {
        JsonNode data = body == null ? null : body.get("data");
        if (data == null || !data.isObject()) {
            errors(exchange, 400, "no data provided");
            return;
        }
        int version;
        Instant created;
        synchronized (this) {
            Runnable hook = beforeNextWrite;
            beforeNextWrite = null;
            if (hook != null) {
                hook.run();
            }
            Entry entry = mount.secrets.get(path);
            int current = entry == null ? 0 : entry.versions.size();
            JsonNode cas = body.path("options").path("cas");
            if (!cas.isMissingNode() && cas.asInt(-1) != current) {
                errors(exchange, 400, "check-and-set parameter did not match the current version");
                return;
            }
            if (entry == null) {
                entry = new Entry(now());
                mount.secrets.put(path, entry);
            }
            created = now();
            entry.versions.add(new Version(data, created));
            entry.updated = created;
            version = entry.versions.size();
        }
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("created_time", created.toString());
        metadata.putNull("custom_metadata");
        metadata.put("deletion_time", "");
        metadata.put("destroyed", false);
        metadata.put("version", version);
        send(exchange, 200, wrap("data", metadata));
    }

    /** KV 2 soft delete of versions: {@code {"versions":[n,...]}}; 204 as Vault answers. */
    private void deleteVersions(HttpExchange exchange, Mount mount, String path, JsonNode body) throws IOException {
        synchronized (this) {
            Entry entry = mount.secrets.get(path);
            if (entry == null) {
                errors(exchange, 404, null);
                return;
            }
            for (JsonNode n : body.path("versions")) {
                int index = n.asInt() - 1;
                if (index >= 0 && index < entry.versions.size()) {
                    entry.versions.get(index).deletion = now();
                }
            }
        }
        exchange.sendResponseHeaders(204, -1);
    }

    /** The data of version {@code version} (1-based) of a secret, or {@code null} when deleted/destroyed. */
    public synchronized JsonNode data(String mount, String path, int version) {
        Version v = mounts.get(mount).secrets.get(path).versions.get(version - 1);
        boolean gone = v.destroyed || (v.deletion != null && !v.deletion.isAfter(now()));
        return gone ? null : v.data.deepCopy();
    }

    /** Runs {@code action} when the next KV 2 write arrives, before its check-and-set: a concurrent writer. */
    public synchronized void beforeNextWrite(Runnable action) {
        beforeNextWrite = action;
    }

    /** How many versions a secret has (KV 1: always 1). */
    public synchronized int versionCount(String mount, String path) {
        return mounts.get(mount).secrets.get(path).versions.size();
    }

    private void readV1(HttpExchange exchange, Mount mount, String path) throws IOException {
        Entry entry = mount.secrets.get(path);
        if (entry == null) {
            errors(exchange, 404, null);
            return;
        }
        send(exchange, 200, wrap("data", entry.versions.get(entry.versions.size() - 1).data));
    }

    private void metadata(HttpExchange exchange, Mount mount, String path) throws IOException {
        Entry entry = mount.secrets.get(path);
        if (entry == null) {
            errors(exchange, 404, null);
            return;
        }
        ObjectNode data = JSON.createObjectNode();
        data.put("cas_required", false);
        data.put("created_time", entry.created.toString());
        data.put("current_version", entry.versions.size());
        data.set("custom_metadata", entry.custom == null ? null : JSON.valueToTree(entry.custom));
        data.put("delete_version_after", "0s");
        data.put("max_versions", 0);
        data.put("oldest_version", 0);
        data.put("updated_time", entry.updated.toString());
        ObjectNode versions = data.putObject("versions");
        for (int i = 0; i < entry.versions.size(); i++) {
            versions.set(Integer.toString(i + 1), versionNode(entry.versions.get(i)));
        }
        send(exchange, 200, wrap("data", data));
    }

    private void list(HttpExchange exchange, Mount mount, String directory) throws IOException {
        String prefix = directory.isEmpty() || directory.endsWith("/") ? directory : directory + "/";
        Set<String> keys = new TreeSet<>();
        for (String path : mount.secrets.keySet()) {
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int slash = rest.indexOf('/');
                keys.add(slash < 0 ? rest : rest.substring(0, slash + 1));
            }
        }
        if (keys.isEmpty()) {
            errors(exchange, 404, null);
            return;
        }
        ArrayNode array = JSON.createArrayNode();
        keys.forEach(array::add);
        send(exchange, 200, wrap("data", JSON.createObjectNode().set("keys", array)));
    }

    private static ObjectNode versionNode(Version v) {
        ObjectNode node = JSON.createObjectNode();
        node.put("created_time", v.created.toString());
        node.put("deletion_time", v.deletion == null ? "" : v.deletion.toString());
        node.put("destroyed", v.destroyed);
        return node;
    }

    private static ObjectNode auth(String token, Duration ttl, boolean renewable) {
        ObjectNode auth = JSON.createObjectNode();
        auth.put("client_token", token);
        auth.put("accessor", "accessor-" + Integer.toHexString(token.hashCode()));
        auth.set("policies", JSON.createArrayNode().add("default"));
        auth.put("lease_duration", ttl.toSeconds());
        auth.put("renewable", renewable);
        return auth;
    }

    private static ObjectNode wrap(String field, JsonNode value) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("request_id", "00000000-0000-0000-0000-000000000000");
        envelope.put("lease_id", "");
        envelope.put("renewable", false);
        envelope.put("lease_duration", 0);
        envelope.set(field, value);
        return envelope;
    }

    private void record(String kind) {
        counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Vault's error body; a 404 without message has an empty {@code errors} array, as Vault sends. */
    private static void errors(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode errors = body.putArray("errors");
        if (message != null) {
            errors.add(message);
        }
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static final class Mount {
        private final int version;
        private final Map<String, Entry> secrets = new ConcurrentHashMap<>();

        private Mount(int version) {
            this.version = version;
        }
    }

    private static final class Entry {
        private final Instant created;
        private Instant updated;
        private Map<String, String> custom;
        private final List<Version> versions = new ArrayList<>();

        private Entry(Instant created) {
            this.created = created;
            this.updated = created;
        }
    }

    private static final class Version {
        private JsonNode data;
        private final Instant created;
        private Instant deletion;
        private boolean destroyed;

        private Version(JsonNode data, Instant created) {
            this.data = data;
            this.created = created;
        }
    }

    private record Token(Instant expires, Duration ttl, boolean renewable, List<String> rules) {
    }
}
