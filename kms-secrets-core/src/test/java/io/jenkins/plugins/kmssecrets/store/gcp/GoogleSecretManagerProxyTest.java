package io.jenkins.plugins.kmssecrets.store.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.testing.CaFiles;
import io.jenkins.plugins.kmssecrets.testing.ConnectProxy;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google Secret Manager (HTTP/JSON over google-http-client) through an HTTP proxy and with a CA bundle, signing in
 * with a real service-account key: the token request and the API calls both go through the proxy and trust exactly
 * the bundle.
 */
class GoogleSecretManagerProxyTest {

    private static final String VALUE = "gsm-proxy-Value-never-printed";

    @TempDir
    Path dir;

    private FakeSecretManager fake;
    private ConnectProxy proxy;
    private String key;

    @BeforeEach
    void start() throws Exception {
        fake = FakeSecretManager.startTls("proj-1", TestCertificate.get().serverContext());
        fake.requireBearer("fake-access-token");
        fake.secret("db", Map.of());
        fake.addVersion("db", VALUE);
        key = FakeSecretManager.serviceAccountKey(fake.tokenUri());
        proxy = ConnectProxy.start();
    }

    @AfterEach
    void stop() {
        proxy.close();
        fake.close();
    }

    private SecretStore store(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(Map.of("project", "proj-1", "endpoint", fake.endpoint(),
                "credentialsJsonEnv", "GSM_KEY", "maxAttempts", 1, "retryDelay", "1ms"));
        settings.putAll(extra);
        return new GoogleSecretManagerStoreProvider().create(
                new StoreDefinition("gsm", "google-secret-manager", settings, null),
                new StoreContext(Map.of("GSM_KEY", key), dir, Clock.systemUTC()));
    }

    private static String fetch(SecretStore store) {
        try (SecretValue value = store.fetch(SecretReference.parse("gsm:db"))) {
            return value.asString();
        }
    }

    @Test
    void signInAndApiCallsGoThroughTheProxyTrustingTheBundle() throws Exception {
        try (SecretStore store = store(Map.of("caCertFile", CaFiles.trustingTheFakes(dir).toString(),
                "proxyHost", "127.0.0.1", "proxyPort", proxy.port()))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
        }
        String target = "127.0.0.1:" + java.net.URI.create(fake.endpoint()).getPort();
        assertThat(proxy.connects()).isNotEmpty().allSatisfy(connect -> assertThat(connect).isEqualTo(target));
        // one tunnel per request at most: the token request and the access call
        assertThat(proxy.connects().size()).isBetween(1, 2);
        assertThat(fake.calls(FakeSecretManager.TOKEN)).isEqualTo(1);
        assertThat(fake.calls(FakeSecretManager.ACCESS_SECRET_VERSION)).isEqualTo(1);
    }

    @Test
    void aNoProxyHostIsReachedDirectly() throws Exception {
        try (SecretStore store = store(Map.of("caCertFile", CaFiles.trustingTheFakes(dir).toString(),
                "proxyHost", "127.0.0.1", "proxyPort", proxy.port(), "noProxyHosts", "*.googleapis.com 127.0.0.1"))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
        }
        assertThat(proxy.connects()).isEmpty();
    }

    @Test
    void anUntrustedTokenEndpointWithoutBundleFailsNamingCaCertFileAndTheJvmTrustStore() throws Exception {
        // Through the proxy, no caCertFile: the JVM's trust store does not know the fakes' certificate, and the
        // token request is the first one.
        try (SecretStore store = store(Map.of("proxyHost", "127.0.0.1", "proxyPort", proxy.port()))) {
            SecretStoreException e = catchThrowableOfType(SecretStoreException.class, () -> fetch(store));
            assertThat(e.getMessage()).startsWith("store 'gsm'")
                    .contains("TLS with the token endpoint " + fake.tokenUri() + " failed: its certificate is not trusted; set "
                            + "caCertFile, or the JVM trust store")
                    .doesNotContain("\n").doesNotContain(VALUE).doesNotContain("PRIVATE KEY");
        }
        assertThat(fake.calls(FakeSecretManager.TOKEN)).isZero();
        assertThat(fake.calls(FakeSecretManager.ACCESS_SECRET_VERSION)).isZero();
    }

    @Test
    void aProxyAsking407FailsTheSignInNamingTheProxyAnswerAndTheJvmOption() throws Exception {
        String password = "gsm-proxy-Password-never-printed";
        proxy.requireBasic("ci", password);
        java.nio.file.Files.writeString(dir.resolve("proxy-password"), password);
        try (SecretStore store = store(Map.of("caCertFile", CaFiles.trustingTheFakes(dir).toString(),
                "proxyHost", "127.0.0.1", "proxyPort", proxy.port(), "proxyUser", "ci",
                "proxyPasswordFile", "proxy-password"))) {
            SecretStoreException e = catchThrowableOfType(SecretStoreException.class, () -> fetch(store));
            assertThat(e.getMessage()).startsWith("store 'gsm'")
                    .contains("cannot reach the token endpoint " + fake.tokenUri() + ": the proxy answered HTTP 407")
                    .contains("-Djdk.http.auth.tunneling.disabledSchemes= (empty)").doesNotContain("\n")
                    .doesNotContain(password).doesNotContain("PRIVATE KEY");
        }
        assertThat(proxy.challenges()).isPositive();
        assertThat(fake.calls(FakeSecretManager.TOKEN)).isZero();
    }

    @Test
    void aCaBundleOfAnotherCaFailsNamingTheStoreAndTheFile() throws Exception {
        Path other = CaFiles.trustingAnotherCa(dir);
        try (SecretStore store = store(Map.of("caCertFile", other.toString()))) {
            SecretStoreException e = catchThrowableOfType(SecretStoreException.class, () -> fetch(store));
            assertThat(e.getMessage()).startsWith("store 'gsm'").contains("not trusted")
                    .contains("caCertFile (now " + other + ")").doesNotContain("\n").doesNotContain(VALUE)
                    .doesNotContain("PRIVATE KEY");
        }
        assertThat(fake.calls(FakeSecretManager.ACCESS_SECRET_VERSION)).isZero();
    }
}
