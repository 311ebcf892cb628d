package io.jenkins.plugins.kmssecrets.rotation;

import io.jenkins.plugins.kmssecrets.eso.EsoNames;
import io.jenkins.plugins.kmssecrets.eso.EsoStoreRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds how an ExternalSecret (as nested maps, from a file or from the cluster) reads a {@link RotatedSecret}:
 * through {@code spec.data[].remoteRef}, {@code spec.dataFrom[].extract} or a {@code spec.dataFrom[].find} whose
 * path, name pattern and tags select it. Per-entry {@code sourceRef.storeRef} overrides the ExternalSecret's store, as
 * in ESO.
 *
 * <p>Which kms-secrets store an ExternalSecret reads from comes from its {@value EsoNames#STORE_ANNOTATION}
 * annotation (written by {@code eso declare}), else from a {@link StoreMapping} of ESO store names.
 *
 * @since 0.2.0
 */
public final class ExternalSecretReferences {

    /** Maps an ESO store to the kms-secrets store id behind it. */
    @FunctionalInterface
    public interface StoreMapping {
        /** The kms-secrets store id behind {@code ref}, or {@code null} when unknown. */
        String storeId(EsoStoreRef ref);

        /** A mapping that knows no store. */
        static StoreMapping none() {
            return ref -> null;
        }
    }

    private final StoreMapping mapping;

    public ExternalSecretReferences(StoreMapping mapping) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /**
     * The uses of {@code secret} in {@code resource}, in document order; empty when it does not read the secret.
     *
     * @param warnings receives one line per part that could not be evaluated (unknown store, bad pattern)
     */
    public List<ExternalSecretUse> uses(Map<String, Object> resource, RotatedSecret secret, List<String> warnings) {
        Map<String, Object> spec = map(resource, "spec");
        List<ExternalSecretUse> uses = new ArrayList<>();
        if (spec == null) {
            return uses;
        }
        String id = identity(resource);
        String annotated = text(map(map(resource, "metadata"), "annotations"), EsoNames.STORE_ANNOTATION);
        String defaultStore = annotated != null ? annotated : storeOf(map(spec, "secretStoreRef"));
        boolean unknownStoreReported = false;
        for (Object item : list(spec, "data")) {
            Map<String, Object> entry = asMap(item);
            Map<String, Object> remoteRef = map(entry, "remoteRef");
            String store = entryStore(entry, defaultStore);
            if (store == null) {
                unknownStoreReported = reportUnknownStore(id, warnings, unknownStoreReported);
                continue;
            }
            if (store.equals(secret.storeId()) && secret.name().equals(text(remoteRef, "key"))) {
                String property = text(remoteRef, "property");
                uses.add(new ExternalSecretUse(ExternalSecretUse.DATA, text(entry, "secretKey"), property,
                        overlaps(property, secret.property())));
            }
        }
        for (Object item : list(spec, "dataFrom")) {
            Map<String, Object> entry = asMap(item);
            if (map(map(entry, "sourceRef"), "generatorRef") != null) {
                continue;
            }
            String store = entryStore(entry, defaultStore);
            if (store == null) {
                unknownStoreReported = reportUnknownStore(id, warnings, unknownStoreReported);
                continue;
            }
            if (!store.equals(secret.storeId())) {
                continue;
            }
            Map<String, Object> extract = map(entry, "extract");
            if (extract != null && secret.name().equals(text(extract, "key"))) {
                String property = text(extract, "property");
                uses.add(new ExternalSecretUse(ExternalSecretUse.EXTRACT, null, property,
                        overlaps(property, secret.property())));
            }
            Map<String, Object> find = map(entry, "find");
            if (find != null && finds(find, secret, id, warnings)) {
                uses.add(new ExternalSecretUse(ExternalSecretUse.FIND, null, null, true));
            }
        }
        return uses;
    }

    /** The Secret ESO writes for {@code resource}: {@code spec.target.name}, else the ExternalSecret's name. */
    public static String targetSecret(Map<String, Object> resource) {
        String target = text(map(map(resource, "spec"), "target"), "name");
        return target != null ? target : text(map(resource, "metadata"), "name");
    }

    /** Whether ESO writes the whole target Secret ({@code creationPolicy} Owner or Orphan, the default Owner). */
    public static boolean ownsTargetSecret(Map<String, Object> resource) {
        String policy = text(map(map(resource, "spec"), "target"), "creationPolicy");
        return policy == null || "Owner".equals(policy) || "Orphan".equals(policy);
    }

    private String entryStore(Map<String, Object> entry, String defaultStore) {
        Map<String, Object> storeRef = map(map(entry, "sourceRef"), "storeRef");
        return storeRef != null ? storeOf(storeRef) : defaultStore;
    }

    private String storeOf(Map<String, Object> storeRef) {
        String name = text(storeRef, "name");
        return name == null ? null : mapping.storeId(new EsoStoreRef(name, text(storeRef, "kind")));
    }

    private static boolean reportUnknownStore(String id, List<String> warnings, boolean alreadyReported) {
        if (!alreadyReported) {
            warnings.add(id + ": cannot tell which kms-secrets store it reads from (no " + EsoNames.STORE_ANNOTATION
                    + " annotation and its ESO store is not mapped); skipped");
        }
        return true;
    }

    /**
     * ESO's find: every key under {@code path} whose name matches {@code name.regexp} (unanchored, as Go's
     * {@code regexp.MatchString}) and that carries every tag in {@code tags}.
     */
    private static boolean finds(Map<String, Object> find, RotatedSecret secret, String id, List<String> warnings) {
        String path = text(find, "path");
        if (path != null && !secret.name().startsWith(path)) {
            return false;
        }
        String regexp = text(map(find, "name"), "regexp");
        if (regexp != null) {
            try {
                if (!Pattern.compile(regexp).matcher(secret.name()).find()) {
                    return false;
                }
            } catch (PatternSyntaxException e) {
                warnings.add(id + ": dataFrom.find name.regexp '" + regexp + "' is not a valid pattern; skipped");
                return false;
            }
        }
        Map<String, Object> tags = map(find, "tags");
        if (tags != null) {
            for (Map.Entry<String, Object> tag : tags.entrySet()) {
                if (!String.valueOf(tag.getValue()).equals(secret.tags().get(tag.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a use of {@code used} sees a rotation of {@code rotated} (either may be null: the whole value). */
    static boolean overlaps(String used, String rotated) {
        if (used == null || rotated == null || used.equals(rotated)) {
            return true;
        }
        return used.startsWith(rotated + ".") || rotated.startsWith(used + ".");
    }

    static String identity(Map<String, Object> resource) {
        Map<String, Object> metadata = map(resource, "metadata");
        String namespace = text(metadata, "namespace");
        return (namespace == null ? "" : namespace + "/") + text(metadata, "name");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent == null ? null : parent.get(key);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static List<?> list(Map<String, Object> parent, String key) {
        Object value = parent == null ? null : parent.get(key);
        return value instanceof List<?> list ? list : List.of();
    }

    static String text(Map<String, Object> parent, String key) {
        Object value = parent == null ? null : parent.get(key);
        return value == null ? null : String.valueOf(value);
    }
}
