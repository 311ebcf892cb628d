package io.jenkins.plugins.kmssecrets.store.azure;

import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.SecretStoreContract;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeSecretVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The Azure Key Vault store against the HTTPS fake, through the real SDK client. */
class AzureKeyVaultStoreContractTest extends SecretStoreContract {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private FakeKeyVaultServer fake;

    @BeforeEach
    void seed() {
        // Small pages so every list call also exercises nextLink paging.
        fake = FakeKeyVaultServer.start().pageSize(2);
        fake.put("plain-secret", "plain-value-7f3a", T0)
                .put("rotated-secret", "first-value-91c2", T0)
                .put("rotated-secret", "second-value-44be", T0.plusSeconds(3600))
                .put("json-secret", "{\"username\":\"svc\",\"password\":\"json-field-c0d9\"}", T0)
                .put("another-secret", "another-value-5d1e", T0)
                .put("typed-secret", FakeSecretVersion.of(FakeKeyVaultServer.versionId("typed-secret", 0),
                        "typed-value-3e8a", T0).withTags(Map.of(CredentialMapping.TYPE_TAG, "usernamePassword",
                        CredentialMapping.USERNAME_TAG, "svc", "team", "platform")));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Override
    protected Fixtures fixtures() {
        return new Fixtures("akv", "plain-secret", "plain-value-7f3a", "rotated-secret",
                FakeKeyVaultServer.versionId("rotated-secret", 0), "first-value-91c2", "second-value-44be",
                "json-secret", "password", "json-field-c0d9", "missing-secret");
    }


    @Override
    protected TaggedSecret taggedSecret() {
        return new TaggedSecret("typed-secret", Map.of(CredentialMapping.TYPE_TAG, "usernamePassword",
                CredentialMapping.USERNAME_TAG, "svc", "team", "platform"), CredentialType.USERNAME_PASSWORD);
    }

    @Override
    protected SecretStore createStore() {
        StoreContext context = new StoreContext(Map.of(), Path.of("."), Clock.systemUTC());
        return new AzureKeyVaultStoreProvider(fake.transport()).create(fake.definition("akv", Map.of()), context);
    }

    @Override
    protected long valueReads() {
        return fake.valueReads();
    }

    @Override
    protected void denyAccess() {
        fake.denyAll(true);
    }

    @Override
    protected void makeUnavailable() {
        fake.unavailable(true);
    }
}
