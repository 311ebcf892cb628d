package io.jenkins.plugins.kmssecrets.store.gcp;

import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import java.time.Clock;
import java.time.Duration;

/** The caching decorator keeps every promise of the contract when it wraps the Secret Manager store. */
class CachedGoogleSecretManagerStoreContractTest extends GoogleSecretManagerStoreContractTest {

    @Override
    protected SecretStore createStore() {
        return new CachingSecretStore(super.createStore(), Duration.ofMinutes(5), Clock.systemUTC(), Runnable::run);
    }
}
