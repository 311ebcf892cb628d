package io.jenkins.plugins.kmssecrets.store.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.CaBundle;
import io.jenkins.plugins.kmssecrets.store.ConcurrentCalls;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.ProxySetting;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SecretWriter;
import io.jenkins.plugins.kmssecrets.store.WriteConflictException;
import io.jenkins.plugins.kmssecrets.store.WriteOptions;
import io.jenkins.plugins.kmssecrets.store.WrittenVersion;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 *       capability {@code list}; then, KV 2 only, {@code GET <mount>/metadata/<path>} for every secret found
 *       (at most {@code listConcurrency} at a time), capability {@code read} on the metadata path, so that each entry
 *       carries its custom metadata (tags), times, current version and state. KV 1 keeps no metadata: its entries
 *       have names only and state {@link SecretMetadata.State#UNKNOWN};</li>
 *   <li>{@link #describe(SecretReference)} and {@link #versions(String)}: {@code GET <mount>/metadata/<path>},
 *       capability {@code read} on the metadata path (KV 1 has no metadata: {@code LIST} of the parent path);</li>
 *   <li>{@link #fetch(SecretReference)}: {@code GET <mount>/data/<path>[?version=n]} (KV 1: {@code GET
 *       <mount>/<path>}), capability {@code read} on the data path: the only call that reads a value;</li>
 *   <li>{@link #readAccess(SecretReference)}: {@code POST sys/capabilities-self} for the data path (allowed by
 *       Vault's {@code default} policy); reads nothing.</li>
 * </ul>
 *
 * <p>KV 2 state and validity: a current (or pinned) version that is deleted or destroyed is not usable
 * ({@link SecretMetadata.State#DELETED}, {@link SecretMetadata.State#DESTROYED}); a deletion scheduled by
 * {@code delete_version_after} is the expiry. The custom metadata keys {@value #EXPIRES_KEY} and
 * {@value #NOT_BEFORE_KEY} hold ISO-8601 times ({@code 2027-01-31T00:00:00Z}, {@code 2027-01-31T01:00:00+01:00}, or
 * a date {@code 2027-01-31} meaning its start in UTC) and are honoured like Azure Key Vault's attributes: the earlier
 * of {@code expires} and a scheduled deletion is {@code expiresOn}.
 * The token is obtained on first use, refreshed at two thirds of its TTL (renewed when renewable, otherwise by
 * logging in again), and replaced once when Vault rejects it mid-run. It is sent only in {@code X-Vault-Token} and
 * appears in no message.
 *
 * @since 0.1.0
 */
public final class VaultStore implements SecretWriter {

    /** The store type name used in manifests. */
    public static final String TYPE = "vault";

    /** Custom metadata key (KV 2) holding the time after which the secret must not be used. */
    public static final String EXPIRES_KEY = "expires";

    /** Custom metadata key (KV 2) holding the time before which the secret must not be used. */
    public static final String NOT_BEFORE_KEY = "not-before";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final String id;
    private final String mount;
    private final int kvVersion;
    private final String prefix;
    private final int maxListEntries;
    private final int maxListDepth;
    private final int listConcurrency;
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
        this.listConcurrency = b.listConcurrency;
        this.clock = b.clock;
        this.auth = b.auth;
        this.http = new VaultHttp(b.id, b.address, b.namespace, b.tls,
                b.limits != null ? b.limits : VaultHttp.limits(b.timeout), b.maxAttempts, b.retryDelay, b.auditHeaders,
                b.proxy, b.trustRemedy);
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

    /**
     * Every secret under {@code prefix} with its metadata (KV 2) or its name only (KV 1, state unknown), sorted by
     * name. Reads no value. A secret removed between the listing and its metadata read is left out.
     */
    @Override
    public List<SecretMetadata> list() {
        List<String> names = listNames();
        if (kvVersion == 1) {
            return names.stream().map(this::unknownState).toList();
        }
        List<SecretMetadata> found = ConcurrentCalls.map(names, listConcurrency, this::listedMetadata);
        return found.stream().filter(Objects::nonNull).toList();
    }

    private SecretMetadata unknownState(String name) {
        return SecretMetadata.of(id, name, null, SecretMetadata.State.UNKNOWN, null, null, null, null, Map.of(),
                null);
    }

    /** The metadata of a listed KV 2 secret, or {@code null} when it was removed since the listing. */
    private SecretMetadata listedMetadata(String name) {
        String path = mount + "/metadata/" + VaultPaths.encode(name);
        VaultResponse response = call("GET", path, name);
        if (response.status() == 404) {
            return null;
        }
        check(response, name, "read", path);
        JsonNode data = response.body().path("data");
        String current = data.path("current_version").asText("");
        return versionMetadata(name, current, data.path("versions").path(current), data, false);
    }

    private List<String> listNames() {
        List<String> out = new ArrayList<>();
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
                    out.add(directory + entry);
                    if (out.size() > maxListEntries) {
                        throw new MisconfiguredException(id, null, "more than maxListEntries " + maxListEntries
                                + " secrets; narrow 'prefix' or raise maxListEntries");
                    }
                }
            }
        }
        out.sort(Comparator.naturalOrder());
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
            throw new SecretNotFoundException(id, name, "version " + version + " does not exist"
                    + (reference.version() == null ? "" : " (current version: "
                    + data.path("current_version").asText("none") + ")"));
        }
        return versionMetadata(name, version, entry, data, true);
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
            out.add(versionMetadata(name, field.getKey(), field.getValue(), data, false));
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
            if (reference.version() != null && !reference.version().equals("0")) {
                throw new SecretNotFoundException(id, name, "version " + reference.version() + " does not exist "
                        + "(or the secret does not) at '" + mount + "/data/" + name + "'");
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

    /** KV 2 keeps versions (rollback works); KV 1 keeps only the current value. */
    @Override
    public boolean keepsVersions() {
        return kvVersion == 2;
    }

    /**
     * Writes a new version. Without a property {@code value} must be a JSON object: the secret's whole key/value
     * data. With a property (a top-level key, as {@link #fetch} reads it) the current data is read and only that key
     * replaced by {@code value} as a string; the other keys keep their values and types.
     *
     * <p>KV 2: {@code GET <mount>/metadata/<path>} ({@code read}) for the current version, with a property
     * {@code GET <mount>/data/<path>?version=n} ({@code read}), then {@code POST <mount>/data/<path>} with
     * {@code options.cas} set to that version ({@code create}/{@code update}): when another writer got there first,
     * Vault refuses and this throws {@link WriteConflictException}. With {@link WriteOptions#disablePrevious()} the
     * previous version is then soft-deleted ({@code POST <mount>/delete/<path>}, capability {@code update};
     * {@code vault kv undelete} brings it back).
     *
     * <p>KV 1: {@code GET <mount>/<path>} with a property, then {@code POST <mount>/<path>}; no versions, no
     * conflict detection, and {@code disablePrevious} is refused.
     */
    @Override
    public WrittenVersion write(SecretReference reference, SecretValue value, WriteOptions options) {
        String name = VaultPaths.check(id, reference.name());
        if (reference.version() != null) {
            throw new InvalidInputException(id, name, "a new version is written after the current one; drop '@"
                    + reference.version() + "'");
        }
        if (kvVersion == 1 && options.disablePrevious()) {
            throw new InvalidInputException(id, name, "KV version 1 keeps no previous version to disable; drop "
                    + "--disable-previous");
        }
        if (!value.isText()) {
            throw new InvalidInputException(id, name, "the new value is not UTF-8 text; Vault KV data is JSON");
        }
        String dataPath = kvVersion == 2 ? mount + "/data/" + VaultPaths.encode(name)
                : mount + "/" + VaultPaths.encode(name);
        Long cas = null;
        if (kvVersion == 2) {
            JsonNode metadata = metadata(name);
            cas = metadata.path("current_version").asLong(0);
        }
        com.fasterxml.jackson.databind.node.ObjectNode data;
        if (reference.property() == null) {
            data = jsonObject(name, value);
        } else {
            VaultResponse current = call("GET", dataPath + (cas == null ? "" : "?version=" + cas), name);
            check(current, name, "read", dataPath);
            JsonNode existing = kvVersion == 2 ? current.body().path("data").path("data")
                    : current.body().path("data");
            if (!existing.isObject()) {
                throw new SecretNotFoundException(id, name, "the current version has no data (deleted or "
                        + "destroyed); write the whole secret as a JSON object instead of one key");
            }
            if (existing.get(reference.property()) == null) {
                throw new SecretNotFoundException(id, name, "the secret has no key '" + reference.property()
                        + "'; a rotation replaces an existing key");
            }
            data = ((com.fasterxml.jackson.databind.node.ObjectNode) existing).deepCopy();
            data.put(reference.property(), value.asString());
        }
        JsonNode body = data;
        if (kvVersion == 2) {
            com.fasterxml.jackson.databind.node.ObjectNode envelope = MAPPER.createObjectNode();
            envelope.putObject("options").put("cas", cas);
            envelope.set("data", data);
            body = envelope;
        }
        VaultResponse response = call("POST", dataPath, body, name);
        if (response.status() == 400 && response.errors().stream().anyMatch(e -> e.contains("check-and-set"))) {
            throw new WriteConflictException(id, name, "the secret changed while it was being written (version "
                    + cas + " was current when read, another writer added a version since); nothing was written: "
                    + "look at 'vault kv metadata get' and run the rotation again");
        }
        check(response, name, "update", dataPath);
        if (kvVersion == 1) {
            return new WrittenVersion(id, name, reference.property(), null, null, false, null);
        }
        String newVersion = response.body().path("data").path("version").asText(null);
        String previous = cas == 0 ? null : Long.toString(cas);
        boolean disabled = false;
        if (options.disablePrevious() && previous != null) {
            String deletePath = mount + "/delete/" + VaultPaths.encode(name);
            VaultResponse deleted = call("POST", deletePath, MAPPER.createObjectNode().set("versions",
                    MAPPER.createArrayNode().add(cas)), name);
            check(deleted, name, "update", deletePath);
            disabled = true;
        }
        return new WrittenVersion(id, name, reference.property(), previous, newVersion, disabled, null);
    }

    /** {@code value} as a JSON object: a KV secret's whole data. Errors never quote it. */
    private com.fasterxml.jackson.databind.node.ObjectNode jsonObject(String name, SecretValue value) {
        byte[] bytes = value.bytes();
        try {
            JsonNode parsed = MAPPER.readTree(bytes);
            if (parsed instanceof com.fasterxml.jackson.databind.node.ObjectNode object && !object.isEmpty()) {
                return object;
            }
        } catch (IOException e) {
            // not JSON: the same answer as for JSON that is not an object
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
        throw new InvalidInputException(id, name, "a Vault KV secret holds key/value data: give the whole secret as a "
                + "non-empty JSON object, or rotate one key with " + id + ":" + name + "#<key>");
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
                    return unknownState(name);
                }
            }
        }
        throw new SecretNotFoundException(id, name, "no such secret at " + mount + "/" + name);
    }

    /**
     * One version's metadata with the secret's custom metadata. {@code strict}: an unreadable {@code expires} or
     * {@code not-before} fails (a check must not pass a date it cannot read); listings leave it out instead.
     */
    private SecretMetadata versionMetadata(String name, String version, JsonNode entry, JsonNode secret,
            boolean strict) {
        Instant deletion = instant(entry.path("deletion_time").asText(""));
        boolean destroyed = entry.path("destroyed").asBoolean(false);
        Instant now = clock.instant();
        boolean deleted = deletion != null && !deletion.isAfter(now);
        Map<String, String> tags = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : secret.path("custom_metadata").properties()) {
            tags.put(field.getKey(), field.getValue().asText());
        }
        SecretMetadata.State state;
        if (entry.isMissingNode()) {
            // No current version (every version removed by max_versions, or a secret with metadata only).
            state = SecretMetadata.State.DELETED;
        } else if (destroyed) {
            state = SecretMetadata.State.DESTROYED;
        } else if (deleted) {
            state = SecretMetadata.State.DELETED;
        } else {
            state = SecretMetadata.State.ENABLED;
        }
        Instant expires = customTime(name, tags, EXPIRES_KEY, strict);
        Instant scheduledDeletion = deleted ? null : deletion;
        if (expires == null || (scheduledDeletion != null && scheduledDeletion.isBefore(expires))) {
            expires = scheduledDeletion;
        }
        return SecretMetadata.of(id, name, version.isEmpty() ? null : version, state,
                instant(entry.path("created_time").asText("")), instant(secret.path("updated_time").asText("")),
                customTime(name, tags, NOT_BEFORE_KEY, strict), expires, tags, null);
    }

    private Instant customTime(String name, Map<String, String> tags, String key, boolean strict) {
        String text = tags.get(key);
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant parsed = isoTime(text.trim());
        if (parsed == null && strict) {
            throw new InvalidInputException(id, name, "custom metadata '" + key + "' is not an ISO-8601 time; "
                    + "write it as 2027-01-31T00:00:00Z, 2027-01-31T01:00:00+01:00 or 2027-01-31");
        }
        return parsed;
    }

    /** An ISO-8601 instant, offset date-time or date (its start in UTC); {@code null} when it is none of them. */
    static Instant isoTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /**
     * Asks Vault ({@code POST sys/capabilities-self}) whether the token may read the data path; reads nothing.
     * Answers {@link ReadAccess#NOT_VERIFIED} when Vault cannot be asked (an old Vault, a policy without the
     * {@code default} policy's grant, an outage).
     */
    @Override
    public ReadAccess readAccess(SecretReference reference) {
        String name = VaultPaths.check(id, reference.name());
        String path = kvVersion == 2 ? mount + "/data/" + name : mount + "/" + name;
        VaultResponse response;
        try {
            response = call("POST", "sys/capabilities-self", MAPPER.createObjectNode().set("paths",
                    MAPPER.createArrayNode().add(path)), name);
        } catch (SecretStoreException e) {
            return ReadAccess.NOT_VERIFIED;
        }
        if (!response.ok()) {
            return ReadAccess.NOT_VERIFIED;
        }
        JsonNode capabilities = response.body().path(path);
        if (!capabilities.isArray()) {
            capabilities = response.body().path("data").path(path);
        }
        if (!capabilities.isArray()) {
            capabilities = response.body().path("capabilities");
        }
        if (!capabilities.isArray()) {
            return ReadAccess.NOT_VERIFIED;
        }
        for (JsonNode capability : capabilities) {
            if (capability.asText().equals("read") || capability.asText().equals("root")) {
                return ReadAccess.READABLE;
            }
        }
        return ReadAccess.NOT_READABLE;
    }

    private String listPath(String directory) {
        return (kvVersion == 2 ? mount + "/metadata/" : mount + "/") + VaultPaths.encode(
                VaultPaths.trimSlashes(directory)) + (directory.isEmpty() ? "" : "/");
    }

    /** Sends a call with the current token; replaces the token once if Vault rejects it as invalid or expired. */
    private VaultResponse call(String method, String path, String secretName) {
        return call(method, path, null, secretName);
    }

    private VaultResponse call(String method, String path, JsonNode body, String secretName) {
        VaultToken current = token(false);
        VaultResponse response = http.send(method, path, body, current, secretName);
        if (response.status() == 403 && auth.canLoginAgain()) {
            VaultToken fresh = token(true);
            if (fresh != current) {
                response = http.send(method, path, body, fresh, secretName);
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
        private String trustRemedy = CaBundle.SETTING;
        private ProxySetting proxy;
        private Clock clock = Clock.systemUTC();
        private int maxAttempts = 3;
        private Duration retryDelay = Duration.ofMillis(250);
        private Duration timeout = Duration.ofSeconds(30);
        private io.jenkins.plugins.kmssecrets.store.NetworkLimits limits;
        private int maxListEntries = 10_000;
        private int maxListDepth = 10;
        private int listConcurrency = 8;
        private VaultAuditHeaders auditHeaders = new VaultAuditHeaders(null);

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

        /** Trusts exactly the CA certificates of {@code bundle} (setting {@code caCertFile}); since 0.3.0 */
        public Builder caBundle(CaBundle bundle) {
            this.tls = bundle.sslContext();
            this.trustRemedy = bundle.remedy();
            return this;
        }

        /** The HTTP proxy, or {@code null} (default) for a direct connection; since 0.3.0 */
        public Builder proxy(ProxySetting proxy) {
            this.proxy = proxy;
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

        /**
         * Response and body limit, and (up to 10 s) connect and handshake limit, unless {@link #limits} sets them.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The connect, handshake, response and body limits of every request (default from {@link #timeout}).
         *
         * @since 0.3.0
         */
        public Builder limits(io.jenkins.plugins.kmssecrets.store.NetworkLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
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

        /** How many metadata reads {@link VaultStore#list()} runs at once (KV 2); default 8. */
        public Builder listConcurrency(int listConcurrency) {
            if (listConcurrency < 1) {
                throw new IllegalArgumentException("listConcurrency must be at least 1");
            }
            this.listConcurrency = listConcurrency;
            return this;
        }

        /**
         * The header carrying the caller's audit context ({@code <tool>; <context>; <correlation id>}) on every
         * request; {@code X-Kms-Secrets-Context} by default. Vault's audit devices record it once it is listed in
         * {@code sys/config/auditing/request-headers}.
         *
         * @throws IllegalArgumentException when it is not a plain header name, or names a header Vault or HTTP uses
         * @since 0.3.0
         */
        public Builder auditHeader(String name) {
            this.auditHeaders = new VaultAuditHeaders(name);
            return this;
        }

        /** The store; no network call is made until it is used. */
        public VaultStore build() {
            return new VaultStore(this);
        }
    }
}
