package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.CaFiles;
import io.jenkins.plugins.kmssecrets.testing.ConnectProxy;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeEntraAuthority;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure Key Vault through an HTTP proxy ({@code ProxyOptions}) and with a CA bundle, on the production transport
 * with a real client-secret sign-in: both the token request to the authority and the vault calls go through the
 * proxy, and both trust exactly the bundle (the transport's own client trusts only the JVM trust store).
 */
class AzureKeyVaultProxyTest {

    private static final String VALUE = "akv-proxy-Value-never-printed";
    private static final String CLIENT_SECRET = "akv-proxy-client-Secret-never-printed";
    private static final String TENANT = FakeKeyVaultServer.TENANT;
    private static final String CLIENT = "66666666-7777-8888-9999-000000000000";

    @TempDir
    Path dir;

    private FakeKeyVaultServer vault;
    private FakeEntraAuthority authority;
    private ConnectProxy proxy;

    @BeforeEach
    void start() throws Exception {
        vault = FakeKeyVaultServer.start();
        vault.put("db-password", VALUE, Instant.parse("2026-01-01T00:00:00Z"));
        authority = FakeEntraAuthority.start().clientSecret(TENANT, CLIENT, CLIENT_SECRET);
        proxy = ConnectProxy.start();
    }

    @AfterEach
    void stop() {
        proxy.close();
        authority.close();
        vault.close();
    }

    private SecretStore store(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(Map.of("authorityHost", authority.authorityHost().toString(),
                "auth", "clientSecret", "tenantId", TENANT, "clientId", CLIENT, "maxRetries", 0));
        settings.putAll(extra);
        // The JDK's trust store only: the fakes' certificate is trusted through caCertFile or not at all.
        KeyVaultTransport transport = new AzureIdentityTransport(java.net.http.HttpClient::newBuilder, false);
        return new AzureKeyVaultStoreProvider(transport).create(vault.definition("akv", settings),
                new StoreContext(Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET), dir, Clock.systemUTC()));
    }

    private static String fetch(SecretStore store) {
        try (SecretValue value = store.fetch(SecretReference.of("akv", "db-password"))) {
            return value.asString();
        }
    }

    @Test
    void signInAndVaultCallsGoThroughTheProxyTrustingTheBundle() throws Exception {
        try (SecretStore store = store(Map.of("caCertFile", CaFiles.trustingTheFakes(dir).toString(),
                "proxyHost", "127.0.0.1", "proxyPort", proxy.port()))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
        }
        String authorityTarget = "127.0.0.1:" + authority.authorityHost().getPort();
        String vaultTarget = "127.0.0.1:" + vault.vaultUrl().getPort();
        assertThat(proxy.connects()).contains(authorityTarget, vaultTarget)
                .allSatisfy(target -> assertThat(target).isIn(authorityTarget, vaultTarget));
        assertThat(authority.tokenRequests()).isEqualTo(1);
        assertThat(vault.valueReads()).isEqualTo(1);
    }

    @Test
    void aProxyAsking407FailsTheSignInNamingTheProxyAnswerAndTheJvmOption() throws Exception {
        String password = "akv-proxy-Password-never-printed";
        proxy.requireBasic("ci", password);
        java.nio.file.Files.writeString(dir.resolve("proxy-password"), password);
        try (SecretStore store = store(Map.of("caCertFile", CaFiles.trustingTheFakes(dir).toString(),
                "proxyHost", "127.0.0.1", "proxyPort", proxy.port(), "proxyUser", "ci",
                "proxyPasswordFile", "proxy-password"))) {
            Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> fetch(store));
            assertThat(e.getMessage()).startsWith("store 'akv'").contains("sign-in (auth 'clientSecret'")
                    .contains("the proxy answered HTTP 407 (proxy authentication required)")
                    .contains("-Djdk.http.auth.tunneling.disabledSchemes= (empty)").doesNotContain("\n")
                    .doesNotContain(password).doesNotContain(CLIENT_SECRET);
        }
        assertThat(proxy.challenges()).isPositive();
        assertThat(proxy.connects()).isEmpty();
        assertThat(authority.tokenRequests()).isZero();
    }

    @Test
    void aNoProxyHostIsReachedDirectly() throws Exception {
        try (SecretStore store = store(Map.of("caCertFile", CaFiles.trustingTheFakes(dir).toString(),
                "proxyHost", "127.0.0.1", "proxyPort", proxy.port(), "noProxyHosts", "*.vault.azure.net,127.0.0.1"))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
        }
        assertThat(proxy.connects()).isEmpty();
    }

    @Test
    void anAuthorityCertificateTheBundleDoesNotTrustIsTheTrustErrorNamingTheAuthority() throws Exception {
        Path other = CaFiles.trustingAnotherCa(dir);
        // The real client-secret sign-in: the authority's certificate is the first one checked. The identity library
        // retries the handshake until signInTimeout; the store still reports the certificate, not a timeout.
        try (SecretStore store = store(Map.of("caCertFile", other.toString(), "signInTimeout", "2s"))) {
            MisconfiguredException e = catchThrowableOfType(MisconfiguredException.class, () -> fetch(store));
            assertThat(e.getMessage()).startsWith("store 'akv'")
                    .contains("the certificate of https://127.0.0.1:" + authority.authorityHost().getPort()
                            + " is not trusted")
                    .contains("caCertFile (now " + other + ")").doesNotContain("\n")
                    .doesNotContain(VALUE).doesNotContain(CLIENT_SECRET);
        }
        assertThat(authority.tokenRequests()).isZero();
        assertThat(vault.valueReads()).isZero();
    }

    @Test
    void aCaBundleOfAnotherCaFailsOnceNamingTheStoreAndTheFile() throws Exception {
        Path other = CaFiles.trustingAnotherCa(dir);
        // A static credential, so the vault's certificate is the first one checked.
        KeyVaultTransport fake = vault.transport();
        KeyVaultTransport jdkTrustStore = new KeyVaultTransport() {
            @Override
            public java.net.http.HttpClient.Builder httpClientBuilder() {
                return java.net.http.HttpClient.newBuilder();
            }

            @Override
            public com.azure.core.credential.TokenCredential credential(String storeId,
                    AzureKeyVaultSettings settings, StoreContext context, com.azure.core.http.HttpClient httpClient) {
                return fake.credential(storeId, settings, context, httpClient);
            }

            @Override
            public boolean verifyChallengeResource() {
                return false;
            }

            @Override
            public void pause(java.time.Duration delay) throws InterruptedException {
                fake.pause(delay);
            }
        };
        try (SecretStore store = new AzureKeyVaultStoreProvider(jdkTrustStore).create(vault.definition("akv",
                Map.of("caCertFile", other.toString())), new StoreContext(Map.of(), dir, Clock.systemUTC()))) {
            MisconfiguredException e = catchThrowableOfType(MisconfiguredException.class, () -> fetch(store));
            assertThat(e.getMessage()).startsWith("store 'akv'").contains("is not trusted")
                    .contains("caCertFile (now " + other + ")").doesNotContain("\n")
                    .doesNotContain(VALUE).doesNotContain(CLIENT_SECRET);
        }
        assertThat(vault.valueReads()).isZero();
        assertThat(vault.pauses()).isEmpty();
    }
}
