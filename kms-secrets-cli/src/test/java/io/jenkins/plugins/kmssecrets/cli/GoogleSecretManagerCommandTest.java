package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
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

    static String serviceAccountKey(String tokenUri) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        return "{\"type\":\"service_account\",\"project_id\":\"ci-project\",\"private_key_id\":\"k1\","
                + "\"private_key\":\"" + pem + "\",\"client_email\":\"ci@ci-project.iam.gserviceaccount.com\","
                + "\"client_id\":\"1\",\"token_uri\":\"" + tokenUri + "\"}";
    }
}
