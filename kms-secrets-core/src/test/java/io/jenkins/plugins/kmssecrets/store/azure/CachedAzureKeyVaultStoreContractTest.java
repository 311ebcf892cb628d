package io.jenkins.plugins.kmssecrets.store.azure;

/**
 * The Azure Key Vault contract through the {@code CachingSecretStore} the plugin puts in front of every store: the cache
 * must keep the metadata (tags, versions, state) the store lists, and pass describe, versions and fetch through.
 */
class CachedAzureKeyVaultStoreContractTest extends AzureKeyVaultStoreContractTest {

    @Override
    protected boolean cached() {
        return true;
    }
}
