package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} and {@code exec} against a {@code vault} store (KV v2, token from VAULT_TOKEN) and the fake Vault. */
class VaultCommandTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String PASSWORD = "vault-db-pw-19be04";
    static final String READER = "hvs.reader-token-5a1f";
    static final String CHECKER = "hvs.checker-token-2d7e";

    @TempDir
    Path dir;

    final SteppingClock clock = new SteppingClock(NOW);
    FakeVault vault;

    @BeforeEach
    void setUp() throws Exception {
        vault = FakeVault.start(clock).mount("secret", 2);
        vault.token(READER, Duration.ZERO, false, "secret/data/ci/*:read", "secret/metadata/ci/*:read,list");
        vault.token(CHECKER, Duration.ZERO, false, "secret/metadata/ci/*:read,list");
        vault.put("secret", "ci/netbox", Map.of("db_password", PASSWORD, "user", "netbox"));
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: vault
                    type: vault
                    address: %s
                    retryDelay: 1ms
                secrets:
                  - env: DB_PASSWORD
                    ref: vault:ci/netbox#db_password
                  - env: DB_USER
                    ref: vault:ci/netbox#user
                """.formatted(vault.address()));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    CliRun run(String token, String... args) {
        return CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString(), "VAULT_TOKEN", token),
                clock, StoreTypes.of(new VaultStoreProvider()), "", args);
    }

    @Test
    void checkPassesWhenThePolicyMayReadAndReadsNoValue() {
        CliRun run = run(READER, "check", "--format", "json");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("DB_PASSWORD").contains("\"readable\" : \"yes\"");
        assertThat(vault.count(FakeVault.CAPABILITIES)).isEqualTo(2);
        assertThat(vault.count(FakeVault.READ)).isZero();
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(READER);
    }

    @Test
    void checkFailsWhatExecCouldNotReadWithAMetadataOnlyPolicy() {
        CliRun run = run(CHECKER, "check");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        assertThat(run.out).contains("DB_PASSWORD").contains("not readable");
        assertThat(vault.count(FakeVault.READ)).isZero();
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(CHECKER);
    }

    @Test
    void listShowsCustomMetadataAsTagsAndReadsNoValue() {
        vault.customMetadata("secret", "ci/netbox", Map.of("jenkins-credentials-type", "usernamePassword",
                "jenkins-credentials-username", "netbox"));

        vault.token("hvs.lister-3c9d", Duration.ZERO, false, "secret/metadata/*:read,list");

        CliRun run = run("hvs.lister-3c9d", "list", "vault");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("ci/netbox").contains("enabled")
                .contains("jenkins-credentials-type=usernamePassword");
        assertThat(vault.count(FakeVault.READ)).isZero();
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain("hvs.lister-3c9d");
    }

    @Test
    void reservedEnvironmentNameIsAnInputError() throws Exception {
        Files.writeString(dir.resolve("kms-secrets.yaml"), Files.readString(dir.resolve("kms-secrets.yaml"))
                .replace("env: DB_USER", "env: PATH"));

        CliRun run = run(READER, "exec", "--", "true");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err).isEqualTo("error: kms-secrets.yaml:9:10: 'PATH' is reserved: the shell finds every "
                + "command through it; choose another name for the secret (at $.secrets[1].env)\n");
        assertThat(vault.count(FakeVault.READ)).isZero();
    }

    @Test
    void checkFailsWhenVaultIsSealed() {
        vault.sealed(true);

        CliRun run = run(CHECKER, "check");

        assertThat(run.exitCode).as(run.toString()).isNotZero();
        assertThat(run.all()).contains("sealed").doesNotContain(CHECKER);
    }

    @Test
    void execInjectsValuesFromVaultAndMasksThem() {
        CliRun run = run(READER, "exec", "--", "sh", "-c", "echo \"pw=$DB_PASSWORD\"");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).contains("pw=****");
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(READER);
        assertThat(vault.count(FakeVault.READ)).isEqualTo(2);
    }

    @Test
    void execWithACheckOnlyPolicyFailsNamingThePolicyPath() {
        CliRun run = run(CHECKER, "exec", "--", "true");

        assertThat(run.exitCode).as(run.toString()).isNotZero();
        assertThat(run.all()).contains("secret/data/ci/netbox").doesNotContain(CHECKER);
    }
}
