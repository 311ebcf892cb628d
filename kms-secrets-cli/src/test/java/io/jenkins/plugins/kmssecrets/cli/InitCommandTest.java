package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path project;

    CliRun run(String... args) {
        return CliRun.run(project, Map.of("PATH", System.getenv("PATH"), "HOME", home.toString()), Clock.systemUTC(),
                StoreTypes.installed(), "", args);
    }

    Path key() {
        return home.resolve(".config/kms-secrets/age.key");
    }

    @Test
    void writesAStarterProjectWhoseDevEnvironmentWorksOffline() throws Exception {
        CliRun init = run("init");

        assertThat(init.exitCode).as(init.toString()).isZero();
        assertThat(init.out).contains("created the age key ~/.config/kms-secrets/age.key", "wrote kms-secrets.yaml",
                "wrote secrets/dev.enc.yaml", "added to .gitignore");
        assertThat(Files.readString(project.resolve("kms-secrets.yaml"))).startsWith("# kms-secrets.yaml")
                .contains("environments:", "type: sops", "ageKeyFile: ~/.config/kms-secrets/age.key");

        CliRun check = run("check", "--env", "dev");
        assertThat(check.exitCode).as(check.toString()).isZero();
        assertThat(check.out).contains("store app: sops [file=secrets/dev.enc.yaml] (from the environment",
                "2 checked: 2 ok");

        CliRun exec = run("exec", "--env", "dev", "--", "sh", "-c",
                "printf '%s\\n%s' \"$API_TOKEN\" \"$DB_PASSWORD\" > values.txt; echo \"token: $API_TOKEN\"");
        assertThat(exec.exitCode).as(exec.toString()).isZero();
        assertThat(exec.stdout).isEqualTo("token: ****\n");
        List<String> values = Files.readAllLines(project.resolve("values.txt"));
        assertThat(values).hasSize(2).allSatisfy(v -> assertThat(v).matches("dev-[A-Za-z0-9]{24}"));
        assertThat(values.get(0)).isNotEqualTo(values.get(1));
        for (String value : values) {
            assertThat(init.all() + check.all() + exec.all()).doesNotContain(value);
            assertThat(Files.readString(project.resolve("secrets/dev.enc.yaml"))).doesNotContain(value);
        }
    }

    @Test
    void theAgeKeyIsOwnerOnlyAndNeverInTheProject() throws Exception {
        run("init");

        assertThat(Files.readString(key())).contains("AGE-SECRET-KEY-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key().getParent())))
                .isEqualTo("rwx------");
        try (Stream<Path> files = Files.walk(project)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain("AGE-SECRET-KEY");
            }
        }
        try (Stream<Path> files = Files.list(key().getParent())) {
            assertThat(files).containsExactly(key());
        }
    }

    @Test
    void refusesToOverwriteWithoutForceNamingTheFile() throws Exception {
        Files.writeString(project.resolve("kms-secrets.yaml"), "mine\n");

        CliRun run = run("init");

        assertThat(run.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(run.err).isEqualTo("error: kms-secrets.yaml exists; run with --force to overwrite it\n");
        assertThat(Files.readString(project.resolve("kms-secrets.yaml"))).isEqualTo("mine\n");
        assertThat(project.resolve("secrets")).doesNotExist();
        assertThat(key()).doesNotExist();

        Files.delete(project.resolve("kms-secrets.yaml"));
        Files.createDirectories(project.resolve("secrets"));
        Files.writeString(project.resolve("secrets/dev.enc.yaml"), "mine\n");
        assertThat(run("init").err).contains("secrets/dev.enc.yaml exists; run with --force");
    }

    @Test
    void forceOverwritesProjectFilesButReusesTheKey() throws Exception {
        run("init");
        String firstKey = Files.readString(key());
        String firstFile = Files.readString(project.resolve("secrets/dev.enc.yaml"));

        CliRun again = run("init", "--force");

        assertThat(again.exitCode).as(again.toString()).isZero();
        assertThat(again.out).contains("using the existing age key").contains(".gitignore already has");
        assertThat(Files.readString(key())).isEqualTo(firstKey);
        assertThat(Files.readString(project.resolve("secrets/dev.enc.yaml"))).isNotEqualTo(firstFile);
        assertThat(run("check", "--env", "dev").exitCode).isZero();
    }

    @Test
    void gitignoreLinesAreAppendedOnce() throws Exception {
        Files.writeString(project.resolve(".gitignore"), "target/\n.env");

        run("init");
        run("init", "--force");

        String gitignore = Files.readString(project.resolve(".gitignore"), StandardCharsets.UTF_8);
        assertThat(gitignore).startsWith("target/\n.env\n# kms-secrets:").contains("age.key\n", "*.dec.yaml\n");
        assertThat(gitignore.lines().filter(".env"::equals)).hasSize(1);
        assertThat(gitignore.lines().filter(l -> l.startsWith("# kms-secrets"))).hasSize(1);
    }

    @Test
    void aKeyWithoutItsPublicKeyLineIsAnInputError() throws IOException {
        Files.createDirectories(key().getParent());
        Files.writeString(key(), "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n");

        CliRun run = run("init");

        assertThat(run.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(run.err).contains("has no '# public key: age1...' line").doesNotContain("AGE-SECRET-KEY");
        assertThat(project.resolve("kms-secrets.yaml")).doesNotExist();
    }
}
