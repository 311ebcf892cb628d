package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.SopsTestWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files from the independent test writer read back through the store, for every rule and both formats. */
class SopsTestWriterRoundTripTest {

    private static final long SEED = 0x5095L;

    @TempDir
    static Path dir;

    static String publicKey;
    static StoreContext context;

    @BeforeAll
    static void identity() throws Exception {
        KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
        publicKey = pair.getPublic().toString();
        Path keys = dir.resolve("keys.txt");
        Files.writeString(keys, "# test key\n" + new String(pair.getPrivate().getEncoded(),
                java.nio.charset.StandardCharsets.US_ASCII) + "\n");
        context = new StoreContext(Map.of("SOPS_AGE_KEY_FILE", keys.toString()), dir, Clock.systemUTC());
    }

    private static String fetch(Path file, String name) {
        // Clear values too: these round trips pin sops' rules and MAC, which cover every value of the file.
        try (SecretValue value = new SopsStore("t", file, context).fetchIncludingClearValues(
                SecretReference.parse("t:" + name))) {
            return value.asString();
        }
    }

    private static Map<String, Object> sample() {
        Map<String, Object> db = new LinkedHashMap<>();
        db.put("password", "p@ss: word # not a comment");
        db.put("port", 5432);
        db.put("ratio", 0.25);
        db.put("enabled", true);
        db.put("note_unencrypted", "plain text");
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("db", db);
        tree.put("list", List.of("a", "b", Map.of("inner", "c")));
        tree.put("multi", "line one\nline two\n");
        tree.put("dotted.key", "dots");
        tree.put("empty", "");
        tree.put("nothing", null);
        return tree;
    }

    @Test
    void yamlWithDefaultRuleReadsBack() throws Exception {
        Path file = dir.resolve("default.enc.yaml");
        Files.writeString(file, new SopsTestWriter().recipient(publicKey).yaml(sample()));
        assertThat(fetch(file, "db.password")).isEqualTo("p@ss: word # not a comment");
        assertThat(fetch(file, "db.port")).isEqualTo("5432");
        assertThat(fetch(file, "db.ratio")).isEqualTo("0.25");
        assertThat(fetch(file, "db.enabled")).isEqualTo("true");
        assertThat(fetch(file, "db.note_unencrypted")).isEqualTo("plain text");
        assertThat(fetch(file, "list[2].inner")).isEqualTo("c");
        assertThat(fetch(file, "multi")).isEqualTo("line one\nline two\n");
        assertThat(fetch(file, "dotted%2Ekey")).isEqualTo("dots");
        assertThat(fetch(file, "empty")).isEmpty();
    }

    @Test
    void jsonWithDefaultRuleReadsBack() throws Exception {
        Path file = dir.resolve("default.enc.json");
        Files.writeString(file, new SopsTestWriter().recipient(publicKey).json(sample()));
        assertThat(fetch(file, "db.password")).isEqualTo("p@ss: word # not a comment");
        assertThat(fetch(file, "db.ratio")).isEqualTo("0.25");
        assertThat(fetch(file, "list")).isEqualTo("[\"a\",\"b\",{\"inner\":\"c\"}]");
    }

    @Test
    void macOnlyEncryptedFileReadsBack() throws Exception {
        Path file = dir.resolve("maconly.enc.yaml");
        Files.writeString(file, new SopsTestWriter().recipient(publicKey).macOnlyEncrypted(true).yaml(sample()));
        assertThat(fetch(file, "db.password")).isEqualTo("p@ss: word # not a comment");
    }

    @Test
    void macOnlyEncryptedFileAllowsEditingPlaintextValues() throws Exception {
        Path file = dir.resolve("maconly-edited.enc.yaml");
        String text = new SopsTestWriter().recipient(publicKey).macOnlyEncrypted(true).yaml(sample());
        Files.writeString(file, text.replace("plain text", "edited text"));
        assertThat(fetch(file, "db.note_unencrypted")).isEqualTo("edited text");
    }

    @Test
    void encryptedRegexLeavesOtherValuesPlainAndListsOnlyTheEncryptedOnes() throws Exception {
        Path file = dir.resolve("regex.enc.yaml");
        Files.writeString(file, new SopsTestWriter().recipient(publicKey).rule("encrypted_regex", "^(password|list)$")
                .yaml(sample()));
        assertThat(Files.readString(file)).contains("port: 5432");
        assertThat(fetch(file, "db.password")).isEqualTo("p@ss: word # not a comment");
        assertThat(fetch(file, "db.port")).isEqualTo("5432");
        Map<String, String> encrypted = new LinkedHashMap<>();
        for (SecretMetadata m : new SopsStore("t", file, context).list()) {
            encrypted.put(m.name(), m.tags().get("encrypted"));
        }
        assertThat(encrypted).containsEntry("db.password", "true").containsEntry("list[2].inner", "true")
                .doesNotContainKeys("db.port", "multi").containsValues("true").doesNotContainValue("false");
    }

    @Test
    void unencryptedRegexAndEncryptedSuffixReadBack() throws Exception {
        Path a = dir.resolve("unregex.enc.json");
        Files.writeString(a, new SopsTestWriter().recipient(publicKey).rule("unencrypted_regex", "^port$")
                .json(sample()));
        assertThat(fetch(a, "db.port")).isEqualTo("5432");
        assertThat(Files.readString(a)).contains("\"port\" : 5432");
        Path b = dir.resolve("suffix.enc.yaml");
        Files.writeString(b, new SopsTestWriter().recipient(publicKey).rule("encrypted_suffix", "word")
                .yaml(sample()));
        assertThat(fetch(b, "db.password")).isEqualTo("p@ss: word # not a comment");
        assertThat(Files.readString(b)).contains("port: 5432");
    }

    private static Map<String, Object> typedPlaintext() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("port", 8080);
        settings.put("ratio", 1.5);
        settings.put("big", 1.0e10);
        settings.put("enabled", true);
        settings.put("nothing", null);
        settings.put("when", "2024-01-02T03:04:05Z");
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("settings_unencrypted", settings);
        tree.put("secret", "s3cret");
        return tree;
    }

    @Test
    void unencryptedTypedYamlValuesAreHashedAsSopsHashesThem() throws Exception {
        Path file = dir.resolve("typed.enc.yaml");
        Files.writeString(file, new SopsTestWriter().recipient(publicKey).yaml(typedPlaintext()));
        assertThat(Files.readString(file)).contains("big: 1.0E10", "enabled: true", "port: 8080");
        assertThat(fetch(file, "secret")).isEqualTo("s3cret");
        assertThat(fetch(file, "settings_unencrypted.big")).isEqualTo("10000000000");
        assertThat(fetch(file, "settings_unencrypted.enabled")).isEqualTo("true");
        assertThat(fetch(file, "settings_unencrypted")).isEqualTo("{\"port\":8080,\"ratio\":1.5,"
                + "\"big\":10000000000,\"enabled\":true,\"nothing\":null,\"when\":\"2024-01-02T03:04:05Z\"}");
    }

    @Test
    void unencryptedTypedJsonValuesAreHashedAsSopsHashesThem() throws Exception {
        Path file = dir.resolve("typed.enc.json");
        Files.writeString(file, new SopsTestWriter().recipient(publicKey).json(typedPlaintext()));
        assertThat(fetch(file, "secret")).isEqualTo("s3cret");
        assertThat(fetch(file, "settings_unencrypted.ratio")).isEqualTo("1.5");
    }

    @Test
    void propertySelectsAFieldOfAJsonStringValue() throws Exception {
        Path file = dir.resolve("json-value.enc.yaml");
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("credentials", "{\"user\": \"app\", \"password\": \"pw-123\", \"port\": 5432}");
        Files.writeString(file, new SopsTestWriter().recipient(publicKey).yaml(tree));
        assertThat(fetch(file, "credentials#password")).isEqualTo("pw-123");
        assertThat(fetch(file, "credentials#port")).isEqualTo("5432");
    }

    @Test
    void concurrentFetchesAllReturnTheirOwnValue() throws Exception {
        Path file = dir.resolve("concurrent.enc.yaml");
        Map<String, Object> tree = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            tree.put("key" + i, "value-" + i);
        }
        Files.writeString(file, new SopsTestWriter().recipient(publicKey).yaml(tree));
        SopsStore store = new SopsStore("t", file, context);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 8; i++) {
                    int n = i;
                    results.add(pool.submit(() -> {
                        try (SecretValue value = store.fetch(SecretReference.parse("t:key" + n))) {
                            return value.asString().equals("value-" + n);
                        }
                    }));
                }
            }
            int correct = 0;
            for (java.util.concurrent.Future<Boolean> result : results) {
                correct += result.get() ? 1 : 0;
            }
            assertThat(correct).isEqualTo(40);
        } finally {
            pool.shutdownNow();
        }
    }

    @RepeatedTest(20)
    void randomTreesReadBackExactly(RepetitionInfo repetition) throws Exception {
        long seed = SEED + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        Map<String, Object> tree = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(8); i++) {
            String key = "k" + i + (random.nextBoolean() ? "_unencrypted" : "");
            String value = randomText(random);
            if (random.nextBoolean()) {
                tree.put(key, Map.of("leaf", value));
                names.add(key + ".leaf");
            } else {
                tree.put(key, value);
                names.add(key);
            }
            values.add(value);
        }
        Path file = dir.resolve("random-" + seed + (random.nextBoolean() ? ".enc.yaml" : ".enc.json"));
        SopsTestWriter writer = new SopsTestWriter().recipient(publicKey);
        Files.writeString(file, file.toString().endsWith("json") ? writer.json(tree) : writer.yaml(tree));
        for (int i = 0; i < names.size(); i++) {
            assertThat(fetch(file, names.get(i))).as("seed %d, %s", seed, names.get(i)).isEqualTo(values.get(i));
        }
    }

    private static String randomText(Random random) {
        String alphabet = "abcXYZ019 :#-'\"\\\n\tå€😀{}[],&*!|>%@";
        StringBuilder sb = new StringBuilder();
        int length = 1 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            int cp = alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(
                    alphabet.codePointCount(0, alphabet.length()))));
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }
}
