package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's demo, in-process, with the real SOPS store and the installed store types. */
class SopsDemoCommandTest {

    static final Path DEMO = Path.of("..", "examples", "demo").toAbsolutePath().normalize();
    static final List<String> VALUES = List.of("demo-api-token-5f3a9c1e", "demo-db-password-Kq7!x2");

    @TempDir
    Path dir;

    CliRun run(Path workDir, String... args) {
        return CliRun.run(workDir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()),
                Clock.systemUTC(), StoreTypes.installed(), "", args);
    }

    @Test
    void demoExecInjectsAndMasks() {
        CliRun run = run(DEMO, "exec", "--", "sh", "-c",
                "echo \"token=$API_TOKEN\"; echo \"db=$DB_PASSWORD\"; echo \"len=${#API_TOKEN}\"");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).isEqualTo("token=****\ndb=****\nlen=23\n");
        VALUES.forEach(v -> assertThat(run.all()).doesNotContain(v));
    }

    @Test
    void demoCheckPassesWithoutDecrypting() {
        CliRun run = run(DEMO, "check");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("4 checked: 4 ok, 0 warnings, 0 failed");
    }

    @Test
    void demoDevEnvironmentGivesItsOwnValuesUnderTheSameNames() {
        CliRun run = run(DEMO, "exec", "--env", "dev", "--", "sh", "-c",
                "echo \"token=$API_TOKEN\"; echo \"len=${#API_TOKEN}\"; [ \"$API_TOKEN\" = 'dev-api-token-2b8d41f7' ] "
                        + "&& echo match");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).isEqualTo("token=****\nlen=22\nmatch\n");
        assertThat(run.all()).doesNotContain("dev-api-token-2b8d41f7").doesNotContain("dev-db-password-Zr4!m9");

        CliRun check = run(DEMO, "check", "--env", "dev");
        assertThat(check.exitCode).as(check.toString()).isZero();
        assertThat(check.out).startsWith("environment: dev (kms-secrets.yaml:21)\n"
                + "  store local: sops [file=secrets.dev.enc.yaml] (from the environment, line 25)\n");
    }

    @Test
    void wrongAgeKeyIsAnInputErrorNamingTheRecipients() throws Exception {
        Path key = dir.resolve("other-key.txt");
        Files.writeString(key, "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n");
        Path manifest = copyDemo("ageKeyFile: demo-age-key.txt", "ageKeyFile: " + key);
        CliRun run = run(dir, "exec", "-m", manifest.toString(), "--", "true");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.INPUT);
        assertThat(run.err.lines()).hasSize(1);
        assertThat(run.err).contains("age1");
        VALUES.forEach(v -> assertThat(run.all()).doesNotContain(v));
    }

    @Test
    void missingAgeKeyIsAnInputError() throws Exception {
        Path manifest = copyDemo("ageKeyFile: demo-age-key.txt", "# no age key");
        CliRun run = run(dir, "exec", "-m", manifest.toString(), "--", "true");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.INPUT);
        assertThat(run.err.lines()).hasSize(1);
    }

    @Test
    void tamperedFileIsRefusedAndNothingRuns() throws Exception {
        Path manifest = copyDemo("file: secrets.enc.yaml", "file: tampered.enc.yaml");
        String text = Files.readString(DEMO.resolve("secrets.enc.yaml"), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("tampered.enc.yaml"),
                text.replace("environment_unencrypted: demo", "environment_unencrypted: prod"));
        Path marker = dir.resolve("ran");
        CliRun run = run(dir, "exec", "-m", manifest.toString(), "--", "touch", marker.toString());
        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.INPUT);
        assertThat(marker).doesNotExist();
        assertThat(run.err.lines()).hasSize(1);
        assertThat(run.err).containsIgnoringCase("mac");
        VALUES.forEach(v -> assertThat(run.all()).doesNotContain(v));
    }

    private Path copyDemo(String from, String to) throws Exception {
        Files.copy(DEMO.resolve("secrets.enc.yaml"), dir.resolve("secrets.enc.yaml"));
        Files.copy(DEMO.resolve("demo-age-key.txt"), dir.resolve("demo-age-key.txt"));
        String manifest = Files.readString(DEMO.resolve("kms-secrets.yaml"));
        assertThat(manifest).contains(from);
        Path copy = dir.resolve("kms-secrets.yaml");
        Files.writeString(copy, manifest.replace(from, to));
        return copy;
    }
}
