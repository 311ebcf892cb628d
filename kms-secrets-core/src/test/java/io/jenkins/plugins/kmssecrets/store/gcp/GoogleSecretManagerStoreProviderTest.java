package io.jenkins.plugins.kmssecrets.store.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoogleSecretManagerStoreProviderTest {

    @TempDir
    Path dir;

    private final GoogleSecretManagerStoreProvider provider = new GoogleSecretManagerStoreProvider();

    private StoreContext context(Map<String, String> env) {
        return new StoreContext(env, dir, Clock.systemUTC());
    }

    private static StoreDefinition definition(Map<String, Object> settings) {
        return new StoreDefinition("gsm", "google-secret-manager", settings, null);
    }

    @Test
    void isRegisteredWithServiceLoader() {
        assertThat(StoreTypes.installed().get("google-secret-manager"))
                .isInstanceOf(GoogleSecretManagerStoreProvider.class);
    }

    @Test
    void projectIsRequired() {
        assertThatThrownBy(() -> provider.create(definition(Map.of()), context(Map.of())))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("'project'");
    }

    @Test
    void buildingWithApplicationDefaultCredentialsMakesNoCall() {
        try (SecretStore store = provider.create(definition(Map.of("project", "p", "location", "us-east1")),
                context(Map.of()))) {
            assertThat(store).isInstanceOf(GoogleSecretManagerStore.class);
            assertThat(((GoogleSecretManagerStore) store).location()).isEqualTo("us-east1");
        }
    }

    @Test
    void refusesToRunWithGoogleSdkPayloadLogging() {
        assertThatThrownBy(() -> provider.create(definition(Map.of("project", "p")),
                context(Map.of("GOOGLE_SDK_JAVA_LOGGING", "true"))))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("GOOGLE_SDK_JAVA_LOGGING");
    }

    @Test
    void missingCredentialsFileIsMisconfigured() {
        assertThatThrownBy(() -> provider.create(definition(Map.of("project", "p", "credentialsFile", "nope.json")),
                context(Map.of())))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("nope.json");
    }

    @Test
    void unparsableCredentialsFileIsMisconfiguredWithoutItsContent() throws Exception {
        Files.writeString(dir.resolve("key.json"), "{\"private_key\":\"TOPSECRETKEY\"");
        try (FakeSecretManager fake = FakeSecretManager.start("p");
                SecretStore store = provider.create(definition(Map.of("project", "p", "credentialsFile", "key.json",
                        "endpoint", fake.endpoint())), context(Map.of()))) {
            assertThatThrownBy(store::list)
                    .isInstanceOf(MisconfiguredException.class)
                    .hasMessageContaining("key.json")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TOPSECRETKEY"));
        }
    }

    @Test
    void serviceAccountKeyFileIsExchangedForABearerToken() throws Exception {
        try (FakeSecretManager fake = FakeSecretManager.start("p")) {
            fake.requireBearer("fake-access-token");
            fake.secret("db", Map.of());
            fake.addVersion("db", "value");
            Files.writeString(dir.resolve("sa.json"), serviceAccountKey(fake.tokenUri()));
            Map<String, Object> settings = new HashMap<>(Map.of("project", "p", "credentialsFile", "sa.json",
                    "endpoint", fake.endpoint(), "retryDelay", "1ms"));

            try (SecretStore store = provider.create(definition(settings), context(Map.of()));
                    SecretValue value = store.fetch(SecretReference.parse("gsm:db"))) {
                assertThat(value.asString()).isEqualTo("value");
            }
            assertThat(fake.authorizations()).containsOnly("Bearer fake-access-token");
        }
    }

    @Test
    void concurrentFetchesShareOneAccessToken() throws Exception {
        try (FakeSecretManager fake = FakeSecretManager.start("p")) {
            fake.requireBearer("fake-access-token");
            for (int i = 0; i < 8; i++) {
                fake.secret("s" + i, Map.of());
                fake.addVersion("s" + i, "value-" + i);
            }
            Files.writeString(dir.resolve("sa.json"), serviceAccountKey(fake.tokenUri()));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try (SecretStore store = provider.create(definition(Map.of("project", "p", "credentialsFile", "sa.json",
                    "endpoint", fake.endpoint())), context(Map.of()))) {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    SecretReference reference = SecretReference.parse("gsm:s" + i);
                    results.add(pool.submit(() -> {
                        try (SecretValue value = store.fetch(reference)) {
                            return value.asString();
                        }
                    }));
                }
                for (int i = 0; i < 8; i++) {
                    assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("value-" + i);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(fake.calls(FakeSecretManager.TOKEN)).isEqualTo(1);
            assertThat(fake.calls(FakeSecretManager.ACCESS_SECRET_VERSION)).isEqualTo(8);
        }
    }

    @Test
    void serviceAccountKeyFromAnEnvironmentVariableIsUsedInMemory() throws Exception {
        try (FakeSecretManager fake = FakeSecretManager.start("p")) {
            fake.requireBearer("fake-access-token");
            fake.secret("db", Map.of());
            fake.addVersion("db", "value");
            Map<String, Object> settings = Map.of("project", "p", "credentialsJsonEnv", "GSM_KEY",
                    "endpoint", fake.endpoint());

            try (SecretStore store = provider.create(definition(settings),
                    context(Map.of("GSM_KEY", serviceAccountKey(fake.tokenUri()))));
                    SecretValue value = store.fetch(SecretReference.parse("gsm:db"))) {
                assertThat(value.asString()).isEqualTo("value");
            }
            assertThat(fake.calls(FakeSecretManager.TOKEN)).isEqualTo(1);
            assertThat(fake.authorizations()).containsOnly("Bearer fake-access-token");
            try (var files = Files.list(dir)) {
                assertThat(files).as("nothing written to disk").isEmpty();
            }
        }
    }

    @Test
    void credentialsJsonVariableThatIsUnsetIsMisconfigured() {
        assertThatThrownBy(() -> provider.create(definition(Map.of("project", "p", "credentialsJsonEnv", "GSM_KEY")),
                context(Map.of())))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessage("store 'gsm': credentialsJsonEnv names GSM_KEY, which is not set or empty");
    }

    @Test
    void credentialsFileAndVariableTogetherAreMisconfigured() {
        assertThatThrownBy(() -> provider.create(definition(Map.of("project", "p", "credentialsFile", "sa.json",
                "credentialsJsonEnv", "GSM_KEY")), context(Map.of("GSM_KEY", "{}"))))
                .isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("either credentialsFile or credentialsJsonEnv");
    }

    @Test
    void credentialsJsonOfAnotherTypeOrBrokenIsRefusedWithoutItsContent() throws Exception {
        String sentinel = "1//refresh-SENTINEL-never-print";
        Map<String, String> bad = Map.of(
                "{\"type\":\"authorized_user\",\"client_id\":\"c\",\"client_secret\":\"" + sentinel
                        + "\",\"refresh_token\":\"" + sentinel + "\"}", "holds 'authorized_user' credential",
                "{\"type\":\"" + sentinel + "\"}", "holds an unknown credential",
                "{\"private_key\":\"" + sentinel + "\"", "does not hold a Google credentials JSON",
                "{\"type\":\"service_account\",\"private_key\":\"" + sentinel + "\"}",
                "holds a service_account credential that Google's library cannot use");
        for (Map.Entry<String, String> entry : bad.entrySet()) {
            assertThatThrownBy(() -> provider.create(definition(Map.of("project", "p", "credentialsJsonEnv",
                    "GSM_KEY")), context(Map.of("GSM_KEY", entry.getKey()))))
                    .isInstanceOf(MisconfiguredException.class)
                    .hasMessageContaining("GSM_KEY " + entry.getValue())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SENTINEL"))
                    .satisfies(e -> assertThat(e.getCause()).isNull());
        }
    }

    private static String serviceAccountKey(String tokenUri) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        return "{\"type\":\"service_account\",\"project_id\":\"p\",\"private_key_id\":\"k1\","
                + "\"private_key\":\"" + pem + "\",\"client_email\":\"ci@p.iam.gserviceaccount.com\","
                + "\"client_id\":\"1\",\"token_uri\":\"" + tokenUri + "\"}";
    }
}
