package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    void auditContextOptionLabelsEveryVaultRequestAndVerboseNamesTheCorrelationId() {
        CliRun run = run(READER, "exec", "--verbose", "--audit-context", "release by alice (ticket 42)", "--", "true");

        assertThat(run.exitCode).as(run.toString()).isZero();
        String agent = AuditContext.PRODUCT + " (cli; release by alice %28ticket 42%29)";
        assertThat(vault.requests().all()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.header("User-Agent")).isEqualTo(agent);
            assertThat(r.header("X-Vault-Request")).isEqualTo("true");
            assertThat(r.header("X-Kms-Secrets-Context")).startsWith("cli; release by alice %28ticket 42%29; ")
                    .doesNotContain(PASSWORD);
        });
        String correlation = vault.requests().all().get(0).header("X-Kms-Secrets-Context").replaceAll(".*; ", "");
        assertThat(run.err).contains("kms-secrets: audit: User-Agent '" + agent + "', correlation id " + correlation);
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(READER);
    }

    @Test
    void auditContextComesFromTheEnvironmentElseUserAtHost() {
        CliRun fromEnvironment = CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString(),
                "VAULT_TOKEN", READER, "KMS_SECRETS_AUDIT_CONTEXT", "nightly-sync"), clock,
                StoreTypes.of(new VaultStoreProvider()), "", "check");
        assertThat(fromEnvironment.exitCode).as(fromEnvironment.toString()).isZero();
        assertThat(vault.requests().all()).allSatisfy(r ->
                assertThat(r.header("User-Agent")).isEqualTo(AuditContext.PRODUCT + " (cli; nightly-sync)"));
        vault.requests().clear();

        CliRun byDefault = CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString(),
                "VAULT_TOKEN", READER, "USER", "alice", "HOSTNAME", "ci-7"), clock,
                StoreTypes.of(new VaultStoreProvider()), "", "check");
        assertThat(byDefault.exitCode).as(byDefault.toString()).isZero();
        assertThat(vault.requests().all()).isNotEmpty().allSatisfy(r ->
                assertThat(r.header("User-Agent")).isEqualTo(AuditContext.PRODUCT + " (cli; alice@ci-7)"));
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
        // DB_PASSWORD and DB_USER are two properties of one secret: it is read once.
        assertThat(vault.count(FakeVault.READ)).isEqualTo(1);
    }

    @Test
    void execWithACheckOnlyPolicyFailsNamingThePolicyPath() {
        CliRun run = run(CHECKER, "exec", "--", "true");

        assertThat(run.exitCode).as(run.toString()).isNotZero();
        assertThat(run.all()).contains("secret/data/ci/netbox").doesNotContain(CHECKER);
    }

    @Test
    void checkReadFailsLikeExecForAMetadataOnlyPolicyAndPrintsNoValue() {
        CliRun check = run(CHECKER, "check", "--read", "--format", "json");
        CliRun exec = run(CHECKER, "exec", "--", "true");

        assertThat(check.exitCode).as(check.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(check.out).contains("\"mode\" : \"read\"").contains("\"readable\" : \"no\"")
                .contains("value not readable");
        assertThat(exec.exitCode).as(exec.toString()).isEqualTo(ExitCode.STORE);
        assertThat(check.all() + exec.all()).doesNotContain(PASSWORD).doesNotContain(CHECKER);
    }

    @Test
    void checkReadWithTheReaderReadsTheSecretOnceForBothProperties() {
        CliRun check = run(READER, "check", "--read");

        assertThat(check.exitCode).as(check.toString()).isZero();
        assertThat(check.out).contains("values were read to verify them (--read); none is shown");
        assertThat(vault.count(FakeVault.READ)).isEqualTo(1);
        assertThat(check.all()).doesNotContain(PASSWORD).doesNotContain(READER);
    }

    @Test
    void execAgainstAnUnreachableVaultNamesEverySecretOnOneLine() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: vault
                    type: vault
                    address: http://127.0.0.1:%d
                    retryDelay: 1ms
                secrets:
                  - env: DB_PASSWORD
                    ref: vault:ci/netbox#db_password
                  - env: DB_USER
                    ref: vault:ci/netbox#user
                  - env: API_TOKEN
                    ref: vault:ci/api@3
                """.formatted(closed));

        CliRun run = run(READER, "exec", "--", "true");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.STORE);
        assertThat(run.err).as(run.toString()).startsWith("error: store 'vault', secrets 'ci/netbox#db_password' "
                + "(DB_PASSWORD), 'ci/netbox#user' (DB_USER), 'ci/api@3' (API_TOKEN): cannot reach Vault at "
                + "http://127.0.0.1:" + closed + "/");
        assertThat(run.err.lines()).hasSize(1);
        assertThat(run.all()).doesNotContain(READER);
    }

    @Test
    void aSealedVaultCostsWhatOneSecretCostsAndEverySecretIsNamed() throws Exception {
        vault.put("secret", "ci/api", Map.of("token", "api-token-7c2d"));
        vault.put("secret", "ci/other", Map.of("x", "other-value-41aa"));
        Files.writeString(dir.resolve("three.yaml"), """
                stores:
                  - id: vault
                    type: vault
                    address: %s
                    retryDelay: 1ms
                secrets:
                  - env: DB_PASSWORD
                    ref: vault:ci/netbox#db_password
                  - env: API
                    ref: vault:ci/api#token
                  - env: OTHER
                    ref: vault:ci/other#x
                """.formatted(vault.address()));
        vault.sealed(true);

        CliRun one = run(READER, "exec", "--manifest", "three.yaml", "--only", "API", "--", "true");
        int requestsForOne = vault.namespacesSeen().size(); // every request, sealed or not
        CliRun three = run(READER, "exec", "--manifest", "three.yaml", "--", "true");
        int requestsForThree = vault.namespacesSeen().size() - requestsForOne;

        assertThat(one.exitCode).as(one.toString()).isEqualTo(ExitCode.STORE);
        assertThat(three.exitCode).as(three.toString()).isEqualTo(ExitCode.STORE);
        assertThat(requestsForOne).isPositive();
        assertThat(requestsForThree).isEqualTo(requestsForOne);
        assertThat(three.err.lines()).as(three.toString()).hasSize(1);
        assertThat(three.err).startsWith("error: store 'vault', secrets 'ci/netbox#db_password' (DB_PASSWORD), "
                + "'ci/api#token' (API), 'ci/other#x' (OTHER): ").contains("sealed");
    }

    @Test
    void secretsFailingForDifferentReasonsGetOneLineEachWithTheirNames() throws Exception {
        vault.put("secret", "ci/api", Map.of("token", "api-token-7c2d"));
        Files.writeString(dir.resolve("more.yaml"), """
                stores:
                  - id: vault
                    type: vault
                    address: %s
                    retryDelay: 1ms
                secrets:
                  - env: DB_PASSWORD
                    ref: vault:ci/netbox#db_password
                  - env: API
                    ref: vault:ci/api#token
                  - env: MISSING
                    ref: vault:ci/missing
                  - env: NOKEY
                    ref: vault:ci/api#pool.max
                """.formatted(vault.address()));

        CliRun run = run(READER, "exec", "--only", "DB_PASSWORD,API,MISSING,NOKEY", "--manifest", "more.yaml", "--",
                "true");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.STORE);
        List<String> lines = run.err.lines().toList();
        assertThat(lines).as(run.toString()).hasSize(2);
        assertThat(lines.get(0)).startsWith("error: store 'vault', secret 'ci/missing' (MISSING): ");
        assertThat(lines.get(1)).isEqualTo("error: store 'vault', secret 'ci/api#pool.max' (NOKEY): the JSON value "
                + "has no property 'pool.max'");
        assertThat(run.all()).doesNotContain(PASSWORD, "api-token-7c2d", READER);
    }

    @Test
    void anUntrustedCertificateIsAConfigurationErrorNamingCaCertFile() throws Exception {
        try (FakeVault tls = FakeVault.startTls(clock,
                io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate.get().serverContext()).mount("secret", 2)) {
            tls.token(READER, Duration.ZERO, false, "secret/data/ci/*:read");
            Files.writeString(dir.resolve("kms-secrets.yaml"), """
                    stores:
                      - id: vault
                        type: vault
                        address: %s
                        retryDelay: 1ms
                    secrets:
                      - env: DB_PASSWORD
                        ref: vault:ci/netbox#db_password
                      - env: API_TOKEN
                        ref: vault:ci/api
                    """.formatted(tls.address()));

            CliRun run = run(READER, "exec", "--", "true");

            assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.INPUT);
            assertThat(run.err.lines()).as(run.toString()).containsExactly("error: store 'vault', secrets "
                    + "'ci/netbox#db_password' (DB_PASSWORD), 'ci/api' (API_TOKEN): the certificate of "
                    + tls.address() + " is not trusted (no trusted CA issued it); set caCertFile to the CA "
                    + "certificate that issued it; not retried");
            assertThat(tls.count(FakeVault.READ)).isZero();
        }
    }
}
