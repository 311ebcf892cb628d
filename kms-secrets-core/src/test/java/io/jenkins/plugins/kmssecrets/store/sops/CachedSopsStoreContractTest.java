package io.jenkins.plugins.kmssecrets.store.sops;

/**
 * The SOPS contract through the {@code CachingSecretStore} the plugin puts in front of every store: the cache
 * must keep the metadata (tags, versions, state) the store lists, and pass describe, versions and fetch through.
 */
class CachedSopsStoreContractTest extends SopsStoreContractTest {

    @Override
    protected boolean cached() {
        return true;
    }
}
