package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A vault whose certificate the JDK does not trust: a configuration error at once, not an outage retried. */
class KeyVaultUntrustedCertificateTest {

    @Test
    void anUntrustedVaultCertificateIsMisconfiguredAndNotRetried() {
        try (FakeKeyVaultServer fake = FakeKeyVaultServer.start()) {
            fake.put("db-password", "untrusted-value-1", Instant.parse("2026-01-01T00:00:00Z"));
            KeyVaultTransport trusting = fake.transport();
            KeyVaultTransport jdkTrustStore = new KeyVaultTransport() {
                @Override
                public java.net.http.HttpClient.Builder httpClientBuilder() {
                    return java.net.http.HttpClient.newBuilder(); // the JDK's trust store: no fake CA in it
                }

                @Override
                public TokenCredential credential(String storeId, AzureKeyVaultSettings settings,
                        StoreContext context, HttpClient httpClient) {
                    return trusting.credential(storeId, settings, context, httpClient);
                }

                @Override
                public boolean verifyChallengeResource() {
                    return false;
                }

                @Override
                public void pause(Duration delay) throws InterruptedException {
                    trusting.pause(delay);
                }
            };
            StoreContext context = new StoreContext(Map.of(), Path.of("."), Clock.systemUTC());
            try (SecretStore store = new AzureKeyVaultStoreProvider(jdkTrustStore)
                    .create(fake.definition("akv", Map.of()), context)) {
                MisconfiguredException e = catchThrowableOfType(MisconfiguredException.class,
                        () -> store.fetch(SecretReference.of("akv", "db-password")));
                String origin = "https://127.0.0.1:" + fake.vaultUrl().getPort();
                assertThat(e).hasMessage("store 'akv', secret 'db-password': the certificate of " + origin
                        + " is not trusted (no trusted CA issued it); set caCertFile, or " + UntrustedCertificateNames.JVM
                        + ", to the CA certificate that issued it; not retried");
            }
            assertThat(fake.pauses()).isEmpty();
            assertThat(fake.valueReads()).isZero();
        }
    }

    /** The remedy text, spelled out here so a change to it is a visible test change. */
    private static final class UntrustedCertificateNames {
        static final String JVM = "the JVM trust store (-Djavax.net.ssl.trustStore=…, for example through "
                + "JAVA_TOOL_OPTIONS)";
    }
}
