package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import java.util.List;
import java.util.Map;

/**
 * One ExternalSecret read from a file: where it is, its identity, and the resource as nested maps (ready to apply).
 *
 * @param location  where the document starts
 * @param namespace {@code metadata.namespace}, or {@code null}
 * @param name      {@code metadata.name}, or {@code null}
 * @param resource  the resource (with {@code apiVersion} already {@code external-secrets.io/v1})
 * @param remoteKeys every {@code data[].remoteRef} and {@code dataFrom[].extract} key, with its location
 * @since 0.1.0
 */
public record ExternalSecretDocument(SourceLocation location, String namespace, String name,
                                     Map<String, Object> resource, List<RemoteKey> remoteKeys) {

    /**
     * One remote key an ExternalSecret reads.
     *
     * @param key      {@code remoteRef.key}
     * @param version  {@code remoteRef.version}, or {@code null}
     * @param location where it is written
     */
    public record RemoteKey(String key, String version, SourceLocation location) {
    }

    public ExternalSecretDocument {
        remoteKeys = List.copyOf(remoteKeys);
    }

    /** {@code metadata.labels[label]}, or {@code null}. */
    public String label(String label) {
        return metadataValue("labels", label);
    }

    /** {@code metadata.annotations[annotation]}, or {@code null}. */
    public String annotation(String annotation) {
        return metadataValue("annotations", annotation);
    }

    /** {@code spec.secretStoreRef}, or {@code null}. */
    public EsoStoreRef storeRef() {
        Map<String, Object> ref = map(map(resource, "spec"), "secretStoreRef");
        Object name = ref == null ? null : ref.get("name");
        return name == null ? null : new EsoStoreRef(String.valueOf(name),
                ref.get("kind") == null ? null : String.valueOf(ref.get("kind")));
    }

    /** {@code spec.refreshPolicy}, or {@code null}. */
    public String refreshPolicy() {
        Map<String, Object> spec = map(resource, "spec");
        return spec == null || spec.get("refreshPolicy") == null ? null : String.valueOf(spec.get("refreshPolicy"));
    }

    private String metadataValue(String section, String key) {
        Map<String, Object> values = map(map(resource, "metadata"), section);
        Object value = values == null ? null : values.get(key);
        return value == null ? null : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent == null ? null : parent.get(key);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }
}
