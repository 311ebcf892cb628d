package io.jenkins.plugins.kmssecrets.store.gcp;

/**
 * The Google Secret Manager contract through the {@code CachingSecretStore} the plugin puts in front of every store: the cache
 * must keep the metadata (tags, versions, state) the store lists, and pass describe, versions and fetch through.
 */
class CachedGoogleSecretManagerStoreContractTest extends GoogleSecretManagerStoreContractTest {

    @Override
    protected boolean cached() {
        return true;
    }
}
