package io.jenkins.plugins.kmssecrets.store.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;

/**
 * HashiCorp Vault's key/value secrets engine, version 2 (default) or 1, at one mount.
 *
 * <p>Remote calls and the policy capability each method needs ({@code <mount>} is the mount, {@code <path>} the
 * secret's path):
 * <ul>
 *   <li>{@link #list()}: {@code LIST <mount>/metadata/<prefix>...} recursively (KV 1: {@code LIST <mount>/...}),
 *       capability {@code list};</li>
 *   <li>{@link #describe(SecretReference)} and {@link #versions(String)}: {@code GET <mount>/metadata/<path>},
 *       capability {@code read} on the metadata path (KV 1 has no metadata: {@code LIST} of the parent path);</li>
 *   <li>{@link #fetch(SecretReference)}: {@code GET <mount>/data/<path>[?version=n]} (KV 1: {@code GET
 *       <mount>/<path>}), capability {@code read} on the data path: the only call that reads a value.</li>
 * </ul>
 * The token is obtained on first use, refreshed at two thirds of its TTL (renewed when renewable, otherwise by
 * logging in again), and replaced once when Vault rejects it mid-run. It is sent only in {@code X-Vault-Token} and
 * appears in no message.
 *
 * @since 0.1.0
 */
public final class VaultStore implements SecretStore {

    /** The store type name used in manifests. */
    public static final String TYPE = "vault";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final String id;
    private final String mount;
    private final int kvVersion;
    private final String prefix;
    private final int maxListEntries;
    private final int maxListDepth;
    private final Clock clock;
    private final VaultAuth auth;
    private final VaultHttp http;
    private VaultToken token;

    private VaultStore(Builder b) {
        this.id = b.id;
        this.mount = VaultPaths.trimSlashes(b.mount);
        this.kvVersion = b.kvVersion;
        this.prefix = VaultPaths.trimSlashes(b.prefix);
        this.maxListEntries = b.maxListEntries;
        this.maxListDepth = b.maxListDepth;
        this.clock = b.clock;
        this.auth = b.auth;
        this.http = new VaultHttp(b.id, b.address, b.namespace, b.tls, b.timeout, b.maxAttempts, b.retryDelay);
    }

    /**
     * A builder for a store named {@code id} at {@code address} (for example {@code https://vault.example:8200}).
     */
    public static Builder builder(String id, URI address, VaultAuth auth) {
        return new Builder(id, address, auth);
    }

    /**
     * Whether {@code name} is a usable Vault key path: segments separated by single {@code /}, without {@code .},
     * {@code ..}, control characters or a leading or trailing {@code /}. For validators (ESO {@code remoteRef.key})
     * that check references without a store.
     */
    public static boolean isValidPath(String name) {
        try {
            VaultPaths.check(null, name == null ? "" : name);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<SecretMetadata> list() {
        List<SecretMetadata> out = new ArrayList<>();
        Deque<String[]> pending = new ArrayDeque<>();
        pending.add(new String[] {prefix.isEmpty() ? "" : prefix + "/", "0"});
        while (!pending.isEmpty()) {
            String[] next = pending.poll();
            String directory = next[0];
            int depth = Integer.parseInt(next[1]);
            VaultResponse response = call("LIST", listPath(directory), null);
            if (response.status() == 404) {
                // Vault answers 404 for an empty directory, including an empty mount.
                continue;
            }
            check(response, directory.isEmpty() ? null : directory, "list", listPath(directory));
            for (JsonNode key : response.body().path("data").path("keys")) {
                String entry = key.asText();
                if (entry.endsWith("/")) {
                    if (depth + 1 >= maxListDepth) {
                        throw new MisconfiguredException(id, null, "secrets are nested deeper than maxListDepth "
                                + maxListDepth + " under '" + directory + "'; narrow 'prefix' or raise "
                                + "maxListDepth");
                    }
                    pending.add(new String[] {directory + entry, Integer.toString(depth + 1)});
                } else {
                    out.add(SecretMetadata.named(id, directory + entry));
                    if (out.size() > maxListEntries) {
                        throw new MisconfiguredException(id, null, "more than maxListEntries " + maxListEntries
                                + " secrets; narrow 'prefix' or raise maxListEntries");
                    }
                }
            }
        }
        out.sort(Comparator.comparing(SecretMetadata::name));
        return List.copyOf(out);
    }

    @Override
    public SecretMetadata describe(SecretReference reference) {
        String name = VaultPaths.check(id, reference.name());
        if (kvVersion == 1) {
            rejectVersion(name, reference.version());
            return describeByListing(name);
        }
        JsonNode data = metadata(name);
        String version = reference.version() != null ? reference.version()
                : data.path("current_version").asText();
        JsonNode entry = data.path("versions").path(version);
        if (entry.isMissingNode()) {
            throw new SecretNotFoundException(id, name, "version " + version + " does not exist");
        }
        return versionMetadata(name, version, entry, data);
    }

    @Override
    public List<SecretMetadata> versions(String secretName) {
        String name = VaultPaths.check(id, secretName);
        if (kvVersion == 1) {
            return List.of(describeByListing(name));
        }
        JsonNode data = metadata(name);
        List<SecretMetadata> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : data.path("versions").properties()) {
            out.add(versionMetadata(name, field.getKey(), field.getValue(), data));
        }
        out.sort(Comparator.comparingLong((SecretMetadata m) -> Long.parseLong(m.version())).reversed());
        return List.copyOf(out);
    }

    @Override
    public SecretValue fetch(SecretReference reference) {
        String name = VaultPaths.check(id, reference.name());
        String path;
        if (kvVersion == 1) {
            rejectVersion(name, reference.version());
            path = mount + "/" + VaultPaths.encode(name);
        } else {
            String version = reference.version();
            if (version != null && !version.chars().allMatch(Character::isDigit)) {
                throw new InvalidInputException(id, name, "version '" + version + "' is not a KV version number");
            }
            path = mount + "/data/" + VaultPaths.encode(name) + (version == null ? "" : "?version=" + version);
        }
        VaultResponse response = call("GET", path, name);
        if (response.status() == 404 && kvVersion == 2) {
            JsonNode meta = response.body().path("data").path("metadata");
            if (meta.path("destroyed").asBoolean(false)) {
                throw new SecretNotFoundException(id, name, "version " + meta.path("version").asText()
                        + " is destroyed; pin another version");
            }
            if (!meta.path("deletion_time").asText("").isEmpty()) {
                throw new SecretNotFoundException(id, name, "version " + meta.path("version").asText()
                        + " is deleted; undelete it or pin another version");
            }
        }
        check(response, name, "read", stripQuery(path));
        JsonNode data = kvVersion == 2 ? response.body().path("data").path("data") : response.body().path("data");
        if (!data.isObject()) {
            throw new InvalidInputException(id, name, "Vault answered without secret data; is kvVersion "
                    + kvVersion + " right for mount '" + mount + "'?");
        }
        if (reference.property() == null) {
            return SecretValue.ofBytes(json(data));
        }
        JsonNode field = data.get(reference.property());
        if (field == null) {
            throw new SecretNotFoundException(id, name, "the secret has no key '" + reference.property() + "'");
        }
        return field.isTextual() ? SecretValue.ofString(field.textValue()) : SecretValue.ofBytes(json(field));
    }

    @Override
    public String toString() {
        return "VaultStore[" + id + ", " + http.address() + ", " + mount + " (KV " + kvVersion + "), "
                + auth.method() + "]";
    }

    private JsonNode metadata(String name) {
        String path = mount + "/metadata/" + VaultPaths.encode(name);
        VaultResponse response = call("GET", path, name);
        check(response, name, "read", path);
        return response.body().path("data");
    }

    private SecretMetadata describeByListing(String name) {
        int slash = name.lastIndexOf('/');
        String parent = slash < 0 ? "" : name.substring(0, slash + 1);
        String leaf = name.substring(slash + 1);
        VaultResponse response = call("LIST", listPath(parent), name);
        if (response.status() != 404) {
            check(response, name, "list", listPath(parent));
            for (JsonNode key : response.body().path("data").path("keys")) {
                if (key.asText().equals(leaf)) {
                    return SecretMetadata.named(id, name);
                }
            }
        }
        throw new SecretNotFoundException(id, name, "no such secret at " + mount + "/" + name);
    }

    private SecretMetadata versionMetadata(String name, String version, JsonNode entry, JsonNode secret) {
        Instant deletion = instant(entry.path("deletion_time").asText(""));
        boolean destroyed = entry.path("destroyed").asBoolean(false);
        Instant now = clock.instant();
        boolean deleted = deletion != null && !deletion.isAfter(now);
        Map<String, String> tags = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : secret.path("custom_metadata").properties()) {
            tags.put(field.getKey(), field.getValue().asText());
        }
        return new SecretMetadata(id, name, version, !destroyed && !deleted,
                instant(entry.path("created_time").asText("")), instant(secret.path("updated_time").asText("")),
                null, deleted ? null : deletion, tags, null);
    }

    private String listPath(String directory) {
        return (kvVersion == 2 ? mount + "/metadata/" : mount + "/") + VaultPaths.encode(
                VaultPaths.trimSlashes(directory)) + (directory.isEmpty() ? "" : "/");
    }

    /** Sends a call with the current token; replaces the token once if Vault rejects it as invalid or expired. */
    private VaultResponse call(String method, String path, String secretName) {
        VaultToken current = token(false);
        VaultResponse response = http.send(method, path, null, current, secretName);
        if (response.status() == 403 && auth.canLoginAgain()) {
            VaultToken fresh = token(true);
            if (fresh != current) {
                response = http.send(method, path, null, fresh, secretName);
            }
        }
        return response;
    }

    private synchronized VaultToken token(boolean rejected) {
        Instant now = clock.instant();
        if (token != null && !rejected && token.dueForRefresh(now) && token.renewable()
                && !auth.refreshesByLogin()) {
            VaultResponse renewed = http.send("POST", "auth/token/renew-self", null, token, null);
            if (renewed.ok()) {
                JsonNode auth = renewed.body().path("auth");
                token = new VaultToken(auth.path("client_token").asText(token.value()), now,
                        Duration.ofSeconds(auth.path("lease_duration").asLong(0)), auth.path("renewable").asBoolean());
                return token;
            }
            // Renewal refused (past its max TTL, for example): fall through to a new login.
        }
        if (token == null || rejected || token.dueForRefresh(now)) {
            token = auth.login(http, now, id);
        }
        return token;
    }

    private void check(VaultResponse response, String secretName, String capability, String path) {
        if (response.ok()) {
            return;
        }
        throw failure(response, secretName, capability, path);
    }

    private SecretStoreException failure(VaultResponse response, String secretName, String capability,
            String path) {
        int status = response.status();
        String where = "'" + stripQuery(path) + "'";
        if (response.sealed()) {
            return new StoreUnavailableException(id, secretName, "Vault is sealed; ask an operator to unseal it");
        }
        return switch (status) {
            case 404 -> new SecretNotFoundException(id, secretName, "nothing at " + where + " (HTTP 404)");
            case 401, 403 -> new AccessDeniedException(id, secretName, "permission denied (HTTP " + status
                    + "); the token's policy needs capability '" + capability + "' on path " + where);
            case 400 -> new InvalidInputException(id, secretName, "Vault rejected the request to " + where
                    + " (HTTP 400)");
            case 301, 302, 303, 307, 308 -> new StoreUnavailableException(id, secretName, "Vault redirected the "
                    + "request to " + where + " (HTTP " + status + "); redirects are not followed, so the token "
                    + "stays with 'address': point it at the active node or the load balancer");
            case 405 -> new MisconfiguredException(id, secretName, "Vault does not support this call on " + where
                    + " (HTTP 405); check the mount and kvVersion settings");
            default -> new StoreUnavailableException(id, secretName, "Vault answered HTTP " + status + " for "
                    + where + "; try again later");
        };
    }

    private void rejectVersion(String name, String version) {
        if (version != null) {
            throw new InvalidInputException(id, name, "KV version 1 secrets have no versions; drop '@" + version
                    + "'");
        }
    }

    private byte[] json(JsonNode node) {
        try {
            // Through a map so that keys come out sorted (stable output).
            return MAPPER.writeValueAsString(MAPPER.treeToValue(node, Object.class))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(id, null, "cannot encode the secret's data as JSON");
        }
    }

    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static Instant instant(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Builds a {@link VaultStore}.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final String id;
        private final URI address;
        private final VaultAuth auth;
        private String mount = "secret";
        private int kvVersion = 2;
        private String prefix = "";
        private String namespace;
        private SSLContext tls;
        private Clock clock = Clock.systemUTC();
        private int maxAttempts = 3;
        private Duration retryDelay = Duration.ofMillis(250);
        private Duration timeout = Duration.ofSeconds(30);
        private int maxListEntries = 10_000;
        private int maxListDepth = 10;

        private Builder(String id, URI address, VaultAuth auth) {
            this.id = Objects.requireNonNull(id, "id");
            this.address = Objects.requireNonNull(address, "address");
            this.auth = Objects.requireNonNull(auth, "auth");
        }

        /** The KV engine's mount path; default {@code secret}. */
        public Builder mount(String mount) {
            this.mount = Objects.requireNonNull(mount, "mount");
            return this;
        }

        /** 2 (default) or 1. */
        public Builder kvVersion(int kvVersion) {
            if (kvVersion != 1 && kvVersion != 2) {
                throw new IllegalArgumentException("kvVersion must be 1 or 2");
            }
            this.kvVersion = kvVersion;
            return this;
        }

        /** Where {@link VaultStore#list()} starts; default the whole mount. */
        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** The Enterprise namespace sent as {@code X-Vault-Namespace}. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** The TLS context (custom CA bundle); default the JDK's trust store. */
        public Builder tls(SSLContext tls) {
            this.tls = tls;
            return this;
        }

        /** The clock for token expiry and version deletion times. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Attempts per call for 429/5xx answers and connection failures. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The first back-off delay; it doubles per attempt. */
        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
            return this;
        }

        /** Connect and request timeout. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Most secrets {@link VaultStore#list()} returns before it fails asking for a narrower prefix. */
        public Builder maxListEntries(int maxListEntries) {
            this.maxListEntries = maxListEntries;
            return this;
        }

        /** Deepest directory level {@link VaultStore#list()} descends to before it fails. */
        public Builder maxListDepth(int maxListDepth) {
            this.maxListDepth = maxListDepth;
            return this;
        }

        /** The store; no network call is made until it is used. */
        public VaultStore build() {
            return new VaultStore(this);
        }
    }
}
