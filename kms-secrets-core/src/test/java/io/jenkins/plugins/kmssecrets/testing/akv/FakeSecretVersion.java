package io.jenkins.plugins.kmssecrets.testing.akv;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version of a secret held by {@link FakeKeyVaultServer}, with the fields of the REST {@code SecretBundle}
 * ({@code secrets.json}, api-version 2025-07-01): value, content type, tags and the {@code SecretAttributes}.
 *
 * @param version       version id (32 hex digits in Azure)
 * @param value         the value
 * @param contentType   content type, or {@code null}
 * @param enabled       {@code attributes.enabled}
 * @param created       {@code attributes.created}
 * @param updated       {@code attributes.updated}
 * @param notBefore     {@code attributes.nbf}, or {@code null}
 * @param expires       {@code attributes.exp}, or {@code null}
 * @param recoveryLevel {@code attributes.recoveryLevel}, or {@code null}
 * @param tags          tags, never {@code null}
 */
public record FakeSecretVersion(String version, String value, String contentType, boolean enabled, Instant created,
        Instant updated, Instant notBefore, Instant expires, String recoveryLevel, Map<String, String> tags) {

    public FakeSecretVersion {
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    /** An enabled version created (and updated) at {@code created}, without tags. */
    public static FakeSecretVersion of(String version, String value, Instant created) {
        return new FakeSecretVersion(version, value, null, true, created, created, null, null,
                "Recoverable+Purgeable", Map.of());
    }

    public FakeSecretVersion withTags(Map<String, String> newTags) {
        return new FakeSecretVersion(version, value, contentType, enabled, created, updated, notBefore, expires,
                recoveryLevel, newTags);
    }

    public FakeSecretVersion withContentType(String type) {
        return new FakeSecretVersion(version, value, type, enabled, created, updated, notBefore, expires,
                recoveryLevel, tags);
    }

    public FakeSecretVersion disabled() {
        return new FakeSecretVersion(version, value, contentType, false, created, updated, notBefore, expires,
                recoveryLevel, tags);
    }

    public FakeSecretVersion expiringOn(Instant when) {
        return new FakeSecretVersion(version, value, contentType, enabled, created, updated, notBefore, when,
                recoveryLevel, tags);
    }

    public FakeSecretVersion notBefore(Instant when) {
        return new FakeSecretVersion(version, value, contentType, enabled, created, updated, when, expires,
                recoveryLevel, tags);
    }

    /**
     * Reads a REST {@code SecretBundle} (or a {@code SecretItem} with a version id), as in the published examples;
     * returns the secret name and the version.
     */
    public static Map.Entry<String, FakeSecretVersion> fromBundle(JsonNode bundle) {
        String[] path = URI.create(bundle.get("id").asText()).getPath().split("/");
        // /secrets/{name}/{version}
        String name = path[2];
        String version = path.length > 3 ? path[3] : null;
        JsonNode a = bundle.path("attributes");
        Map<String, String> tags = new TreeMap<>();
        bundle.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        FakeSecretVersion parsed = new FakeSecretVersion(version,
                bundle.hasNonNull("value") ? bundle.get("value").asText() : null,
                bundle.hasNonNull("contentType") ? bundle.get("contentType").asText() : null,
                !a.has("enabled") || a.get("enabled").asBoolean(),
                time(a, "created"), time(a, "updated"), time(a, "nbf"), time(a, "exp"),
                a.hasNonNull("recoveryLevel") ? a.get("recoveryLevel").asText() : null, tags);
        return Map.entry(name, parsed);
    }

    private static Instant time(JsonNode attributes, String field) {
        return attributes.hasNonNull(field) ? Instant.ofEpochSecond(attributes.get(field).asLong()) : null;
    }

    @Override
    public String toString() {
        return "FakeSecretVersion[" + version + ", enabled=" + enabled + "]";
    }
}
