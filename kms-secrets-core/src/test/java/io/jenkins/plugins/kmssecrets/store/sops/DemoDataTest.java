package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.SopsTestWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The committed demo ({@code examples/demo}) decrypts with its demo key to the values below and passes MAC
 * verification. {@link #regenerateDemoFile()} rewrites the file:
 * {@code ./mvnw -B -q -pl kms-secrets-core test -Dtest=DemoDataTest -Dkms.regenerateDemo=true}.
 */
class DemoDataTest {

    static final Path DEMO = Path.of("..", "examples", "demo");
    static final String CERTIFICATE = """
            -----BEGIN CERTIFICATE-----
            REVNTyBPTkxZIC0gbm90IGEgcmVhbCBjZXJ0aWZpY2F0ZS4gVGhpcyBtdWx0aS1s
            aW5lIHZhbHVlIHNob3dzIGhvdyBrbXMtc2VjcmV0cyBrZWVwcyBuZXdsaW5lcy4=
            -----END CERTIFICATE-----
            """;

    static Map<String, Object> demoValues() {
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("token", "demo-api-token-5f3a9c1e");
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("user", "demo");
        db.put("password", "demo-db-password-Kq7!x2");
        db.put("port", 5432);
        Map<String, Object> tls = new LinkedHashMap<>();
        tls.put("certificate", CERTIFICATE);
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("api", api);
        tree.put("db", db);
        tree.put("greeting", "Hello from the kms-secrets demo");
        tree.put("tls", tls);
        tree.put("environment_unencrypted", "demo");
        return tree;
    }

    private static SopsStore demoStore() {
        StoreContext context = new StoreContext(Map.of(), DEMO, Clock.systemUTC());
        return new SopsStore("local", DEMO.resolve("secrets.enc.yaml"), DEMO.resolve("demo-age-key.txt"),
                "examples/demo/secrets.enc.yaml", context);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"api.token,demo-api-token-5f3a9c1e", "db.user,demo", "db.password,demo-db-password-Kq7!x2",
            "db.port,5432", "greeting,Hello from the kms-secrets demo"})
    void demoFileDecryptsWithTheDemoKey(String name, String expected) {
        try (SecretValue value = demoStore().fetch(SecretReference.parse("local:" + name))) {
            assertThat(value.asString()).isEqualTo(expected);
        }
    }

    @Test
    void demoMultiLineValueKeepsItsNewlines() {
        try (SecretValue value = demoStore().fetch(SecretReference.parse("local:tls.certificate"))) {
            assertThat(value.asString()).isEqualTo(CERTIFICATE);
        }
    }

    @Test
    void demoKeyIsMarkedDemoOnly() throws Exception {
        assertThat(Files.readAllLines(DEMO.resolve("demo-age-key.txt")).get(0))
                .isEqualTo("# DEMO ONLY - never use this key for real secrets");
    }

    @Test
    void demoFileEncryptsEverySecretAndListsWithoutAKey() throws Exception {
        String text = Files.readString(DEMO.resolve("secrets.enc.yaml"));
        for (String plaintext : List.of("demo-api-token", "demo-db-password", "Hello from", "REVNTyBPTkxZ")) {
            assertThat(text).doesNotContain(plaintext);
        }
        SopsStore store = new SopsStore("local", DEMO.resolve("secrets.enc.yaml"),
                new StoreContext(Map.of(), DEMO, Clock.systemUTC()));
        assertThat(store.list()).extracting(SecretMetadata::name).containsExactly("api.token", "db.user",
                "db.password", "db.port", "greeting", "tls.certificate");
    }

    @Test
    void demoClearValueIsNoSecret() {
        assertThatThrownBy(() -> demoStore().fetch(SecretReference.parse("local:environment_unencrypted")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("so it is not a secret");
    }

    @Test
    @EnabledIfSystemProperty(named = "kms.regenerateDemo", matches = "true")
    void regenerateDemoFile() throws Exception {
        String publicKey = Files.readAllLines(DEMO.resolve("demo-age-key.txt")).stream()
                .filter(line -> line.startsWith("# public key: ")).findFirst().orElseThrow()
                .substring("# public key: ".length()).trim();
        String yaml = new SopsTestWriter().recipient(publicKey).yaml(demoValues());
        Path target = DEMO.resolve("secrets.enc.yaml");
        Path temp = Files.createTempFile(DEMO, "secrets", ".tmp");
        Files.writeString(temp, yaml);
        Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
