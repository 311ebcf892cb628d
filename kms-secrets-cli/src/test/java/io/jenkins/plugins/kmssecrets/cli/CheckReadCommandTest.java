package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * {@code check} predicts {@code exec} against Azure Key Vault (the real SDK and the HTTPS fake), where the read
 * permission cannot be asked without reading: the metadata check says "not verified", {@code check --read} reads.
 */
class CheckReadCommandTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String PASSWORD = "akv-db-pw-3f81c2";
    static final String TOKEN = "akv-tok-77d0a9";
    static final String POOL_NAME = "akv-pool-name-12ab";

    @TempDir
    Path dir;

    FakeKeyVaultServer fake;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeKeyVaultServer.start();
        fake.put("db-password", FakeSecretVersion.of("v1", PASSWORD, NOW.minus(Duration.ofDays(3))))
                .put("api", FakeSecretVersion.of("v2", "{\"token\":\"" + TOKEN + "\",\"pool\":{\"max\":20,"
                        + "\"name\":\"" + POOL_NAME + "\"},\"tls.crt\":\"" + TOKEN + "-crt\"}",
                        NOW.minus(Duration.ofDays(1))));
        manifest("""
                  - env: DB_PASSWORD
                    ref: akv:db-password
                  - env: API_TOKEN
                    ref: akv:api#token
                  - env: POOL_NAME
                    ref: akv:api#pool.name
                """);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    void manifest(String secrets) throws Exception {
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv
                    type: azure-key-vault
                    vaultUrl: %s
                secrets:
                %s""".formatted(fake.vaultUrl(), secrets));
    }

    CliRun run(String... args) {
        return CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()),
                Clock.fixed(NOW, ZoneOffset.UTC), StoreTypes.of(new AzureKeyVaultStoreProvider(fake.transport())),
                "", args);
    }

    static void assertNoValue(String text) {
        assertThat(text).doesNotContain(PASSWORD).doesNotContain(TOKEN).doesNotContain(POOL_NAME);
    }

    @Test
    void withoutReadTheCheckSaysTheReadPermissionIsNotVerified() throws Exception {
        fake.denyValueReads(true);

        CliRun table = run("check");
        CliRun json = run("check", "--format", "json");

        assertThat(table.exitCode).as(table.toString()).isZero();
        assertThat(table.out).contains("READABLE").contains("not verified")
                .contains("read permission not verified for 3 secrets");
        JsonNode report = new ObjectMapper().readTree(json.out);
        assertThat(report.get("mode").asText()).isEqualTo("metadata");
        assertThat(report.get("summary").get("readNotVerified").asInt()).isEqualTo(3);
        assertThat(report.get("results")).allSatisfy(r -> assertThat(r.get("readable").asText())
                .isEqualTo("not verified"));
        assertThat(fake.valueReads()).isZero();
    }

    @Test
    void checkReadFailsWhereExecWouldFailForAnIdentityThatMayNotReadValues() {
        fake.denyValueReads(true);

        CliRun check = run("check", "--read");
        CliRun exec = run("exec", "--", "true");

        assertThat(check.exitCode).as(check.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(check.out).contains("value not readable").contains("secrets/get").contains("3 failed");
        assertThat(exec.exitCode).as(exec.toString()).isEqualTo(ExitCode.STORE);
        assertThat(exec.err).contains("'db-password' (DB_PASSWORD)").contains("'api#token' (API_TOKEN)")
                .contains("'api#pool.name' (POOL_NAME)");
    }

    @Test
    void checkReadVerifiesEachValueOnceAndPrintsNoneOfIt() throws Exception {
        CliRun run = run("check", "--read", "--format", "junit", "--output", "check.xml");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).isEqualTo("3 checked: 3 ok, 0 warnings, 0 failed (report written to check.xml)\n"
                + "values were read to verify them (--read); none is shown\n");
        String xml = Files.readString(dir.resolve("check.xml"));
        assertThat(xml).contains("<testsuite name=\"kms-secrets check --read\"")
                .contains("<property name=\"mode\" value=\"read\"");
        assertNoValue(run.all() + xml);
        // two secrets: api is read once for its two properties
        assertThat(fake.valueReads()).isEqualTo(2);

        CliRun json = run("check", "--read", "--format", "json");
        JsonNode report = new ObjectMapper().readTree(json.out);
        assertThat(report.get("mode").asText()).isEqualTo("read");
        assertThat(report.get("results")).allSatisfy(r -> assertThat(r.get("readable").asText()).isEqualTo("yes"));
        assertNoValue(json.all());
    }

    @Test
    void aMissingPropertyFailsCheckReadAndExecNamingTheProperty() throws Exception {
        manifest("""
                  - env: API_TOKEN
                    ref: akv:api#token
                  - env: POOL_MIN
                    ref: akv:api#pool.min
                """);

        CliRun check = run("check", "--read");
        CliRun exec = run("exec", "--", "true");

        assertThat(check.exitCode).as(check.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(check.out).contains("the JSON value has no property 'pool.min' (no key 'min' under 'pool')");
        assertThat(exec.exitCode).as(exec.toString()).isEqualTo(ExitCode.STORE);
        assertThat(exec.err).isEqualTo("error: store 'akv', secret 'api#pool.min' (POOL_MIN): the JSON value has "
                + "no property 'pool.min' (no key 'min' under 'pool')\n");
        assertNoValue(check.all() + exec.all());
    }

    @Test
    void anEmptyValueFailsAndANonStringPropertyWarns() throws Exception {
        fake.put("empty", FakeSecretVersion.of("v3", "", NOW.minus(Duration.ofDays(1))));
        manifest("""
                  - env: EMPTY
                    ref: akv:empty
                  - env: POOL_MAX
                    ref: akv:api#pool.max
                """);

        CliRun check = run("check", "--read", "--format", "json");

        assertThat(check.exitCode).as(check.toString()).isEqualTo(ExitCode.FAILED);
        JsonNode results = new ObjectMapper().readTree(check.out).get("results");
        assertThat(results.get(0).get("status").asText()).isEqualTo("FAIL");
        assertThat(results.get(0).get("detail").asText()).isEqualTo("the value is empty");
        assertThat(results.get(1).get("status").asText()).isEqualTo("WARN");
        assertThat(results.get(1).get("detail").asText())
                .isEqualTo("property 'pool.max' is a number, not a string; exec passes its JSON text");
    }

    @Test
    void execInjectsNestedAndEscapedPropertiesFetchingEachSecretOnce() throws Exception {
        manifest("""
                  - env: POOL_MAX
                    ref: akv:api#pool.max
                  - env: POOL_NAME
                    ref: akv:api#pool.name
                  - env: TLS_CRT
                    ref: akv:api#tls\\.crt
                """);

        CliRun run = run("exec", "--", "sh", "-c", "echo \"max=$POOL_MAX name=$POOL_NAME crt=$TLS_CRT\"");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).isEqualTo("max=20 name=**** crt=****\n");
        assertThat(fake.valueReads()).isEqualTo(1);
        assertNoValue(run.all());
    }
}
