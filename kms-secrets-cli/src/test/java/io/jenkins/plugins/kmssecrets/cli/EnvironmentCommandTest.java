package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.sops.SopsStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import io.jenkins.plugins.kmssecrets.testing.MemoryStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --env} and {@code KMS_SECRETS_ENV}: the base store {@code akv-prod} (in memory, standing for a vault) is a
 * SOPS file in {@code dev}; {@code vault-ci} is not available there.
 */
class EnvironmentCommandTest {

    static final Path DEMO = Path.of("..", "examples", "demo").toAbsolutePath().normalize();
    static final String PROD_TOKEN = "prod-token-8c1e55b2a9";
    static final String DEV_TOKEN = "demo-api-token-5f3a9c1e";
    static final String DEV_PASSWORD = "demo-db-password-Kq7!x2";
    static final String DEPLOY_KEY = "deploy-key-7d21f0c3b4";

    @TempDir
    Path dir;

    final Map<String, InMemorySecretStore> stores = new HashMap<>();
    final InMemorySecretStore akv = new InMemorySecretStore("akv-prod");

    @BeforeEach
    void setUp() throws Exception {
        akv.put("api.token", PROD_TOKEN).put("db.password", "prod-password-1e9f77aa");
        stores.put("akv-prod", akv);
        stores.put("vault-ci", new InMemorySecretStore("vault-ci").put("deploy/key", DEPLOY_KEY));
        Files.copy(DEMO.resolve("secrets.enc.yaml"), dir.resolve("dev.enc.yaml"));
        Files.copy(DEMO.resolve("demo-age-key.txt"), dir.resolve("dev-age-key.txt"));
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv-prod
                    type: memory
                    vaultUrl: https://prod.vault.azure.net
                  - id: vault-ci
                    type: memory
                secrets:
                  - env: API_TOKEN
                    ref: akv-prod:api.token
                  - env: DB_PASSWORD
                    ref: akv-prod:db.password
                  - env: DEPLOY_KEY
                    ref: vault-ci:deploy/key
                environments:
                  dev:
                    stores:
                      akv-prod:
                        type: sops
                        file: dev.enc.yaml
                        ageKeyFile: dev-age-key.txt
                      vault-ci: none
                  staging:
                    stores:
                      akv-prod:
                        type: memory
                        vaultUrl: https://staging.vault.azure.net
                """);
    }

    CliRun run(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()));
        env.putAll(extraEnv);
        return CliRun.run(dir, env, Clock.systemUTC(),
                StoreTypes.of(new MemoryStoreProvider(stores), new SopsStoreProvider()), "", args);
    }

    CliRun run(String... args) {
        return run(Map.of(), args);
    }

    private void assertNoValue(CliRun run) {
        for (String value : List.of(PROD_TOKEN, DEV_TOKEN, DEV_PASSWORD, DEPLOY_KEY)) {
            assertThat(run.all()).as(run.toString()).doesNotContain(value);
        }
    }

    @Test
    void envSelectsTheEnvironmentsStoreUnderTheSameReference() {
        CliRun run = run("exec", "--env", "dev", "--only", "API_TOKEN,DB_PASSWORD", "--", "sh", "-c",
                "[ \"$API_TOKEN\" = '" + DEV_TOKEN + "' ] && [ \"$DB_PASSWORD\" = '" + DEV_PASSWORD + "' ] "
                        + "&& echo dev-values");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).isEqualTo("dev-values\n");
        assertThat(akv.valueReads()).isZero();
        assertNoValue(run);
    }

    @Test
    void kmsSecretsEnvSelectsAndEnvOptionWins() {
        CliRun fromVariable = run(Map.of("KMS_SECRETS_ENV", "dev"), "exec", "--only", "API_TOKEN", "--", "sh", "-c",
                "[ \"$API_TOKEN\" = '" + DEV_TOKEN + "' ] && echo dev");
        assertThat(fromVariable.stdout).as(fromVariable.toString()).isEqualTo("dev\n");

        CliRun optionWins = run(Map.of("KMS_SECRETS_ENV", "dev"), "--env", "staging", "exec", "--only", "API_TOKEN",
                "--", "sh", "-c", "[ \"$API_TOKEN\" = '" + PROD_TOKEN + "' ] && echo memory");
        assertThat(optionWins.stdout).as(optionWins.toString()).isEqualTo("memory\n");
        assertNoValue(fromVariable);
        assertNoValue(optionWins);
    }

    @Test
    void withoutAnEnvironmentTheBaseStoresAreUsed() {
        CliRun run = run("exec", "--", "sh", "-c", "[ \"$API_TOKEN\" = '" + PROD_TOKEN + "' ] && echo base");
        assertThat(run.stdout).as(run.toString()).isEqualTo("base\n");
        assertThat(run("check").out).doesNotContain("environment");
    }

    @Test
    void unknownEnvironmentIsAnInputErrorNamingTheKnownOnes() {
        for (String[] args : List.of(new String[] {"exec", "--env", "qa", "--", "true"},
                new String[] {"check", "--env", "qa"}, new String[] {"list", "--env", "qa", "akv-prod"},
                new String[] {"mask", "--env", "qa"}, new String[] {"eso", "declare", "--env", "qa"})) {
            CliRun run = run(args);
            assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.INPUT);
            assertThat(run.err).contains("error: unknown environment 'qa'; environments in kms-secrets.yaml: dev, "
                    + "staging");
        }
        CliRun fromVariable = run(Map.of("KMS_SECRETS_ENV", "qa"), "check");
        assertThat(fromVariable.exitCode).isEqualTo(ExitCode.INPUT);
    }

    @Test
    void aSecretTheEnvironmentCannotGiveIsAnErrorNamingEnvironmentVariableAndStore() {
        CliRun run = run("exec", "--env", "dev", "--", "sh", "-c", "echo started");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.INPUT);
        assertThat(run.stdout).isEmpty();
        assertThat(run.err).contains("error: kms-secrets.yaml:12:5: environment 'dev' cannot give DEPLOY_KEY: store "
                + "'vault-ci' is set to none in this environment (line 21)");
        assertThat(stores.get("vault-ci").valueReads()).isZero();

        CliRun check = run("check", "--env", "dev");
        assertThat(check.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(check.err).contains("environment 'dev' cannot give DEPLOY_KEY");
        CliRun checkRef = run("check", "--env", "dev", "vault-ci:deploy/key");
        assertThat(checkRef.err).contains("error: environment 'dev' cannot give vault-ci:deploy/key: store 'vault-ci'"
                + " is set to none in this environment (line 21)");
        CliRun list = run("list", "--env", "dev", "vault-ci");
        assertThat(list.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(list.err).contains("store 'vault-ci' is set to none in environment 'dev' (kms-secrets.yaml:21)");
        assertNoValue(run);
    }

    @Test
    void checkAndListNameTheEnvironmentAndTheStoreInEffect() {
        CliRun check = run("check", "--env", "dev", "akv-prod:api.token");
        assertThat(check.exitCode).as(check.toString()).isZero();
        assertThat(check.out).startsWith("environment: dev (kms-secrets.yaml:15)\n"
                + "  store akv-prod: sops [file=dev.enc.yaml] (from the environment, line 18)\n"
                + "SECRET");

        CliRun list = run("--env", "staging", "list", "akv-prod");
        assertThat(list.exitCode).as(list.toString()).isZero();
        assertThat(list.out).startsWith("environment: staging (kms-secrets.yaml:22)\n"
                + "  store akv-prod: memory [vaultUrl=https://staging.vault.azure.net] (from the environment, "
                + "line 25)\nNAME");

        CliRun json = run("list", "--env", "dev", "--format", "json", "akv-prod");
        assertThat(json.out).contains("\"environment\" : \"dev\"").contains("\"name\" : \"api.token\"");
        assertNoValue(check);
        assertNoValue(list);
        assertNoValue(json);
    }

    @Test
    void maskUsesTheEnvironmentsValues() {
        CliRun run = CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()),
                Clock.systemUTC(), StoreTypes.of(new MemoryStoreProvider(stores), new SopsStoreProvider()),
                "dev token " + DEV_TOKEN + "\n", "mask", "--env", "dev", "--only", "API_TOKEN");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).isEqualTo("dev token ****\n");
    }
}
