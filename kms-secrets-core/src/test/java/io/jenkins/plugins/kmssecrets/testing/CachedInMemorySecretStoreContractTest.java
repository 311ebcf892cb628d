package io.jenkins.plugins.kmssecrets.testing;

/**
 * The in-memory contract through the {@code CachingSecretStore} the plugin puts in front of every store: the cache
 * must keep the metadata (tags, versions, state) the store lists, and pass describe, versions and fetch through.
 */
class CachedInMemorySecretStoreContractTest extends InMemorySecretStoreContractTest {

    @Override
    protected boolean cached() {
        return true;
    }
}
