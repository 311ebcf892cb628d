package io.jenkins.plugins.kmssecrets.store.vault;

import io.jenkins.plugins.kmssecrets.store.CredentialType;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import java.time.Duration;
import java.util.Map;

/** The Vault store on a KV version 1 mount: no versions, describe by listing the parent path. */
class VaultKv1StoreContractTest extends VaultStoreContractTest {

    @Override
    protected Fixtures fixtures() {
        // KV 1 keeps only the last write, so the "versioned" secret is not offered as such.
        return new Fixtures("vault", "apps/plain", "{\"value\":\"plain-value-7f3a\"}", null, null, null, null,
                "apps/db/json", "password", "json-field-c0d9", "apps/missing");
    }

    /** KV 1 keeps no custom metadata: every secret lists without tags, so as Secret text. */
    @Override
    protected TaggedSecret taggedSecret() {
        return new TaggedSecret("apps/typed", Map.of(), CredentialType.STRING);
    }

    @Override
    protected boolean listCarriesVersions() {
        return false;
    }

    @Override
    protected SecretStore createStore() {
        return VaultStore.builder("vault", vault.address(),
                VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .mount("kv1").kvVersion(1).retryDelay(Duration.ofMillis(1)).build();
    }
}
