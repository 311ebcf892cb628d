package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeSecretVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} and {@code exec} against an {@code azure-key-vault} store: the real SDK and the HTTPS fake. */
class AzureKeyVaultCommandTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String PASSWORD = "akv-db-pw-6e2f91";
    static final String TOKEN_FIELD = "akv-json-tok-0b7c";

    @TempDir
    Path dir;

    FakeKeyVaultServer fake;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeKeyVaultServer.start();
        fake.put("db-password", FakeSecretVersion.of("v1", PASSWORD, NOW.minus(Duration.ofDays(3)))
                        .expiringOn(NOW.plus(Duration.ofDays(90))))
                .put("api", FakeSecretVersion.of("v2", "{\"token\":\"" + TOKEN_FIELD + "\"}",
                        NOW.minus(Duration.ofDays(1))));
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv
                    type: azure-key-vault
                    vaultUrl: %s
                secrets:
                  - env: DB_PASSWORD
                    ref: akv:db-password
                  - env: API_TOKEN
                    ref: akv:api#token
                """.formatted(fake.vaultUrl()));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    CliRun run(String... args) {
        return CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()),
                Clock.fixed(NOW, ZoneOffset.UTC), StoreTypes.of(new AzureKeyVaultStoreProvider(fake.transport())),
                "", args);
    }

    @Test
    void checkPassesWithAListOnlyIdentityAndReadsNoValue() {
        fake.denyValueReads(true);
        CliRun run = run("check", "--format", "junit");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("DB_PASSWORD").contains("API_TOKEN");
        assertThat(fake.valueReads()).isZero();
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(TOKEN_FIELD);
    }

    @Test
    void checkFailsOnAMissingSecret() {
        fake.clear().put("api", "{}", NOW);
        CliRun run = run("check");
        assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
        assertThat(run.out).contains("db-password").contains("not found");
    }

    @Test
    void execInjectsValuesFromKeyVaultAndMasksThem() {
        CliRun run = run("exec", "--", "sh", "-c", "echo \"pw=$DB_PASSWORD tok=$API_TOKEN\"");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).contains("pw=****").contains("tok=****");
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(TOKEN_FIELD);
        assertThat(fake.valueReads()).isEqualTo(2);
    }
}
