package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AzureKeyVaultStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private FakeKeyVaultServer fake;
    private SecretStore store;

    @BeforeEach
    void start() {
        fake = FakeKeyVaultServer.start();
        store = store(Map.of());
    }

    @AfterEach
    void stop() {
        store.close();
        fake.close();
    }

    private SecretStore store(Map<String, Object> extra) {
        StoreContext context = new StoreContext(Map.of(), Path.of("."), Clock.systemUTC());
        return new AzureKeyVaultStoreProvider(fake.transport()).create(fake.definition("akv", extra), context);
    }

    @Test
    void fetchesLatestValueThroughBearerChallenge() {
        fake.put("db-password", "old", T0).put("db-password", "new", T0.plusSeconds(60));
        try (SecretValue value = store.fetch(SecretReference.of("akv", "db-password"))) {
            assertThat(value.asString()).isEqualTo("new");
        }
        assertThat(fake.count(FakeKeyVaultServer.Operation.CHALLENGE)).isEqualTo(1);
        assertThat(fake.valueReads()).isEqualTo(1);
    }

    @Test
    void listFollowsNextLink() {
        fake.pageSize(2);
        for (int i = 0; i < 5; i++) {
            fake.put("s" + i, "v" + i, T0);
        }
        List<SecretMetadata> all = store.list();
        assertThat(all).extracting(SecretMetadata::name).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(fake.count(FakeKeyVaultServer.Operation.LIST_SECRETS)).isEqualTo(3);
        assertThat(fake.valueReads()).isZero();
    }
}
