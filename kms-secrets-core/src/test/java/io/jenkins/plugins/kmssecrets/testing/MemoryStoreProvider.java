package io.jenkins.plugins.kmssecrets.testing;

import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreProvider;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.util.Map;
import java.util.Set;

/** Store type {@code memory} for tests: builds the {@link InMemorySecretStore} registered under the store id. */
public final class MemoryStoreProvider implements SecretStoreProvider {

    private final Map<String, InMemorySecretStore> stores;

    public MemoryStoreProvider(Map<String, InMemorySecretStore> stores) {
        this.stores = stores;
    }

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("file", "vaultUrl", "nested", "tokenEnv");
    }

    @Override
    public SecretStore create(StoreDefinition definition, StoreContext context) {
        return stores.computeIfAbsent(definition.id(), InMemorySecretStore::new);
    }
}
