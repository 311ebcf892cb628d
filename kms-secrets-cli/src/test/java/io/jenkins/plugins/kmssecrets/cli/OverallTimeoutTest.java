package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.FaultProxy;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exec --timeout} and {@code check --timeout} against a Vault that accepts connections and never answers,
 * with store limits far longer than the command's: the command ends at its own limit, exit code 3, naming what is
 * still pending, and injects nothing.
 */
class OverallTimeoutTest {

    static final String VALUE = "overall-timeout-s3ntinel-31";
    static final String TOKEN = "hvs.overall-timeout-token";

    @TempDir
    Path dir;

    FakeVault vault;
    FaultProxy proxy;

    @BeforeEach
    void setUp() throws Exception {
        vault = FakeVault.start(Clock.systemUTC()).mount("secret", 2);
        vault.token(TOKEN, Duration.ZERO, false, "secret/data/ci/*:read", "secret/metadata/ci/*:read,list");
        vault.put("secret", "ci/db", Map.of("password", VALUE));
        proxy = FaultProxy.plain(vault.address().getPort()).fault(FaultProxy.Fault.SILENCE);
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: vault
                    type: vault
                    address: http://127.0.0.1:%d
                    timeout: 60s
                secrets:
                  - env: DB_PASSWORD
                    ref: vault:ci/db#password
                """.formatted(proxy.port()));
    }

    @AfterEach
    void stop() {
        proxy.close();
        vault.close();
    }

    CliRun run(String... args) {
        return CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString(), "VAULT_TOKEN", TOKEN),
                Clock.systemUTC(), StoreTypes.of(new VaultStoreProvider()), "", args);
    }

    @Test
    void execStopsAtItsTimeoutNamingWhatIsPending() {
        long start = System.nanoTime();
        CliRun run = run("exec", "--timeout", "1s", "--", "sh", "-c", "echo ran");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.STORE);
        assertThat(run.err).isEqualTo("error: did not finish within 1 s (--timeout); still pending: "
                + "DB_PASSWORD (vault:ci/db#password)\n");
        assertThat(run.stdout).doesNotContain("ran");
        assertThat(run.all()).doesNotContain(VALUE).doesNotContain(TOKEN);
        assertThat(took).isLessThan(Duration.ofSeconds(30)); // the store alone would wait 3 x 60 s
    }

    @Test
    void checkStopsAtItsTimeoutNamingWhatIsPending() {
        CliRun run = run("check", "--timeout", "1s");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.STORE);
        assertThat(run.err).contains("did not finish within 1 s (--timeout); still pending: DB_PASSWORD "
                + "(vault:ci/db#password)");
        assertThat(run.all()).doesNotContain(VALUE).doesNotContain(TOKEN);
    }
}
