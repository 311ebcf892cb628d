package io.jenkins.plugins.kmssecrets.store.vault;

/**
 * The Vault (KV 2) contract through the {@code CachingSecretStore} the plugin puts in front of every store: the cache
 * must keep the metadata (tags, versions, state) the store lists, and pass describe, versions and fetch through.
 */
class CachedVaultStoreContractTest extends VaultStoreContractTest {

    @Override
    protected boolean cached() {
        return true;
    }
}
