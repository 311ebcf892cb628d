package io.jenkins.plugins.kmssecrets.store.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.testing.CaFiles;
import io.jenkins.plugins.kmssecrets.testing.ConnectProxy;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vault through an HTTP proxy (JDK client, {@code ProxySelector}) and with a CA bundle; no value in any message. */
class VaultProxyTest {

    private static final String VALUE = "vault-proxy-Value-never-printed";
    private static final String PROXY_PASSWORD = "proxy-Pa55-never-printed";
    private static final Map<String, String> ENV = Map.of("VAULT_TOKEN", "hvs.proxy");

    @TempDir
    Path dir;

    private FakeVault vault;
    private ConnectProxy proxy;

    @BeforeEach
    void start() throws Exception {
        vault = FakeVault.startTls(Clock.systemUTC(), TestCertificate.get().serverContext()).mount("secret", 2);
        vault.token("hvs.proxy", Duration.ZERO, false, "*:read,list");
        vault.put("secret", "apps/db", Map.of("password", VALUE));
        proxy = ConnectProxy.start();
    }

    @AfterEach
    void stop() {
        proxy.close();
        vault.close();
    }

    private SecretStore store(Map<String, Object> extra) throws Exception {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put("address", vault.address().toString());
        settings.put("caCertFile", CaFiles.trustingTheFakes(dir).toString());
        settings.put("retryDelay", "1ms");
        return new VaultStoreProvider().create(new StoreDefinition("vault", "vault", settings, null),
                new StoreContext(ENV, dir, Clock.systemUTC()));
    }

    private static String fetch(SecretStore store) {
        try (SecretValue value = store.fetch(SecretReference.parse("vault:apps/db#password"))) {
            return value.asString();
        }
    }

    @Test
    void requestsGoThroughTheProxyAsOneTunnelToVault() throws Exception {
        try (SecretStore store = store(Map.of("proxyHost", "127.0.0.1", "proxyPort", proxy.port()))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
        }
        assertThat(proxy.connects()).containsExactly("localhost:" + vault.address().getPort());
    }

    /**
     * The JDK does not send Basic credentials through an HTTPS tunnel by default (jdk.http.auth.tunneling
     * .disabledSchemes=Basic; this test JVM keeps the default), so the proxy's 407 is a one-line configuration error
     * naming the proxy, the target and the JVM option, never the password.
     */
    @Test
    void aProxyAsking407IsOneLineNamingTheProxyAndNeverThePassword() throws Exception {
        proxy.requireBasic("ci", PROXY_PASSWORD);
        java.nio.file.Files.writeString(dir.resolve("proxy-password"), PROXY_PASSWORD);
        try (SecretStore store = store(Map.of("proxyHost", "127.0.0.1", "proxyPort", proxy.port(),
                "proxyUser", "ci", "proxyPasswordFile", "proxy-password"))) {
            MisconfiguredException e = catchThrowableOfType(MisconfiguredException.class, () -> fetch(store));
            assertThat(e).hasMessage("store 'vault': the proxy 127.0.0.1:" + proxy.port()
                    + " refused the connection to " + vault.address() + " with HTTP 407 (proxy authentication "
                    + "required); check proxyUser 'ci' and its password; Basic proxy authentication for https needs "
                    + "the JVM option -Djdk.http.auth.tunneling.disabledSchemes= (empty)");
            assertThat(store.toString()).doesNotContain(PROXY_PASSWORD);
        }
        assertThat(proxy.challenges()).isEqualTo(1);
        assertThat(proxy.connects()).isEmpty();
    }

    @Test
    void aNoProxyHostIsReachedDirectly() throws Exception {
        try (SecretStore store = store(Map.of("proxyHost", "127.0.0.1", "proxyPort", proxy.port(),
                "noProxyHosts", "*.example.com, localhost"))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
        }
        assertThat(proxy.connects()).isEmpty();
    }

    @Test
    void aCaBundleOfAnotherCaFailsOnceNamingTheStoreAndTheFile() throws Exception {
        Path other = CaFiles.trustingAnotherCa(dir);
        Map<String, Object> settings = new HashMap<>(Map.of("address", vault.address().toString(),
                "caCertFile", other.toString(), "retryDelay", "1ms"));
        try (SecretStore store = new VaultStoreProvider().create(new StoreDefinition("vault", "vault", settings,
                null), new StoreContext(ENV, dir, Clock.systemUTC()))) {
            MisconfiguredException e = catchThrowableOfType(MisconfiguredException.class, () -> fetch(store));
            assertThat(e.getMessage()).startsWith("store 'vault'").contains("is not trusted")
                    .contains("caCertFile (now " + other + ")").doesNotContain("\n").doesNotContain(VALUE);
        }
    }
}
