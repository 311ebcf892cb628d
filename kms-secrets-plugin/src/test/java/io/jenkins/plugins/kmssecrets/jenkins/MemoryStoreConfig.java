package io.jenkins.plugins.kmssecrets.jenkins;

import hudson.Extension;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsStoreConfig;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.StoreDefinitionBuilder;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * A store configuration for tests: builds the core test fixture {@link InMemorySecretStore} registered under its id,
 * so the tests drive the real provider, cache, resolver and masker without any backend.
 */
public class MemoryStoreConfig extends KmsStoreConfig {

    /** Stores by id; tests fill them before use and clear them after. */
    public static final Map<String, InMemorySecretStore> STORES = new ConcurrentHashMap<>();

    @DataBoundConstructor
    public MemoryStoreConfig(String id) {
        super(id);
    }

    @Override
    public String storeType() {
        return "memory";
    }

    @Override
    protected void settings(StoreDefinitionBuilder builder) {
    }

    @Override
    public SecretStore createStore() {
        return STORES.computeIfAbsent(getId(), InMemorySecretStore::new);
    }

    @Extension
    @Symbol("memory")
    public static class DescriptorImpl extends KmsStoreDescriptor {
        @Override
        public String getDisplayName() {
            return "In-memory store (tests)";
        }
    }
}
