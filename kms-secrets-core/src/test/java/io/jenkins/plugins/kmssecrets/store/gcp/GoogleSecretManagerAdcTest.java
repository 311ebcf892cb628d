package io.jenkins.plugins.kmssecrets.store.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SignInFailedException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeOAuthTokenEndpoint;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth: adc}: the Application Default Credentials file that {@code gcloud auth application-default login}
 * writes, found under a fake HOME (never the real one), loaded explicitly, and used by the real Google client: the
 * refresh token is exchanged at the file's {@code token_uri} (a loopback endpoint) and the resulting access token is
 * what Secret Manager sees. No metadata server is ever asked.
 */
class GoogleSecretManagerAdcTest {

    private static final String CLIENT_SECRET = "adc-client-secret-sentinel-9f3a";
    private static final String REFRESH_TOKEN = "adc-refresh-token-sentinel-71c2";
    private static final String ACCESS_TOKEN = "adc-user-access-token-4d5e";
    private static final String VALUE = "gsm-adc-value-0b8c";

    @TempDir
    Path dir;

    private FakeSecretManager fake;
    private FakeOAuthTokenEndpoint oauth;

    @BeforeEach
    void start() throws Exception {
        fake = FakeSecretManager.start("proj-1");
        fake.requireBearer(ACCESS_TOKEN);
        fake.secret("db-password", Map.of());
        fake.addVersion("db-password", VALUE);
        oauth = FakeOAuthTokenEndpoint.start("client-1.apps.googleusercontent.com", CLIENT_SECRET, REFRESH_TOKEN,
                ACCESS_TOKEN);
    }

    @AfterEach
    void stop() {
        oauth.close();
        fake.close();
    }

    private SecretStore store(Map<String, String> env) {
        Map<String, Object> settings = Map.of("project", "proj-1", "auth", "adc", "endpoint", fake.endpoint(),
                "maxAttempts", 1, "timeout", "5s");
        return new GoogleSecretManagerStoreProvider().create(
                new StoreDefinition("gsm", "google-secret-manager", settings, null),
                new StoreContext(env, dir, Clock.systemUTC()));
    }

    private Path gcloudAdcFile(Path home, String json) throws Exception {
        Path file = home.resolve(".config/gcloud/application_default_credentials.json");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, json);
    }

    private static String fetch(SecretStore store) {
        try (SecretValue value = store.fetch(SecretReference.parse("gsm:db-password"))) {
            return value.asString();
        }
    }

    @Test
    void authorizedUserFileUnderHomeSignsInWithItsRefreshToken() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        gcloudAdcFile(home, oauth.authorizedUserJson());

        try (SecretStore store = store(Map.of("HOME", home.toString()))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
        }

        assertThat(fake.authorizations()).isNotEmpty().allMatch(("Bearer " + ACCESS_TOKEN)::equals);
        assertThat(oauth.requests()).hasSize(1);
        assertThat(oauth.requests().get(0)).containsEntry("grant_type", "refresh_token")
                .containsEntry("refresh_token", REFRESH_TOKEN)
                .containsEntry("client_id", "client-1.apps.googleusercontent.com");
    }

    @Test
    void googleApplicationCredentialsWinsOverTheGcloudFile() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        gcloudAdcFile(home, "{\"type\":\"authorized_user\",\"client_id\":\"x\",\"client_secret\":\"y\","
                + "\"refresh_token\":\"wrong\",\"token_uri\":\"" + oauth.tokenUri() + "\"}");
        Path chosen = Files.writeString(dir.resolve("chosen-adc.json"), oauth.authorizedUserJson());

        try (SecretStore store = store(Map.of("HOME", home.toString(),
                "GOOGLE_APPLICATION_CREDENTIALS", chosen.toString()))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
        }
        assertThat(oauth.requests()).singleElement().satisfies(form ->
                assertThat(form).containsEntry("refresh_token", REFRESH_TOKEN));
    }

    @Test
    void cloudsdkConfigDirectoryIsWhereGcloudWroteIt() throws Exception {
        Path config = Files.createDirectories(dir.resolve("gcloud-config"));
        Files.writeString(config.resolve(ApplicationDefaultCredentialsFile.FILE_NAME), oauth.authorizedUserJson());

        try (SecretStore store = store(Map.of("HOME", dir.resolve("empty-home").toString(),
                "CLOUDSDK_CONFIG", config.toString()))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
        }
    }

    @Test
    void serviceAccountKeyAsAdcFileSignsInAtItsTokenUri() throws Exception {
        fake.requireBearer("fake-access-token");
        Path home = Files.createDirectories(dir.resolve("home"));
        gcloudAdcFile(home, FakeSecretManager.serviceAccountKey(fake.tokenUri()));

        try (SecretStore store = store(Map.of("HOME", home.toString()))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
        }
        assertThat(fake.calls(FakeSecretManager.TOKEN)).isEqualTo(1);
    }

    @Test
    void missingFileNamesItAndTheCommandThatWritesIt() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path expected = home.resolve(".config/gcloud/application_default_credentials.json");

        try (SecretStore store = store(Map.of("HOME", home.toString()))) {
            assertThatThrownBy(() -> fetch(store)).isInstanceOf(MisconfiguredException.class)
                    .hasMessageContaining(expected.toString())
                    .hasMessageContaining("from HOME")
                    .hasMessageContaining("gcloud auth application-default login");
        }
        assertThat(fake.apiCalls()).isZero();
    }

    @Test
    void definingTheStoreReadsNothing() throws Exception {
        // no file at all: building the store must not fail, only using it
        try (SecretStore store = store(Map.of("HOME", dir.resolve("nowhere").toString()))) {
            assertThat(store.id()).isEqualTo("gsm");
        }
        assertThat(oauth.requests()).isEmpty();
    }

    @Test
    void unsupportedTypeNamesFileAndTypeButNoContent() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path file = gcloudAdcFile(home, "{\"type\":\"gdch_service_account\",\"private_key\":\"" + CLIENT_SECRET
                + "\"}");

        try (SecretStore store = store(Map.of("HOME", home.toString()))) {
            assertThatThrownBy(() -> fetch(store)).isInstanceOf(MisconfiguredException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("'gdch_service_account'")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CLIENT_SECRET));
        }
    }

    @Test
    void brokenAuthorizedUserNamesFileAndTypeNeverTheSecrets() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        // no refresh_token: Google's parser fails, and its message would quote the fields
        Path file = gcloudAdcFile(home, "{\"type\":\"authorized_user\",\"client_id\":\"c\",\"client_secret\":\""
                + CLIENT_SECRET + "\"}");

        try (SecretStore store = store(Map.of("HOME", home.toString()))) {
            assertThatThrownBy(() -> fetch(store)).isInstanceOf(MisconfiguredException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("authorized_user")
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain(CLIENT_SECRET));
        }
    }

    @Test
    void revokedRefreshTokenIsASignInFailureThatPrintsNoSecret() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        gcloudAdcFile(home, oauth.authorizedUserJson().replace(REFRESH_TOKEN, REFRESH_TOKEN + "-revoked"));

        try (SecretStore store = store(Map.of("HOME", home.toString()))) {
            assertThatThrownBy(() -> fetch(store)).isInstanceOf(SignInFailedException.class)
                    .hasMessageContaining("invalid_grant")
                    .hasMessageContaining("gcloud auth application-default login")
                    .satisfies(e -> assertThat(stackText(e)).doesNotContain(REFRESH_TOKEN, CLIENT_SECRET));
            assertThat(store.toString()).doesNotContain(REFRESH_TOKEN, CLIENT_SECRET);
        }
        assertThat(fake.apiCalls()).isZero();
    }

    @Test
    void adcDoesNotGoWithAnExplicitCredentialsFile() {
        Map<String, Object> settings = new HashMap<>(Map.of("project", "p", "auth", "adc", "credentialsFile", "x"));
        assertThatThrownBy(() -> new GoogleSecretManagerStoreProvider().create(
                new StoreDefinition("gsm", "google-secret-manager", settings, null),
                new StoreContext(Map.of(), dir, Clock.systemUTC())))
                .isInstanceOf(MisconfiguredException.class).hasMessageContaining("credentialsFile");
    }

    @Test
    void unknownAuthIsRejected() {
        assertThatThrownBy(() -> new GoogleSecretManagerStoreProvider().create(
                new StoreDefinition("gsm", "google-secret-manager", Map.of("project", "p", "auth", "metadata"), null),
                new StoreContext(Map.of(), dir, Clock.systemUTC())))
                .isInstanceOf(MisconfiguredException.class).hasMessageContaining("default or adc");
    }

    private static String stackText(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
