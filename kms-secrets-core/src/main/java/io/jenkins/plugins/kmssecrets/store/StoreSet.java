package io.jenkins.plugins.kmssecrets.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stores of one manifest or configuration, by id. Closing the set closes every store.
 *
 * @since 0.1.0
 */
public final class StoreSet implements AutoCloseable {

    private final Map<String, SecretStore> stores;

    private StoreSet(Map<String, SecretStore> stores) {
        this.stores = Collections.unmodifiableMap(stores);
    }

    /**
     * Builds every defined store. If one fails to build, the ones already built are closed and the error is thrown.
     *
     * @throws MisconfiguredException for an unknown type or a bad setting
     */
    public static StoreSet create(Collection<StoreDefinition> definitions, StoreTypes types, StoreContext context) {
        Map<String, SecretStore> built = new LinkedHashMap<>();
        try {
            for (StoreDefinition definition : definitions) {
                built.put(definition.id(), types.create(definition, context));
            }
        } catch (RuntimeException e) {
            built.values().forEach(StoreSet::closeQuietly);
            throw e;
        }
        return new StoreSet(built);
    }

    /** A set of already built stores (tests, embedding). */
    public static StoreSet of(SecretStore... stores) {
        Map<String, SecretStore> map = new LinkedHashMap<>();
        for (SecretStore store : stores) {
            map.put(store.id(), store);
        }
        return new StoreSet(map);
    }

    /**
     * The store with this id.
     *
     * @throws MisconfiguredException naming the known ids when there is none
     */
    public SecretStore get(String id) {
        SecretStore store = stores.get(id);
        if (store == null) {
            throw new MisconfiguredException(id, null, "unknown store id; known stores: "
                    + (stores.isEmpty() ? "(none)" : String.join(", ", stores.keySet())));
        }
        return store;
    }

    /** Store ids in declaration order. */
    public List<String> ids() {
        return new ArrayList<>(stores.keySet());
    }

    @Override
    public void close() {
        stores.values().forEach(StoreSet::closeQuietly);
    }

    private static void closeQuietly(SecretStore store) {
        try {
            store.close();
        } catch (RuntimeException ignored) {
            // closing is best effort; the store's own errors were reported when it was used
        }
    }
}
