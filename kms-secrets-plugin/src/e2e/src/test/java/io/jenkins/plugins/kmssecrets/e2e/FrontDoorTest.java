package io.jenkins.plugins.kmssecrets.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultSettings;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultStoreProvider;
import io.jenkins.plugins.kmssecrets.store.azure.KeyVaultTransport;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path a Jenkins takes in a run, in one JVM: the production Azure transport (azure-identity's client-secret
 * credential, challenge-resource verification on) against the front door's Entra token endpoint and the Key Vault
 * fake under {@code kms-e2e.vault.azure.net} (this JVM resolves the names with {@code -Djdk.net.hosts.file}).
 */
class FrontDoorTest {

    @Test
    void theProductionAzureTransportSignsInAtTheFrontDoorAndReadsTheFake(@TempDir Path dir) throws Exception {
        E2eCorpus corpus = E2eCorpus.create("door01");
        try (FakeServers servers = FakeServers.start(Set.of("akv"), corpus, dir)) {
            FrontDoor door = servers.startFrontDoor(0, "right-secret");
            SecretStore store = store(servers, door, "right-secret");
            assertThat(store.list()).extracting(m -> m.name()).contains("e2e-password", "e2e-userpass");
            try (SecretValue value = store.fetch(SecretReference.parse("akv:e2e-password"))) {
                assertThat(value.asString()).isEqualTo(corpus.secrets("akv").get("password").value());
            }
            assertThat(door.counts()).containsKey("login.microsoftonline.com").containsEntry("entra-tokens", 1);

            SecretStore wrong = store(servers, door, "wrong-secret");
            assertThatThrownBy(wrong::list).satisfies(e -> assertThat(String.valueOf(e.getMessage()))
                    .doesNotContain("wrong-secret"));
            assertThat(door.counts()).containsKey("entra-rejected");
        }
    }

    @Test
    void theClientCertificateSignInIsVerifiedAgainstTheRegisteredCertificate(@TempDir Path dir) throws Exception {
        E2eCorpus corpus = E2eCorpus.create("door02");
        try (FakeServers servers = FakeServers.start(Set.of("akv"), corpus, dir)) {
            FrontDoor door = servers.startFrontDoor(0, "unused-secret");
            Path pem = dir.resolve("client.pem");
            java.nio.file.Files.writeString(pem, servers.akvClientCertificatePem());
            Map<String, Object> settings = settings(servers, door);
            settings.put("auth", "clientCertificate");
            settings.put("clientCertificatePath", pem.toString());
            settings.remove("clientSecretEnv");
            SecretStore store = create(settings, Map.of());
            assertThat(store.list()).extracting(m -> m.name()).contains("e2e-password");
            assertThat(door.counts()).containsEntry("entra-certificate-tokens", 1);

            // Another certificate (not the application's) is refused.
            Path other = dir.resolve("other.pem");
            java.nio.file.Files.writeString(other, E2eCorpus.pem(E2eCorpus.keytool("RSA", "CN=someone-else")));
            settings.put("clientCertificatePath", other.toString());
            assertThatThrownBy(create(settings, Map.of())::list).isNotNull();
            assertThat(door.counts()).containsEntry("entra-rejected", 1);
        }
    }

    private static SecretStore store(FakeServers servers, FrontDoor door, String secret) {
        return create(settings(servers, door), Map.of("E2E_SECRET", secret));
    }

    private static Map<String, Object> settings(FakeServers servers, FrontDoor door) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("vaultUrl", "https://" + FrontDoor.VAULT_HOST + ":" + servers.akv().vaultUrl().getPort() + "/");
        settings.put("authorityHost", "https://login.microsoftonline.com:" + door.port() + "/");
        settings.put("auth", "clientSecret");
        settings.put("tenantId", FakeKeyVaultServer.TENANT);
        settings.put("clientId", FakeServers.ENTRA_CLIENT_ID);
        settings.put("clientSecretEnv", "E2E_SECRET");
        settings.put("maxRetries", 0);
        return settings;
    }

    private static SecretStore create(Map<String, Object> settings, Map<String, String> environment) {
        KeyVaultTransport azure = KeyVaultTransport.azure();
        KeyVaultTransport transport = new KeyVaultTransport() {
            @Override
            public java.net.http.HttpClient.Builder httpClientBuilder() {
                // This JVM's default trust store does not hold the test certificate; a Jenkins JVM gets it with
                // -Djavax.net.ssl.trustStore. Everything else is the production transport.
                return java.net.http.HttpClient.newBuilder().sslContext(TestCertificate.get().clientContext());
            }

            @Override
            public com.azure.core.credential.TokenCredential credential(String storeId, AzureKeyVaultSettings settings,
                    StoreContext context, com.azure.core.http.HttpClient httpClient) {
                return azure.credential(storeId, settings, context, httpClient);
            }

            @Override
            public void pause(java.time.Duration pause) {
                // no waiting in a unit test
            }
        };
        StoreContext context = new StoreContext(environment, Path.of("."), Clock.systemUTC());
        return new AzureKeyVaultStoreProvider(transport).create(new StoreDefinition("akv", "azure-key-vault", settings,
                null), context);
    }
}
