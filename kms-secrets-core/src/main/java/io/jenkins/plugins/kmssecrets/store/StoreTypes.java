package io.jenkins.plugins.kmssecrets.store;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The store types available on the class path, by type name.
 *
 * @since 0.1.0
 */
public final class StoreTypes {

    private final Map<String, SecretStoreProvider> providers;

    private StoreTypes(Map<String, SecretStoreProvider> providers) {
        this.providers = Collections.unmodifiableMap(new TreeMap<>(providers));
    }

    /** Every provider registered with {@link ServiceLoader} in this class's class loader. */
    public static StoreTypes installed() {
        Map<String, SecretStoreProvider> found = new TreeMap<>();
        for (SecretStoreProvider provider
                : ServiceLoader.load(SecretStoreProvider.class, StoreTypes.class.getClassLoader())) {
            found.putIfAbsent(provider.type(), provider);
        }
        return new StoreTypes(found);
    }

    /** Exactly the given providers (tests, embedding). */
    public static StoreTypes of(SecretStoreProvider... providers) {
        Map<String, SecretStoreProvider> map = new TreeMap<>();
        for (SecretStoreProvider provider : providers) {
            map.put(provider.type(), provider);
        }
        return new StoreTypes(map);
    }

    /** The provider of {@code type}, or {@code null}. */
    public SecretStoreProvider get(String type) {
        return providers.get(type);
    }

    /** Type names, sorted. */
    public java.util.Set<String> names() {
        return providers.keySet();
    }

    /**
     * Builds the store a definition describes.
     *
     * @throws MisconfiguredException for an unknown type or a bad setting
     */
    public SecretStore create(StoreDefinition definition, StoreContext context) {
        SecretStoreProvider provider = providers.get(definition.type());
        if (provider == null) {
            throw new MisconfiguredException(definition.id(), null, "unknown store type '" + definition.type()
                    + "'; known types: " + String.join(", ", providers.keySet()));
        }
        return provider.create(definition, context);
    }
}
