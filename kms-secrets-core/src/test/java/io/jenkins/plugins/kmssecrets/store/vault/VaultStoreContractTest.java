package io.jenkins.plugins.kmssecrets.store.vault;

import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.testing.SecretStoreContract;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The Vault store (KV version 2, token auth) against the fake Vault. Without a {@code #key} a Vault secret's value
 * is its data as JSON, so the plain and versioned fixtures are one-key objects.
 */
class VaultStoreContractTest extends SecretStoreContract {

    static final String TOKEN = "hvs.contract-token";

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-06-01T00:00:00Z"));
    FakeVault vault;

    @BeforeEach
    void seed() throws Exception {
        vault = FakeVault.start(clock).mount("secret", 2).mount("kv1", 1);
        vault.token(TOKEN, Duration.ZERO, false, "*:read,list");
        for (String mount : new String[] {"secret", "kv1"}) {
            vault.put(mount, "apps/plain", Map.of("value", "plain-value-7f3a"));
            vault.put(mount, "apps/rotated", Map.of("value", "first-value-91c2"));
            vault.put(mount, "apps/rotated", Map.of("value", "second-value-44be"));
            vault.put(mount, "apps/db/json", Map.of("username", "svc", "password", "json-field-c0d9"));
            vault.put(mount, "other", Map.of("value", "another-value-5d1e"));
            vault.put(mount, "apps/typed", Map.of("username", "svc", "password", "typed-value-3e8a"));
        }
        vault.customMetadata("secret", "apps/typed", Map.of(CredentialMapping.TYPE_TAG, "usernamePassword",
                CredentialMapping.USERNAME_TAG, "svc", "team", "platform"));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Override
    protected Fixtures fixtures() {
        return new Fixtures("vault", "apps/plain", "{\"value\":\"plain-value-7f3a\"}", "apps/rotated", "1",
                "{\"value\":\"first-value-91c2\"}", "{\"value\":\"second-value-44be\"}", "apps/db/json", "password",
                "json-field-c0d9", "apps/missing");
    }


    @Override
    protected TaggedSecret taggedSecret() {
        return new TaggedSecret("apps/typed", Map.of(CredentialMapping.TYPE_TAG, "usernamePassword",
                CredentialMapping.USERNAME_TAG, "svc", "team", "platform"), CredentialType.USERNAME_PASSWORD);
    }

    @Override
    protected boolean listCarriesVersions() {
        return true;
    }

    @Override
    protected SecretStore createStore() {
        return VaultStore.builder("vault", vault.address(),
                VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .clock(clock).retryDelay(Duration.ofMillis(1)).build();
    }

    @Override
    protected long valueReads() {
        return vault.count(FakeVault.READ);
    }

    @Override
    protected void denyAccess() {
        vault.revoke(TOKEN);
    }

    @Override
    protected void makeUnavailable() {
        vault.sealed(true);
    }
}
