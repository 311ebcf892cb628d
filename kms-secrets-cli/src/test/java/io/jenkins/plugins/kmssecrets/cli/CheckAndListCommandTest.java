package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import io.jenkins.plugins.kmssecrets.testing.MemoryStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckAndListCommandTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String VALUE = "never-print-this-value";

    @TempDir
    Path dir;

    final Map<String, InMemorySecretStore> stores = new HashMap<>();
    final InMemorySecretStore akv = new InMemorySecretStore("akv");

    @BeforeEach
    void setUp() throws Exception {
        stores.put("akv", akv);
        akv.put("db-password", VALUE)
                .put(new SecretMetadata("akv", "tls-key", "v2", true, null, NOW.minus(Duration.ofDays(3)), null,
                        NOW.plus(Duration.ofDays(5)), Map.of("jenkins-credentials-type", "string"), null), VALUE);
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv
                    type: memory
                secrets:
                  - env: DB_PASSWORD
                    ref: akv:db-password
                  - env: TLS_KEY
                    ref: akv:tls-key
                """);
    }

    CliRun run(String... args) {
        return CliRun.run(dir, Map.of(), Clock.fixed(NOW, ZoneOffset.UTC),
                StoreTypes.of(new MemoryStoreProvider(stores)), "", args);
    }

    @Test
    void checkPrintsATableAndPassesWithWarnings() {
        CliRun run = run("check");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("DB_PASSWORD").contains("TLS_KEY").contains("WARN")
                .contains("2 checked: 1 ok, 1 warning, 0 failed");
        assertThat(run.all()).doesNotContain(VALUE);
        assertThat(akv.valueReads()).isZero();
    }

    @Test
    void checkFailsOnWarningWhenAsked() {
        assertThat(run("check", "--fail-on-warning").exitCode).isEqualTo(ExitCode.FAILED);
    }

    @Test
    void checkFailsOnMissingSecret() {
        CliRun run = run("check", "akv:db-password", "akv:gone");
        assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
        assertThat(run.out).contains("gone").contains("not found");
    }

    @Test
    void checkWritesJunitAtomicallyToAFile() throws Exception {
        CliRun run = run("check", "--format", "junit", "--output", "reports/check.xml");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).isEqualTo("2 checked: 1 ok, 1 warning, 0 failed (report written to reports/check.xml)\n"
                + "read permission not verified for 2 secrets: the store cannot tell without reading the value; run "
                + "check --read to verify\n");
        String xml = Files.readString(dir.resolve("reports/check.xml"));
        assertThat(xml).contains("<testsuite name=\"kms-secrets check\" tests=\"2\" failures=\"0\"");
        try (var files = Files.list(dir.resolve("reports"))) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void checkJsonIsMachineReadable() {
        CliRun run = run("check", "--format", "json");
        assertThat(run.out).contains("\"total\" : 2").contains("\"status\" : \"WARN\"");
    }

    @Test
    void checkReportsAnOutageAsAFailedEntry() {
        akv.failWith(name -> new StoreUnavailableException("akv", name, "HTTP 503"));
        CliRun run = run("check");
        assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
        assertThat(run.out).contains("store unavailable");
    }

    @Test
    void listShowsMetadataNeverValues() {
        CliRun run = run("list", "akv");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out.lines()).first().asString().startsWith("NAME");
        assertThat(run.out).contains("db-password").contains("tls-key")
                .contains("jenkins-credentials-type=string").contains("2 secrets");
        assertThat(run.all()).doesNotContain(VALUE);
        assertThat(akv.valueReads()).isZero();
    }

    @Test
    void listJson() {
        CliRun run = run("list", "--format", "json", "akv");
        assertThat(run.out).contains("\"name\" : \"tls-key\"").contains("\"version\" : \"v2\"");
    }

    @Test
    void unknownStoreIsAnInputError() {
        CliRun run = run("list", "nope");
        assertThat(run.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(run.err).isEqualTo("error: store 'nope': unknown store id; known stores: akv\n");
    }

    @Test
    void malformedReferenceIsAnInputError() {
        CliRun run = run("check", "no-colon");
        assertThat(run.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(run.err).startsWith("error: malformed reference 'no-colon'");
    }

    @Test
    void manifestProblemsArePrintedOnePerLine() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "stores:\n  - id: akv\n    type: nope\nsecrets:\n"
                + "  - env: A\n    ref: zz:b\n");
        CliRun run = run("check", "-m", "bad.yaml");
        assertThat(run.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(run.err.lines()).containsExactly(
                "error: bad.yaml:3:11: unknown store type 'nope'; known types: memory (at $.stores[0].type)",
                "error: bad.yaml:6:10: unknown store id 'zz'; declared stores: akv (at $.secrets[0].ref)");
    }

    @Test
    void missingManifestIsAnInputError() {
        CliRun run = run("check", "-m", "missing.yaml");
        assertThat(run.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(run.err).isEqualTo("error: missing.yaml: no such file\n");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = run("check", "--bogus");
        assertThat(run.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(run.err).contains("Unknown option: '--bogus'").contains("kms-secrets check --help");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String command : new String[] {"exec", "mask", "check", "list"}) {
            CliRun run = run(command, "--help");
            assertThat(run.exitCode).isZero();
            assertThat(run.out).as(command).contains("Usage: kms-secrets " + command).contains("Examples:");
        }
        assertThat(run("--help").out).contains("Exit codes:");
    }
}
