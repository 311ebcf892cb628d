package io.jenkins.plugins.kmssecrets.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher seeds the real fakes, describes them without a value, and the front door speaks their protocols. */
class FakeServersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void seedsEveryStoreAndDescribesThemWithoutAValue(@TempDir Path dir) throws Exception {
        E2eCorpus corpus = E2eCorpus.create("unit01");
        try (FakeServers servers = FakeServers.start(Set.of("sops", "vault", "gsm", "akv"), corpus, dir)) {
            Path json = dir.resolve("servers.json");
            servers.writeJson(json);
            String text = Files.readString(json);
            for (String value : corpus.allValues()) {
                assertThat(text).doesNotContain(value);
                value.lines().filter(l -> l.length() > 8 && !l.startsWith("-----"))
                        .forEach(line -> assertThat(text).doesNotContain(line));
            }
            JsonNode tree = JSON.readTree(text);
            // Vault also holds the NUL case's secret and the concurrency case's load secrets.
            assertThat(tree.path("secrets")).hasSize(2 + 13 + 13 + 13 + 1 + E2eCorpus.LOAD_SECRETS);
            assertThat(tree.path("vault").path("address").asText()).startsWith("http://127.0.0.1:");
            assertThat(tree.path("akv").path("vaultUrl").asText()).startsWith("https://127.0.0.1:");
            assertThat(Files.readString(dir.resolve("e2e.enc.yaml"))).contains("ENC[AES256_GCM")
                    .doesNotContain(corpus.secrets("sops").get("password").value());

            HttpClient http = HttpClient.newHttpClient();
            // Vault: the typed secret carries its custom metadata, read with the e2e token.
            HttpResponse<String> meta = http.send(HttpRequest.newBuilder(URI.create(servers.vault().address()
                    + "/v1/secret/metadata/e2e-userpass")).header("X-Vault-Token", servers.vaultToken()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(meta.body()).contains("\"jenkins-credentials-type\":\"usernamePassword\"");
            // GSM: labels are lower case.
            HttpResponse<String> gsm = http.send(HttpRequest.newBuilder(URI.create(servers.gsm().endpoint()
                    + "/v1/projects/" + FakeServers.GSM_PROJECT + "/secrets/e2e-userpass")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(gsm.body()).contains("usernamepassword");
            // Outage switches: Vault sealed, Key Vault 503.
            servers.outage("vault", true);
            HttpResponse<String> sealed = http.send(HttpRequest.newBuilder(URI.create(servers.vault().address()
                    + "/v1/secret/metadata/e2e-password")).header("X-Vault-Token", servers.vaultToken()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sealed.statusCode()).isEqualTo(503);
            servers.outage("vault", false);
            // Silent: the request is accepted and held without an answer until the Vault speaks again (then 503).
            servers.silence("vault", true);
            java.util.concurrent.CompletableFuture<HttpResponse<String>> held = http.sendAsync(HttpRequest.newBuilder(
                    URI.create(servers.vault().address() + "/v1/secret/metadata/e2e-password"))
                    .header("X-Vault-Token", servers.vaultToken()).build(), HttpResponse.BodyHandlers.ofString());
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(servers.vault().address()
                    + "/v1/secret/metadata/e2e-password")).header("X-Vault-Token", servers.vaultToken())
                    .timeout(java.time.Duration.ofMillis(300)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.net.http.HttpTimeoutException.class);
            assertThat(held).isNotDone();
            servers.silence("vault", false);
            assertThat(held.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(503);
            assertThatThrownBy(() -> servers.silence("akv", true)).isInstanceOf(IllegalArgumentException.class);
            assertThat(servers.valueReads("vault")).isZero();
        }
    }

    @Test
    void jvmFilesNameTheCloudHostsAndTrustTheCertificate(@TempDir Path dir) throws Exception {
        FakeServers.writeJvmFiles(dir);
        String hosts = Files.readString(dir.resolve("hosts"));
        for (String host : FrontDoor.HOSTS) {
            assertThat(hosts).contains("127.0.0.1 " + host + "\n");
        }
        assertThat(hosts).startsWith("127.0.0.1 localhost");
        assertThat(Files.readString(dir.resolve("fake-ca.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dir.resolve("fake-truststore.p12"))) {
            trust.load(in, FakeServers.TRUST_STORE_PASSWORD.toCharArray());
        }
        assertThat(trust.isCertificateEntry("kms-e2e-fake")).isTrue();
    }
}
