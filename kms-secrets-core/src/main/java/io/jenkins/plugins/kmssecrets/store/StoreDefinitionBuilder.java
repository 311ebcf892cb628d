package io.jenkins.plugins.kmssecrets.store;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link StoreDefinition} from flat form fields (the Jenkins configuration page, JCasC), where an unset
 * field arrives as {@code null} or an empty string: blank values are left out, so the store's own defaults apply
 * exactly as when the key is absent from a manifest.
 *
 * @since 0.1.0
 */
public final class StoreDefinitionBuilder {

    private final String id;
    private final String type;
    private final Map<String, Object> settings = new LinkedHashMap<>();

    private StoreDefinitionBuilder(String id, String type) {
        this.id = id == null ? "" : id.trim();
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A builder for a store with this id and type. */
    public static StoreDefinitionBuilder of(String id, String type) {
        return new StoreDefinitionBuilder(id, type);
    }

    /** Sets {@code key} to the trimmed text, or leaves it out when {@code value} is {@code null} or blank. */
    public StoreDefinitionBuilder set(String key, String value) {
        if (value != null && !value.isBlank()) {
            settings.put(key, value.trim());
        } else {
            settings.remove(key);
        }
        return this;
    }

    /** Sets {@code key} to {@code true} or {@code false}. */
    public StoreDefinitionBuilder set(String key, boolean value) {
        settings.put(key, Boolean.toString(value));
        return this;
    }

    /** Sets {@code key} to the number, or leaves it out when {@code value} is {@code null}. */
    public StoreDefinitionBuilder set(String key, Integer value) {
        if (value != null) {
            settings.put(key, value.toString());
        } else {
            settings.remove(key);
        }
        return this;
    }

    /** Sets a nested map (for example a tag filter), or leaves it out when {@code null} or empty. */
    public StoreDefinitionBuilder set(String key, Map<String, String> value) {
        if (value != null && !value.isEmpty()) {
            settings.put(key, new LinkedHashMap<>(value));
        } else {
            settings.remove(key);
        }
        return this;
    }

    /**
     * The definition.
     *
     * @throws MisconfiguredException when the id is not a valid store id
     */
    public StoreDefinition build() {
        if (!SecretReference.isValidStoreId(id)) {
            throw new MisconfiguredException(id.isEmpty() ? null : id, null, "store id '" + id + "' is not valid; "
                    + "use a lower-case letter followed by lower-case letters, digits, '-' or '_'");
        }
        return new StoreDefinition(id, type, settings, null);
    }
}
