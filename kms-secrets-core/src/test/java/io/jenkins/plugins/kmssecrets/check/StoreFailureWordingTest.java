package io.jenkins.plugins.kmssecrets.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultStoreProvider;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStore;
import io.jenkins.plugins.kmssecrets.store.sops.SopsStore;
import io.jenkins.plugins.kmssecrets.store.vault.VaultAuth;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStore;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that is down reads the same in every check, whatever its type: {@code store unavailable: store '<id>'...},
 * and a stopped network endpoint says {@code connection refused} (not the client's exception type, such as the
 * JDK's {@code ClosedChannelException}). Each store runs against its protocol fake, stopped before the check.
 */
class StoreFailureWordingTest {

    @TempDir
    Path dir;

    private static String checkDetail(SecretStore store, String name) {
        try (StoreSet stores = StoreSet.of(store)) {
            CheckResult result = new SecretCheck(stores, Clock.systemUTC(), 30, 1)
                    .run(List.of(CheckTarget.of(SecretReference.of(store.id(), name)))).results().get(0);
            assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
            return result.detail();
        }
    }

    @Test
    void missingSopsFileIsStoreUnavailable() {
        SopsStore store = new SopsStore("local", dir.resolve("secrets.enc.yaml"),
                new StoreContext(Map.of(), dir, Clock.systemUTC()));

        assertThat(checkDetail(store, "db.password")).isEqualTo("store unavailable: store 'local', secret "
                + "'db.password': " + dir.resolve("secrets.enc.yaml") + ": no such file");
    }

    @Test
    void stoppedAzureKeyVaultIsStoreUnavailableWithConnectionRefused() {
        FakeKeyVaultServer fake = FakeKeyVaultServer.start();
        SecretStore store = new AzureKeyVaultStoreProvider(fake.transport()).create(
                fake.definition("akv", Map.of()), new StoreContext(Map.of(), dir, Clock.systemUTC()));
        fake.close();

        assertThat(checkDetail(store, "db-password")).startsWith("store unavailable: store 'akv', secret "
                + "'db-password': ").contains("(connection refused)").doesNotContain("ClosedChannelException");
    }

    @Test
    void stoppedVaultIsStoreUnavailableWithConnectionRefused() throws Exception {
        FakeVault fake = FakeVault.start(Clock.systemUTC());
        SecretStore store = VaultStore.builder("vault", fake.address(), VaultAuth.token(
                VaultAuth.CredentialSource.literal("token", "hvs.wording"), false))
                .maxAttempts(1).retryDelay(Duration.ofMillis(1)).build();
        fake.close();

        assertThat(checkDetail(store, "ci/db")).startsWith("store unavailable: store 'vault'")
                .contains("(connection refused after 1 attempts)");
    }

    @Test
    void stoppedSecretManagerIsStoreUnavailable() throws Exception {
        FakeSecretManager fake = FakeSecretManager.start("proj-1");
        SecretStore store = GoogleSecretManagerStore.builder("gsm", "proj-1").endpoint(fake.endpoint())
                .credentials(NoCredentialsProvider.create()).maxAttempts(1).retryDelay(Duration.ofMillis(1))
                .build();
        fake.close();

        assertThat(checkDetail(store, "db-password")).startsWith("store unavailable: store 'gsm'");
    }
}
