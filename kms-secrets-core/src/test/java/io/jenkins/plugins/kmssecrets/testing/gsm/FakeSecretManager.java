package io.jenkins.plugins.kmssecrets.testing.gsm;

import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.ListSecretVersionsResponse;
import com.google.cloud.secretmanager.v1.ListSecretsResponse;
import com.google.cloud.secretmanager.v1.Rotation;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.kmssecrets.testing.RequestLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A Google Secret Manager v1 server on 127.0.0.1 speaking the REST (HTTP/JSON) mapping of the API, which the real
 * {@code SecretManagerServiceClient} built with {@code newHttpJsonBuilder()} talks to. It implements the five
 * methods the store uses, with paging, a small subset of the list filter syntax ({@code labels.k=v},
 * {@code name:text}), version states, and Google's error body {@code {"error":{"code","message","status"}}}.
 *
 * <p>It counts calls per method so tests can prove that listing and describing never call
 * {@code AccessSecretVersion}, and it can fail the next calls of a method with a chosen HTTP status (with a
 * {@code Retry-After} header or a {@code RetryInfo} detail, as Google sends them on 429 and 503). It also answers the
 * OAuth token endpoint a service-account key names ({@link #tokenUri()}), which can reject the sign-in as Google's
 * does ({@code 400 invalid_grant}), and {@code TestIamPermissions} on secrets, with per-secret grants.
 */
public final class FakeSecretManager implements AutoCloseable {

    private final RequestLog requestLog = new RequestLog();

    /** Method names as in the API, used for {@link #calls(String)} and {@link #failNext}. */
    public static final String LIST_SECRETS = "ListSecrets";
    public static final String GET_SECRET = "GetSecret";
    public static final String GET_SECRET_VERSION = "GetSecretVersion";
    public static final String LIST_SECRET_VERSIONS = "ListSecretVersions";
    public static final String ACCESS_SECRET_VERSION = "AccessSecretVersion";
    /** Requests to the OAuth token endpoint ({@link #tokenUri()}). */
    public static final String TOKEN = "Token";
    public static final String TEST_IAM_PERMISSIONS = "TestIamPermissions";
    public static final String ADD_SECRET_VERSION = "AddSecretVersion";
    public static final String DISABLE_SECRET_VERSION = "DisableSecretVersion";
    /** The permission {@code AccessSecretVersion} needs. */
    public static final String ACCESS_PERMISSION = "secretmanager.versions.access";

    private static final Pattern FILTER_LABEL = Pattern.compile("labels\\.([a-z0-9_-]+)=([a-z0-9_-]*)");
    private static final Pattern FILTER_NAME = Pattern.compile("name:([A-Za-z0-9_-]+)");

    private final String parent;
    private final HttpServer server;
    private final Map<String, FakeSecret> secrets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Deque<Failure>> failures = new ConcurrentHashMap<>();
    private final List<String> filtersSeen = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    /** Secret id to the permissions the caller holds on it; a secret not in the map grants every permission. */
    private final Map<String, java.util.Set<String>> grants = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool(
            runnable -> {
                Thread thread = new Thread(runnable, "fake-secret-manager");
                thread.setDaemon(true);
                return thread;
            });
    private volatile String signInError;
    private volatile String signInErrorDescription;
    private volatile String requiredBearer;
    private volatile boolean corruptChecksums;
    private volatile boolean denyAll;
    private volatile boolean unavailable;
    private long clock = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();

    private FakeSecretManager(String parent) throws IOException {
        this(parent, null);
    }

    private FakeSecretManager(String parent, javax.net.ssl.SSLContext tls) throws IOException {
        this.parent = parent;
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            this.server = HttpServer.create(loopback, 0);
        } else {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            this.server = https;
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Serves global secrets of {@code project} ({@code projects/<project>}). */
    public static FakeSecretManager start(String project) throws IOException {
        return new FakeSecretManager("projects/" + project);
    }

    /** Serves global secrets of {@code project} over HTTPS with the key and certificate of {@code tls}. */
    public static FakeSecretManager startTls(String project, javax.net.ssl.SSLContext tls) throws IOException {
        return new FakeSecretManager("projects/" + project, tls);
    }

    /** Serves regional secrets of {@code project} in {@code location}. */
    public static FakeSecretManager startRegional(String project, String location) throws IOException {
        return new FakeSecretManager("projects/" + project + "/locations/" + location);
    }

    /** The endpoint to hand to the client: {@code http://127.0.0.1:<port>} ({@code https://} with TLS). */
    public String endpoint() {
        return (server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort();
    }

    /** The OAuth token URI this server also answers (for service-account key files in tests). */
    public String tokenUri() {
        return endpoint() + "/token";
    }

    /**
     * A service-account key file's JSON with a fresh RSA key whose {@code token_uri} is {@code tokenUri} (this fake's
     * {@link #tokenUri()}, or an endpoint that fails), for tests that sign in with the real Google credentials.
     */
    public static String serviceAccountKey(String tokenUri) {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\\n" + java.util.Base64.getEncoder()
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                    + "\\n-----END PRIVATE KEY-----\\n";
            return "{\"type\":\"service_account\",\"project_id\":\"ci-project\",\"private_key_id\":\"k1\","
                    + "\"private_key\":\"" + pem + "\",\"client_email\":\"ci@ci-project.iam.gserviceaccount.com\","
                    + "\"client_id\":\"1\",\"token_uri\":\"" + tokenUri + "\"}";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates a secret with labels and no versions. */
    public synchronized FakeSecretManager secret(String id, Map<String, String> labels) {
        Secret secret = Secret.newBuilder().setName(parent + "/secrets/" + id).putAllLabels(labels)
                .setCreateTime(tick()).build();
        secrets.put(id, new FakeSecret(secret));
        return this;
    }

    /** Sets the secret's annotations (free-form metadata, unlike labels not limited to lower case). */
    public synchronized void annotate(String id, Map<String, String> annotations) {
        FakeSecret secret = existing(id);
        secret.secret = secret.secret.toBuilder().putAllAnnotations(annotations).build();
    }

    /**
     * The token endpoint answers {@code 400 {"error": error, "error_description": description}} from now on, as
     * Google's does for a revoked key ({@code invalid_grant}, "Invalid JWT Signature.") or an unknown account
     * ({@code invalid_grant}, "Invalid grant: account not found"); {@code null} accepts sign-ins again.
     */
    public void rejectSignIn(String error, String description) {
        signInErrorDescription = description;
        signInError = error;
    }

    /**
     * The caller holds exactly {@code permissions} on secret {@code id}, as {@code TestIamPermissions} answers; a
     * secret without grants set here grants every permission asked. Only {@code TestIamPermissions} consults grants.
     */
    public void grant(String id, String... permissions) {
        grants.put(id, java.util.Set.of(permissions));
    }

    /** Requests to the API (every method, failed ones included), not counting the token endpoint. */
    public int apiCalls() {
        return calls.entrySet().stream().filter(e -> !e.getKey().equals(TOKEN))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** Answers every API call with 403 PERMISSION_DENIED while {@code deny} is true. */
    public void denyAll(boolean deny) {
        denyAll = deny;
    }

    /** Answers every API call with 503 UNAVAILABLE while {@code down} is true. */
    public void unavailable(boolean down) {
        unavailable = down;
    }

    /** Adds an enabled version holding {@code value} (UTF-8) and returns its number. */
    public synchronized int addVersion(String id, String value) {
        return addVersion(id, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds an enabled version holding {@code value} and returns its number. */
    public synchronized int addVersion(String id, byte[] value) {
        FakeSecret secret = existing(id);
        int number = secret.versions.size() + 1;
        secret.versions.put(number, SecretVersion.newBuilder()
                .setName(parent + "/secrets/" + id + "/versions/" + number)
                .setState(SecretVersion.State.ENABLED).setCreateTime(tick()).build());
        secret.payloads.put(number, value.clone());
        return number;
    }

    /** Disables a version. */
    public synchronized void disable(String id, int version) {
        FakeSecret secret = existing(id);
        secret.versions.put(version, secret.versions.get(version).toBuilder()
                .setState(SecretVersion.State.DISABLED).build());
    }

    /** Destroys a version: its payload is gone for good. */
    public synchronized void destroy(String id, int version) {
        FakeSecret secret = existing(id);
        secret.versions.put(version, secret.versions.get(version).toBuilder()
                .setState(SecretVersion.State.DESTROYED).setDestroyTime(tick()).build());
        secret.payloads.remove(version);
    }

    /** Sets the secret's expire time. */
    public synchronized void expire(String id, Instant when) {
        FakeSecret secret = existing(id);
        secret.secret = secret.secret.toBuilder().setExpireTime(timestamp(when)).build();
    }

    /** Sets the secret's rotation schedule. */
    public synchronized void rotation(String id, Instant next, java.time.Duration period) {
        FakeSecret secret = existing(id);
        secret.secret = secret.secret.toBuilder().setRotation(Rotation.newBuilder()
                .setNextRotationTime(timestamp(next))
                .setRotationPeriod(Duration.newBuilder().setSeconds(period.getSeconds()))).build();
    }

    /** Answers the next {@code times} calls of {@code method} with {@code httpStatus} and the RPC status name. */
    public void failNext(String method, int httpStatus, String status, int times) {
        failNext(method, httpStatus, status, times, null, null);
    }

    /**
     * Answers the next {@code times} calls of {@code method} with {@code httpStatus}, the RPC status name, and when
     * not {@code null} a {@code Retry-After} header ({@code retryAfter}, such as {@code "5"}) and a
     * {@code google.rpc.RetryInfo} detail ({@code retryDelay}, such as {@code "7s"}).
     */
    public void failNext(String method, int httpStatus, String status, int times, String retryAfter,
            String retryDelay) {
        Deque<Failure> queue = failures.computeIfAbsent(method, k -> new ArrayDeque<>());
        synchronized (queue) {
            for (int i = 0; i < times; i++) {
                queue.add(new Failure(httpStatus, status, retryAfter, retryDelay));
            }
        }
    }

    /** Sends a wrong CRC32C with every payload from now on. */
    public void corruptChecksums() {
        corruptChecksums = true;
    }

    /** Rejects requests whose {@code Authorization} header is not {@code Bearer <token>}. */
    public void requireBearer(String token) {
        requiredBearer = token;
    }

    /** How many times {@code method} was called (failed calls included). */
    public int calls(String method) {
        AtomicInteger count = calls.get(method);
        return count == null ? 0 : count.get();
    }

    /** Every list filter received, in order. */
    public synchronized List<String> filtersSeen() {
        return List.copyOf(filtersSeen);
    }

    /** Every {@code Authorization} header received on the API (not the token endpoint), in order. */
    public synchronized List<String> authorizations() {
        return List.copyOf(authorizations);
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

    private FakeSecret existing(String id) {
        FakeSecret secret = secrets.get(id);
        if (secret == null) {
            throw new IllegalArgumentException("no secret " + id);
        }
        return secret;
    }

    private Timestamp tick() {
        clock += 60;
        return Timestamp.newBuilder().setSeconds(clock).build();
    }

    private static Timestamp timestamp(Instant when) {
        return Timestamp.newBuilder().setSeconds(when.getEpochSecond()).setNanos(when.getNano()).build();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requestLog.record(exchange);
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (path.equals("/token") && "POST".equals(exchange.getRequestMethod())) {
                exchange.getRequestBody().readAllBytes();
                count(TOKEN);
                String rejection = signInError;
                if (rejection != null) {
                    send(exchange, 400, "{\"error\":\"" + rejection + "\",\"error_description\":\""
                            + signInErrorDescription + "\"}");
                    return;
                }
                send(exchange, 200, "{\"access_token\":\"fake-access-token\",\"expires_in\":3600,"
                        + "\"token_type\":\"Bearer\"}");
                return;
            }
            boolean testIam = path.endsWith(":testIamPermissions") && "POST".equals(exchange.getRequestMethod());
            boolean post = "POST".equals(exchange.getRequestMethod());
            boolean addVersion = post && path.endsWith(":addVersion");
            boolean disableVersion = post && path.endsWith(":disable");
            if (!"GET".equals(exchange.getRequestMethod()) && !testIam && !addVersion && !disableVersion) {
                error(exchange, 405, "Method not allowed", "UNIMPLEMENTED");
                return;
            }
            String prefix = "/v1/" + parent + "/secrets";
            if (!path.startsWith(prefix)) {
                count(path.endsWith("/secrets") ? LIST_SECRETS : "other");
                error(exchange, 404, "Requested entity was not found.", "NOT_FOUND");
                return;
            }
            String rest = URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
            synchronized (this) {
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            }
            String[] parts = rest.isEmpty() ? new String[0] : rest.substring(1).split("/", -1);
            String method = testIam ? TEST_IAM_PERMISSIONS : addVersion ? ADD_SECRET_VERSION
                    : disableVersion ? DISABLE_SECRET_VERSION : switch (parts.length) {
                case 0 -> LIST_SECRETS;
                case 1 -> GET_SECRET;
                case 2 -> LIST_SECRET_VERSIONS;
                case 3 -> parts[2].endsWith(":access") ? ACCESS_SECRET_VERSION : GET_SECRET_VERSION;
                default -> "other";
            };
            count(method);
            if (requiredBearer != null && !("Bearer " + requiredBearer)
                    .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate",
                        "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
                error(exchange, 401, "Request had invalid authentication credentials.", "UNAUTHENTICATED");
                return;
            }
            if (unavailable) {
                error(exchange, 503, "The service is currently unavailable.", "UNAVAILABLE");
                return;
            }
            if (denyAll) {
                error(exchange, 403, "Permission '" + method + "' denied.", "PERMISSION_DENIED");
                return;
            }
            Failure failure = nextFailure(method);
            if (failure != null) {
                if (failure.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", failure.retryAfter());
                }
                String details = failure.retryDelay() == null ? "" : ",\"details\":[{\"@type\":"
                        + "\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"" + failure.retryDelay()
                        + "\"}]";
                send(exchange, failure.httpStatus(), "{\"error\":{\"code\":" + failure.httpStatus()
                        + ",\"message\":\"injected failure\",\"status\":\"" + failure.status() + "\"" + details
                        + "}}");
                return;
            }
            if (testIam) {
                testIamPermissions(exchange, parts[0].substring(0, parts[0].length()
                        - ":testIamPermissions".length()));
                return;
            }
            switch (method) {
                case ADD_SECRET_VERSION -> addVersion(exchange,
                        parts[0].substring(0, parts[0].length() - ":addVersion".length()));
                case DISABLE_SECRET_VERSION -> disableVersion(exchange, parts[0],
                        parts[2].substring(0, parts[2].length() - ":disable".length()));
                case LIST_SECRETS -> listSecrets(exchange, query);
                case GET_SECRET -> getSecret(exchange, parts[0]);
                case LIST_SECRET_VERSIONS -> listVersions(exchange, parts[0], query);
                case GET_SECRET_VERSION -> getVersion(exchange, parts[0], parts[2]);
                case ACCESS_SECRET_VERSION -> access(exchange, parts[0],
                        parts[2].substring(0, parts[2].length() - ":access".length()));
                default -> error(exchange, 404, "Requested entity was not found.", "NOT_FOUND");
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "internal error in fake: " + e, "INTERNAL");
        }
    }

    private void count(String method) {
        calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
    }

    private Failure nextFailure(String method) {
        Deque<Failure> queue = failures.get(method);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            return queue.poll();
        }
    }

    private void listSecrets(HttpExchange exchange, Map<String, String> query) throws IOException {
        String filter = query.get("filter");
        List<Secret> matching = new ArrayList<>();
        synchronized (this) {
            if (filter != null) {
                filtersSeen.add(filter);
            }
            for (FakeSecret secret : new TreeMap<>(secrets).values()) {
                Boolean matches = matches(secret.secret, filter);
                if (matches == null) {
                    error(exchange, 400, "Invalid filter.", "INVALID_ARGUMENT");
                    return;
                }
                if (matches) {
                    matching.add(secret.secret);
                }
            }
        }
        int[] page = page(query, matching.size());
        ListSecretsResponse.Builder response = ListSecretsResponse.newBuilder()
                .addAllSecrets(matching.subList(page[0], page[1])).setTotalSize(matching.size());
        if (page[1] < matching.size()) {
            response.setNextPageToken("page-" + page[1]);
        }
        send(exchange, 200, response.build());
    }

    /** {@code null} when the filter is outside the subset this fake understands. */
    private static Boolean matches(Secret secret, String filter) {
        if (filter == null || filter.isBlank()) {
            return true;
        }
        boolean all = true;
        for (String term : filter.trim().split("\\s+(AND\\s+)?")) {
            Matcher label = FILTER_LABEL.matcher(term);
            Matcher name = FILTER_NAME.matcher(term);
            if (label.matches()) {
                all &= label.group(2).equals(secret.getLabelsMap().get(label.group(1)));
            } else if (name.matches()) {
                all &= secret.getName().substring(secret.getName().lastIndexOf('/') + 1).contains(name.group(1));
            } else {
                return null;
            }
        }
        return all;
    }

    private static int[] page(Map<String, String> query, int size) {
        int pageSize = query.containsKey("pageSize") ? Integer.parseInt(query.get("pageSize")) : 25000;
        if (pageSize <= 0) {
            pageSize = 25000;
        }
        String token = query.get("pageToken");
        int start = token == null || token.isEmpty() ? 0 : Integer.parseInt(token.substring("page-".length()));
        return new int[] {start, Math.min(size, start + pageSize)};
    }

    private void testIamPermissions(HttpExchange exchange, String id) throws IOException {
        com.google.iam.v1.TestIamPermissionsRequest.Builder request =
                com.google.iam.v1.TestIamPermissionsRequest.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), request);
        if (!secrets.containsKey(id)) {
            notFound(exchange, "Secret [" + parent + "/secrets/" + id + "] not found.");
            return;
        }
        java.util.Set<String> held = grants.get(id);
        com.google.iam.v1.TestIamPermissionsResponse.Builder response =
                com.google.iam.v1.TestIamPermissionsResponse.newBuilder();
        for (String permission : request.getPermissionsList()) {
            if (held == null || held.contains(permission)) {
                response.addPermissions(permission);
            }
        }
        send(exchange, 200, response.build());
    }

    /** AddSecretVersion: checks the payload's CRC32C when given, as Secret Manager does, and adds a version. */
    private void addVersion(HttpExchange exchange, String id) throws IOException {
        com.google.cloud.secretmanager.v1.AddSecretVersionRequest.Builder request =
                com.google.cloud.secretmanager.v1.AddSecretVersionRequest.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), request);
        if (!secrets.containsKey(id)) {
            notFound(exchange, "Secret [" + parent + "/secrets/" + id + "] not found.");
            return;
        }
        byte[] data = request.getPayload().getData().toByteArray();
        if (request.getPayload().hasDataCrc32C()) {
            CRC32C crc = new CRC32C();
            crc.update(data);
            if (crc.getValue() != request.getPayload().getDataCrc32C()) {
                error(exchange, 400, "Checksum mismatch.", "INVALID_ARGUMENT");
                return;
            }
        }
        int number = addVersion(id, data);
        send(exchange, 200, resolve(id, Integer.toString(number)));
    }

    /** DisableSecretVersion. */
    private void disableVersion(HttpExchange exchange, String id, String version) throws IOException {
        exchange.getRequestBody().readAllBytes();
        SecretVersion found = resolve(id, version);
        if (found == null) {
            notFound(exchange, "Secret Version [" + parent + "/secrets/" + id + "/versions/" + version
                    + "] not found.");
            return;
        }
        int number = Integer.parseInt(found.getName().substring(found.getName().lastIndexOf('/') + 1));
        disable(id, number);
        send(exchange, 200, resolve(id, Integer.toString(number)));
    }

    /** Version numbers of {@code id} with their state, oldest first. */
    public synchronized Map<Integer, SecretVersion.State> versionStates(String id) {
        Map<Integer, SecretVersion.State> out = new java.util.TreeMap<>();
        existing(id).versions.forEach((n, v) -> out.put(n, v.getState()));
        return out;
    }

    /** The payload of version {@code number} (test inspection only). */
    public synchronized byte[] payload(String id, int number) {
        return existing(id).payloads.get(number).clone();
    }

    private void getSecret(HttpExchange exchange, String id) throws IOException {
        FakeSecret secret = secrets.get(id);
        if (secret == null) {
            notFound(exchange, "Secret [" + parent + "/secrets/" + id + "] not found.");
            return;
        }
        send(exchange, 200, secret.secret);
    }

    private void listVersions(HttpExchange exchange, String id, Map<String, String> query) throws IOException {
        FakeSecret secret = secrets.get(id);
        if (secret == null) {
            notFound(exchange, "Secret [" + parent + "/secrets/" + id + "] not found.");
            return;
        }
        List<SecretVersion> versions;
        synchronized (this) {
            versions = new ArrayList<>(secret.versions.values());
        }
        java.util.Collections.reverse(versions);
        int[] page = page(query, versions.size());
        ListSecretVersionsResponse.Builder response = ListSecretVersionsResponse.newBuilder()
                .addAllVersions(versions.subList(page[0], page[1])).setTotalSize(versions.size());
        if (page[1] < versions.size()) {
            response.setNextPageToken("page-" + page[1]);
        }
        send(exchange, 200, response.build());
    }

    private SecretVersion resolve(String id, String version) {
        FakeSecret secret = secrets.get(id);
        if (secret == null) {
            return null;
        }
        synchronized (this) {
            if ("latest".equals(version)) {
                return secret.versions.isEmpty() ? null : secret.versions.get(secret.versions.size());
            }
            try {
                return secret.versions.get(Integer.parseInt(version));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private void getVersion(HttpExchange exchange, String id, String version) throws IOException {
        SecretVersion found = resolve(id, version);
        if (found == null) {
            notFound(exchange, "Secret Version [" + parent + "/secrets/" + id + "/versions/" + version
                    + "] not found.");
            return;
        }
        send(exchange, 200, found);
    }

    private void access(HttpExchange exchange, String id, String version) throws IOException {
        SecretVersion found = resolve(id, version);
        if (found == null) {
            notFound(exchange, "Secret Version [" + parent + "/secrets/" + id + "/versions/" + version
                    + "] not found.");
            return;
        }
        if (found.getState() != SecretVersion.State.ENABLED) {
            error(exchange, 400, "Secret Version [" + found.getName() + "] is in " + found.getState()
                    + " state.", "FAILED_PRECONDITION");
            return;
        }
        int number = Integer.parseInt(found.getName().substring(found.getName().lastIndexOf('/') + 1));
        byte[] data = secrets.get(id).payloads.get(number);
        CRC32C crc = new CRC32C();
        crc.update(data);
        send(exchange, 200, AccessSecretVersionResponse.newBuilder().setName(found.getName())
                .setPayload(SecretPayload.newBuilder().setData(ByteString.copyFrom(data))
                        .setDataCrc32C(corruptChecksums ? crc.getValue() ^ 1 : crc.getValue()))
                .build());
    }

    private static void notFound(HttpExchange exchange, String message) throws IOException {
        error(exchange, 404, message, "NOT_FOUND");
    }

    private static void error(HttpExchange exchange, int code, String message, String status) throws IOException {
        String body = "{\"error\":{\"code\":" + code + ",\"message\":\"" + message.replace("\"", "'")
                + "\",\"status\":\"" + status + "\"}}";
        send(exchange, code, body);
    }

    private static void send(HttpExchange exchange, int code, Message message) throws IOException {
        try {
            send(exchange, code, JsonFormat.printer().print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IOException(e);
        }
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }

    private record Failure(int httpStatus, String status, String retryAfter, String retryDelay) {
    }

    private static final class FakeSecret {
        private Secret secret;
        private final Map<Integer, SecretVersion> versions = new LinkedHashMap<>();
        private final Map<Integer, byte[]> payloads = new ConcurrentHashMap<>();

        private FakeSecret(Secret secret) {
            this.secret = secret;
        }
    }
}
