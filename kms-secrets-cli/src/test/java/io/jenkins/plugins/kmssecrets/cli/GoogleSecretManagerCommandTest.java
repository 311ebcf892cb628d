package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} and {@code exec} against a {@code google-secret-manager} store: the real HTTP/JSON client, a
 * service-account key file whose token endpoint is the loopback fake, and the fake Secret Manager.
 */
class GoogleSecretManagerCommandTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String PASSWORD = "gsm-db-pw-3c81aa";
    static final String TOKEN_FIELD = "gsm-json-tok-77d0";

    @TempDir
    Path dir;

    FakeSecretManager fake;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeSecretManager.start("ci-project");
        fake.requireBearer("fake-access-token");
        fake.secret("db-password", Map.of()).addVersion("db-password", PASSWORD);
        fake.secret("api", Map.of()).addVersion("api", "{\"token\":\"" + TOKEN_FIELD + "\"}");
        Files.writeString(dir.resolve("sa.json"), serviceAccountKey(fake.tokenUri()));
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: gsm
                    type: google-secret-manager
                    project: ci-project
                    credentialsFile: sa.json
                    endpoint: %s
                    retryDelay: 1ms
                secrets:
                  - env: DB_PASSWORD
                    ref: gsm:db-password
                  - env: API_TOKEN
                    ref: gsm:api#token
                """.formatted(fake.endpoint()));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    CliRun run(String... args) {
        return CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()),
                Clock.fixed(NOW, ZoneOffset.UTC), StoreTypes.of(new GoogleSecretManagerStoreProvider()), "", args);
    }

    @Test
    void checkPassesAndNeverAccessesAVersion() {
        CliRun run = run("check", "--format", "junit");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("DB_PASSWORD").contains("API_TOKEN");
        assertThat(fake.calls(FakeSecretManager.ACCESS_SECRET_VERSION)).isZero();
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(TOKEN_FIELD);
    }

    @Test
    void checkFailsOnADisabledVersion() {
        fake.disable("db-password", 1);

        CliRun run = run("check");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(run.out).contains("db-password").contains("disabled");
    }

    @Test
    void execInjectsValuesFromSecretManagerAndMasksThem() {
        CliRun run = run("exec", "--", "sh", "-c", "echo \"pw=$DB_PASSWORD tok=$API_TOKEN\"");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).contains("pw=****").contains("tok=****");
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(TOKEN_FIELD);
        assertThat(fake.calls(FakeSecretManager.ACCESS_SECRET_VERSION)).isEqualTo(2);
    }

    static String serviceAccountKey(String tokenUri) {
        return FakeSecretManager.serviceAccountKey(tokenUri);
    }

    /** A 64-character line from the middle of the key's base64 body: printed, it would leak the key. */
    static String keyLine(String keyJson) throws Exception {
        String pem = new com.fasterxml.jackson.databind.ObjectMapper().readTree(keyJson).path("private_key").asText();
        return pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("\n", "").substring(100, 164);
    }

    @Test
    void checkShowsTheVersionsCreateTime() {
        CliRun run = run("check", "--format", "json");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("\"updated\" : \"2026-01-01T00:");
    }

    @Test
    void listShowsASecretWhoseVersionIsDestroyedAsNotUsable() {
        fake.secret("gone", Map.of()).addVersion("gone", "old-value-1234");
        fake.destroy("gone", 1);

        CliRun run = run("list", "--format", "json", "gsm");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).containsPattern("\"name\" : \"gone\",\\s+\"version\" : \"1\",\\s+\"enabled\" : false,"
                + "\\s+\"state\" : \"destroyed\",\\s+\"usable\" : false");
        assertThat(run.out).containsPattern("\"name\" : \"api\",\\s+\"version\" : \"1\",\\s+\"enabled\" : true,"
                + "\\s+\"state\" : \"enabled\",\\s+\"usable\" : true");
    }

    @Test
    void rejectedKeyExitsAsASignInFailureNamingTheTokenEndpoint() {
        fake.rejectSignIn("invalid_grant", "Invalid JWT Signature.");

        CliRun run = run("exec", "--", "true");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.STORE);
        assertThat(run.err).contains("the token endpoint " + fake.tokenUri() + " rejected the sign-in of "
                + "ci@ci-project.iam.gserviceaccount.com: HTTP 400, invalid_grant (Invalid JWT Signature.)");
        assertThat(run.err).contains("'db-password'").contains("'api");
        assertThat(run.err).doesNotContain("UNKNOWN").doesNotContain("after retries");
        assertThat(fake.calls(FakeSecretManager.TOKEN)).isEqualTo(1);
        assertThat(fake.apiCalls()).isZero();
    }

    @Test
    void tokenTheApiRefusesExitsAsASignInFailureAfterOneReauthentication() {
        fake.requireBearer("a-token-the-fake-never-issues");

        CliRun run = run("exec", "--", "true");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.STORE);
        assertThat(run.err).contains("UNAUTHENTICATED (HTTP 401)").contains("after one re-authentication");
        assertThat(fake.calls(FakeSecretManager.TOKEN)).isEqualTo(2);
        assertThat(fake.calls(FakeSecretManager.ACCESS_SECRET_VERSION)).isBetween(2, 4);
    }

    @Test
    void execWithholdsGoogleCredentialsFromTheCommandByDefault() throws Exception {
        String keyJson = serviceAccountKey(fake.tokenUri());
        useKeyFromEnvironment();

        CliRun run = runWith(Map.of("GSM_KEY_JSON", keyJson, "GOOGLE_APPLICATION_CREDENTIALS",
                dir.resolve("sa.json").toString()), "exec", "--", "sh", "-c",
                "echo \"[${GSM_KEY_JSON-unset}] [${GOOGLE_APPLICATION_CREDENTIALS-unset}] [${DB_PASSWORD:+set}]\"");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).isEqualTo("[unset] [unset] [set]\n");
        assertThat(run.err).contains("not passed to the command (store credentials; --keep-store-credentials passes "
                + "them): GOOGLE_APPLICATION_CREDENTIALS, GSM_KEY_JSON");
        assertThat(run.all()).doesNotContain(keyLine(keyJson));
    }

    @Test
    void keptGoogleCredentialsAreMaskedWholeAndByTheirPrivateKey() throws Exception {
        String keyJson = serviceAccountKey(fake.tokenUri());
        String fileJson = Files.readString(dir.resolve("sa.json"));
        useKeyFromEnvironment();

        CliRun run = runWith(Map.of("GSM_KEY_JSON", keyJson, "GOOGLE_APPLICATION_CREDENTIALS",
                dir.resolve("sa.json").toString()), "exec", "--keep-store-credentials", "--", "sh", "-c",
                "printf '%s\\n' \"$GSM_KEY_JSON\"; cat \"$GOOGLE_APPLICATION_CREDENTIALS\"; echo;"
                        + " printf '%s' \"$GSM_KEY_JSON\" | sed -n 's/.*\"private_key\":\"\\([^\"]*\\)\".*/key=\\1/p';"
                        + " sed -n 's/.*\"private_key\":\"\\([^\"]*\\)\".*/file-key=\\1/p' \"$GOOGLE_APPLICATION_CREDENTIALS\"");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).contains("key=****").contains("file-key=****");
        assertThat(run.all()).doesNotContain(keyLine(keyJson)).doesNotContain(keyLine(fileJson))
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void maskHidesTheKeyFileNamedByGoogleApplicationCredentials() throws Exception {
        String fileJson = Files.readString(dir.resolve("sa.json"));

        CliRun run = CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString(),
                "GOOGLE_APPLICATION_CREDENTIALS", dir.resolve("sa.json").toString()), Clock.fixed(NOW, ZoneOffset.UTC),
                StoreTypes.of(new GoogleSecretManagerStoreProvider()), fileJson + "\n", "mask");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).isEqualTo("****\n");
    }

    /** The manifest signs in with the key JSON in GSM_KEY_JSON instead of the key file. */
    private void useKeyFromEnvironment() throws Exception {
        Path manifest = dir.resolve("kms-secrets.yaml");
        Files.writeString(manifest, Files.readString(manifest).replace("credentialsFile: sa.json",
                "credentialsJsonEnv: GSM_KEY_JSON"));
    }

    private CliRun runWith(Map<String, String> extra, String... args) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME",
                dir.toString()));
        env.putAll(extra);
        return CliRun.run(dir, env, Clock.fixed(NOW, ZoneOffset.UTC),
                StoreTypes.of(new GoogleSecretManagerStoreProvider()), "", args);
    }
}
