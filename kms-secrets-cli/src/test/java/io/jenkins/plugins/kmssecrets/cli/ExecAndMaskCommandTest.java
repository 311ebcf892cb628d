package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import io.jenkins.plugins.kmssecrets.testing.MemoryStoreProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecAndMaskCommandTest {

    static final String TOKEN = "tok-3f9a7c2e-secret";
    static final String PASSWORD = "p@ss w0rd'with\"quotes";

    @TempDir
    Path dir;

    final Map<String, InMemorySecretStore> stores = new HashMap<>();
    final InMemorySecretStore akv = new InMemorySecretStore("akv");

    @BeforeEach
    void setUp() throws Exception {
        stores.put("akv", akv);
        akv.put("api-token", TOKEN).put("db-password", PASSWORD).put("pin", "12");
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv
                    type: memory
                secrets:
                  - env: API_TOKEN
                    ref: akv:api-token
                  - env: DB_PASSWORD
                    ref: akv:db-password
                """);
    }

    String manifest(String env, String ref) throws Exception {
        Path file = dir.resolve(env + ".yaml");
        Files.writeString(file, "stores:\n  - id: akv\n    type: memory\nsecrets:\n  - env: " + env + "\n    ref: "
                + ref + "\n");
        return file.toString();
    }

    CliRun run(String stdin, String... args) {
        return CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()), Clock.systemUTC(),
                StoreTypes.of(new MemoryStoreProvider(stores)), stdin, args);
    }

    @Test
    void execInjectsSecretsAndMasksEveryStream() {
        CliRun run = run("", "exec", "--", "sh", "-c",
                "echo \"token=$API_TOKEN\"; printf '%s' \"$API_TOKEN\" | base64; echo \"pw=$DB_PASSWORD\" >&2; "
                        + "echo \"home=$HOME\"; exit 7");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(7);
        assertThat(run.stdout).contains("token=****").contains("home=" + dir);
        assertThat(run.stderr).contains("pw=****");
        assertThat(run.err).contains("kms-secrets: injected API_TOKEN, DB_PASSWORD");
        assertThat(run.all()).doesNotContain(TOKEN).doesNotContain(PASSWORD)
                .doesNotContain(Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void execOnlyInjectsTheSelectedVariables() {
        CliRun run = run("", "exec", "--only", "API_TOKEN", "--", "sh", "-c", "echo \"[${DB_PASSWORD:-unset}]\"");
        assertThat(run.stdout).contains("[unset]");
        assertThat(akv.valueReads()).isEqualTo(1);
    }

    @Test
    void execDoesNotRunTheCommandWhenASecretCannotBeFetched() {
        akv.failWith(name -> new AccessDeniedException("akv", name, "needs secrets/get"));
        Path marker = dir.resolve("ran");
        CliRun run = run("", "exec", "--", "touch", marker.toString());
        assertThat(run.exitCode).isEqualTo(ExitCode.STORE);
        assertThat(marker).doesNotExist();
        assertThat(run.err).isEqualTo("error: store 'akv', secrets 'api-token' (API_TOKEN), 'db-password' "
                + "(DB_PASSWORD): needs secrets/get\n");
    }

    @Test
    void execReportsACommandThatCannotStart() {
        CliRun run = run("", "exec", "--", "/no/such/command");
        assertThat(run.exitCode).isEqualTo(ExecCommand.CANNOT_START);
        assertThat(run.err).contains("error: cannot run '/no/such/command'");
    }

    @Test
    void execWarnsByNameAboutValuesTooShortToMask() throws Exception {
        Files.writeString(dir.resolve("short.yaml"), "stores:\n  - id: akv\n    type: memory\nsecrets:\n"
                + "  - env: PIN\n    ref: akv:pin\n");
        CliRun run = run("", "exec", "-m", "short.yaml", "--", "true");
        assertThat(run.exitCode).isZero();
        assertThat(run.err).contains("warning: the value of PIN is too short to be masked in output");
    }

    @Test
    void execRefusesAValueNoEnvironmentVariableCanCarry() throws Exception {
        akv.put("nul", "before\0after-secret-part");
        Path marker = dir.resolve("ran");
        CliRun run = run("", "exec", "-m", manifest("NUL_VALUE", "akv:nul"), "--", "touch", marker.toString());
        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.INPUT);
        assertThat(run.err).isEqualTo("error: the value of NUL_VALUE contains a NUL character and cannot be passed "
                + "as an environment variable\n");
        assertThat(run.all()).doesNotContain("after-secret-part");
        assertThat(marker).doesNotExist();
    }

    @Test
    void execMasksTheStoresOwnCredentialVariables() throws Exception {
        Files.writeString(dir.resolve("creds.yaml"), "stores:\n  - id: akv\n    type: memory\n"
                + "    tokenEnv: MY_STORE_TOKEN\nsecrets:\n  - env: API_TOKEN\n    ref: akv:api-token\n");
        Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "SOPS_AGE_KEY", "AGE-SECRET-KEY-1DEMOVALUE",
                "MY_STORE_TOKEN", "hvs.store-login-token");
        CliRun run = CliRun.run(dir, env, Clock.systemUTC(), StoreTypes.of(new MemoryStoreProvider(stores)), "",
                "exec", "-m", "creds.yaml", "--keep-store-credentials", "--", "sh", "-c",
                "echo \"[$SOPS_AGE_KEY] [$MY_STORE_TOKEN]\"");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).isEqualTo("[****] [****]\n");
    }

    @Test
    void execDoesNotPassTheManifestStoresCredentialVariablesUnlessAsked() throws Exception {
        Files.writeString(dir.resolve("creds.yaml"), "stores:\n  - id: akv\n    type: memory\n"
                + "    tokenEnv: MY_STORE_TOKEN\nsecrets:\n  - env: API_TOKEN\n    ref: akv:api-token\n");
        Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "SOPS_AGE_KEY", "AGE-SECRET-KEY-1DEMOVALUE",
                "MY_STORE_TOKEN", "hvs.store-login-token");
        CliRun run = CliRun.run(dir, env, Clock.systemUTC(), StoreTypes.of(new MemoryStoreProvider(stores)), "",
                "exec", "-m", "creds.yaml", "--", "sh", "-c", "echo \"[$SOPS_AGE_KEY] [$MY_STORE_TOKEN]\"");
        assertThat(run.exitCode).as(run.toString()).isZero();
        // MY_STORE_TOKEN is this manifest's store credential; SOPS_AGE_KEY belongs to no store here but is masked.
        assertThat(run.stdout).isEqualTo("[****] []\n");
        assertThat(run.err).contains("not passed to the command").contains("MY_STORE_TOKEN")
                .doesNotContain("hvs.store-login-token");
    }

    @Test
    void execReturnsWhenABackgroundProcessKeepsTheOutputOpen() {
        CliRun run = run("", "exec", "--output-grace-ms", "200", "--", "sh", "-c", "sleep 20 & echo started; exit 4");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(4);
        assertThat(run.stdout).isEqualTo("started\n");
        // Whether the notice appears is a race inside the JDK: when the child exits while no pump thread is blocked
        // in read(), Process drains and closes the pipe itself, so the background process no longer holds it. Either
        // way exec returns with the child's exit code instead of waiting 20 s for the background process.
        assertThat(run.err.replace("kms-secrets: injected API_TOKEN, DB_PASSWORD\n", ""))
                .isIn("", "kms-secrets: 'sh' exited with 4 but a process it started still holds its output open; "
                        + "that output is not shown\n");
    }

    @Test
    void maskFiltersStandardInput() {
        String input = "line 1 " + TOKEN + "\nprogress\r50%\rpassword: " + PASSWORD + " done";
        CliRun run = run(input, "mask");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).isEqualTo("line 1 ****\nprogress\r50%\rpassword: **** done");
    }

    @Test
    void maskRequiresKnownVariablesInOnly() {
        CliRun run = run("", "mask", "--only", "NOPE");
        assertThat(run.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(run.err).contains("--only names variables the manifest does not declare: NOPE");
    }
}
