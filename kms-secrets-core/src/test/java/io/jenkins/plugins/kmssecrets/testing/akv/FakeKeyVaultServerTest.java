package io.jenkins.plugins.kmssecrets.testing.akv;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Context;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keeps the fake faithful to Key Vault: the published REST examples ({@code shared/testdata/akv/rest-examples}) are
 * loaded into it, served back, compared field by field with the example responses, and parsed by the real SDK; every
 * field the fake writes is declared in the REST specification ({@code secrets.json}).
 */
class FakeKeyVaultServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeKeyVaultServer fake;
    private HttpClient http;

    @BeforeEach
    void start() {
        fake = FakeKeyVaultServer.start();
        http = HttpClient.newBuilder().sslContext(TestCertificate.get().clientContext()).build();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static JsonNode example(String file) throws IOException {
        return JSON.readTree(TestData.path("akv/rest-examples/" + file).toFile());
    }

    private static JsonNode okBody(JsonNode example) {
        return example.path("responses").path("200").path("body");
    }

    private JsonNode get(String pathAndQuery, boolean authorised) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(fake.vaultUrl().resolve(pathAndQuery));
        if (authorised) {
            request.header("Authorization", "Bearer " + FakeKeyVaultServer.TOKEN);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        ObjectNode node = (ObjectNode) JSON.readTree(response.body());
        node.put("__status", response.statusCode());
        response.headers().firstValue("WWW-Authenticate").ifPresent(v -> node.put("__challenge", v));
        return node;
    }

    private SecretClient sdk() {
        return new SecretClientBuilder()
                .vaultUrl(fake.vaultUrl().toString())
                .credential(fake.credential())
                .httpClient(new JdkHttpClientBuilder(HttpClient.newBuilder()
                        .sslContext(TestCertificate.get().clientContext())).build())
                .disableChallengeResourceVerification()
                .buildClient();
    }

    /** The example body with the example vault's base URL replaced by the fake's. */
    private JsonNode rebased(JsonNode body, String exampleVault) throws IOException {
        String text = JSON.writeValueAsString(body).replace(exampleVault, fake.vaultUrl().toString());
        return JSON.readTree(text);
    }

    @Test
    void getSecretExampleRoundTripsThroughTheFake() throws Exception {
        JsonNode example = example("2025-06-01/GetSecret-example.json");
        JsonNode body = okBody(example);
        Map.Entry<String, FakeSecretVersion> seeded = FakeSecretVersion.fromBundle(body);
        fake.put(seeded.getKey(), seeded.getValue());

        JsonNode served = get("/secrets/mysecretname/4387e9f3d6e14c459867679a90fd0f79?api-version=2025-07-01", true);
        ((ObjectNode) served).remove("__status");
        assertThat(served).isEqualTo(rebased(body, "https://myvault.vault.azure.net/"));
    }

    @Test
    void getSecretExampleParsesWithTheRealSdk() throws Exception {
        JsonNode body = okBody(example("2025-06-01/GetSecret-example.json"));
        Map.Entry<String, FakeSecretVersion> seeded = FakeSecretVersion.fromBundle(body);
        fake.put(seeded.getKey(), seeded.getValue());

        KeyVaultSecret secret = sdk().getSecret("mysecretname", "4387e9f3d6e14c459867679a90fd0f79");
        assertThat(secret.getValue()).isEqualTo(body.get("value").asText());
        assertThat(secret.getProperties().getVersion()).isEqualTo("4387e9f3d6e14c459867679a90fd0f79");
        assertThat(secret.getProperties().getCreatedOn().toInstant())
                .isEqualTo(Instant.ofEpochSecond(body.at("/attributes/created").asLong()));
        assertThat(secret.getProperties().getRecoveryLevel()).isEqualTo("Recoverable+Purgeable");
    }

    @Test
    void getSecretsExampleItemIsServedWithTheSameFieldsAndANextLink() throws Exception {
        JsonNode body = okBody(example("2025-06-01/GetSecrets-example.json"));
        JsonNode item = body.get("value").get(0);
        fake.put("listsecrettest0", new FakeSecretVersion("0001", "v", item.get("contentType").asText(), true,
                Instant.ofEpochSecond(item.at("/attributes/created").asLong()),
                Instant.ofEpochSecond(item.at("/attributes/updated").asLong()), null, null, null, Map.of()));
        fake.put("listsecrettest1", "w", Instant.ofEpochSecond(1482189100));

        JsonNode served = get("/secrets?api-version=2025-07-01&maxresults=1", true);
        assertThat(served.get("value")).hasSize(1);
        assertThat(served.get("value").get(0)).isEqualTo(rebased(item, "https://myvault.vault.azure.net/"));
        URI next = URI.create(served.get("nextLink").asText());
        assertThat(next.getQuery()).contains("$skiptoken=").contains("maxresults=1").contains("api-version=");
        ((ObjectNode) served).remove("__status");
        assertThat(fieldNames(served)).isEqualTo(fieldNames(body));
    }

    @Test
    void getSecretVersionsExampleItemIsServedWithTheSameFields() throws Exception {
        JsonNode body = okBody(example("2025-06-01/GetSecretVersions-example.json"));
        JsonNode item = body.get("value").get(0);
        Map.Entry<String, FakeSecretVersion> seeded = FakeSecretVersion.fromBundle(item);
        fake.put(seeded.getKey(), new FakeSecretVersion(seeded.getValue().version(), "v", null, true,
                seeded.getValue().created(), seeded.getValue().updated(), null, null, null, Map.of()));
        fake.put(seeded.getKey(), "w", Instant.ofEpochSecond(1481851800));

        JsonNode served = get("/secrets/listsecretversionstest/versions?api-version=2025-07-01&maxresults=1", true);
        assertThat(served.get("value").get(0)).isEqualTo(rebased(item, "https://myvault.vault.azure.net/"));
        assertThat(served.hasNonNull("nextLink")).isTrue();
    }

    @Test
    void sdkFollowsNextLinkAcrossPages() {
        fake.pageSize(1);
        for (int i = 0; i < 4; i++) {
            fake.put("paged-" + i, "v", Instant.ofEpochSecond(1_700_000_000L + i));
        }
        List<String> names = new ArrayList<>();
        for (SecretProperties p : sdk().listPropertiesOfSecrets(Context.NONE)) {
            names.add(p.getName());
        }
        assertThat(names).containsExactly("paged-0", "paged-1", "paged-2", "paged-3");
        assertThat(fake.count(FakeKeyVaultServer.Operation.LIST_SECRETS)).isEqualTo(4);
    }

    @Test
    void updateSecretExampleTagsAndContentTypeSurviveAListVersionsRoundTrip() throws Exception {
        JsonNode body = okBody(example("2025-07-01/UpdateSecret-example.json"));
        Map.Entry<String, FakeSecretVersion> seeded = FakeSecretVersion.fromBundle(body);
        fake.put(seeded.getKey(), seeded.getValue());

        JsonNode served = get("/secrets/crpsecret/versions?api-version=2025-07-01", true);
        assertThat(served.get("value").get(0)).isEqualTo(rebased(body, "https://myvault.vault.azure.net/"));
    }

    @Test
    void unauthenticatedRequestGetsTheBearerChallenge() throws Exception {
        JsonNode served = get("/secrets?api-version=2025-07-01", false);
        assertThat(served.get("__status").asInt()).isEqualTo(401);
        assertThat(served.get("__challenge").asText()).startsWith("Bearer authorization=\"https://login.")
                .contains("resource=\"https://vault.azure.net\"");
        assertThat(fake.count(FakeKeyVaultServer.Operation.LIST_SECRETS)).isZero();
    }

    @Test
    void disabledSecretGetIsForbiddenWithSecretDisabled() throws Exception {
        fake.put("off", FakeSecretVersion.of("a1", "x", Instant.EPOCH).disabled());
        JsonNode served = get("/secrets/off?api-version=2025-07-01", true);
        assertThat(served.get("__status").asInt()).isEqualTo(403);
        assertThat(served.at("/error/code").asText()).isEqualTo("Forbidden");
        assertThat(served.at("/error/innererror/code").asText()).isEqualTo("SecretDisabled");
    }

    @Test
    void missingSecretIsSecretNotFound() throws Exception {
        JsonNode served = get("/secrets/nope?api-version=2025-07-01", true);
        assertThat(served.get("__status").asInt()).isEqualTo(404);
        assertThat(served.at("/error/code").asText()).isEqualTo("SecretNotFound");
    }

    @Test
    void everyFieldTheFakeWritesIsDeclaredInTheRestSpecification() throws Exception {
        JsonNode spec = JSON.readTree(TestData.path("akv/secrets.json").toFile());
        Set<String> declared = new TreeSet<>();
        for (String definition : List.of("SecretBundle", "SecretItem", "SecretListResult", "SecretAttributes",
                "KeyVaultError", "Error")) {
            spec.path("definitions").path(definition).path("properties").fieldNames().forEachRemaining(declared::add);
        }
        fake.put("full", FakeSecretVersion.of("a1", "x", Instant.EPOCH).withContentType("text/plain")
                .withTags(Map.of("k", "v")).expiringOn(Instant.ofEpochSecond(99)).notBefore(Instant.EPOCH));
        fake.put("off", FakeSecretVersion.of("b1", "y", Instant.EPOCH).disabled());
        Set<String> written = new TreeSet<>();
        for (String path : List.of("/secrets?api-version=1", "/secrets/full?api-version=1",
                "/secrets/full/versions?api-version=1", "/secrets/off?api-version=1", "/secrets/x?api-version=1")) {
            JsonNode node = get(path, true);
            ((ObjectNode) node).remove(List.of("__status", "__challenge"));
            collectFieldNames(node, written, false);
        }
        assertThat(declared).containsAll(written);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Field names, recursively, except inside {@code tags} (free-form keys). */
    private static void collectFieldNames(JsonNode node, Set<String> into, boolean insideTags) {
        if (node.isArray()) {
            node.forEach(child -> collectFieldNames(child, into, false));
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!insideTags) {
                into.add(field.getKey());
            }
            collectFieldNames(field.getValue(), into, "tags".equals(field.getKey()));
        }
    }
}
