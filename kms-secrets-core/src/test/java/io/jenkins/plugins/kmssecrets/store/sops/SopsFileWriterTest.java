package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The starter file {@code kms-secrets init} writes, read back by the store and, when installed, by {@code age}. */
class SopsFileWriterTest {

    static final Map<String, String> VALUES = new LinkedHashMap<>(Map.of("api-token", "dev-token-b7e21c90"));

    static {
        VALUES.put("db-password", "dev-password-4f0a1d77");
    }

    @TempDir
    Path dir;

    private Path keyFile(AgeKeyPair pair) throws IOException {
        Path key = dir.resolve("age.key");
        Files.write(key, pair.keyFile("2026-12-04T13:00:00Z"));
        return key;
    }

    private SopsStore store(Path file, Path key) {
        return new SopsStore("dev", file, key, file.getFileName().toString(),
                new StoreContext(Map.of(), dir, Clock.systemUTC()));
    }

    @Test
    void theStoreDecryptsWhatTheWriterEncryptedForAGeneratedKey() throws Exception {
        try (AgeKeyPair pair = AgeKeyPair.generate()) {
            Path key = keyFile(pair);
            String yaml = SopsFileWriter.yaml(VALUES, List.of(pair.recipient()), Instant.parse("2026-12-04T13:00:00Z"));
            Path file = dir.resolve("dev.enc.yaml");
            Files.writeString(file, yaml);

            assertThat(yaml).doesNotContain("dev-token-b7e21c90").doesNotContain("dev-password-4f0a1d77")
                    .contains("recipient: " + pair.recipient()).contains("lastmodified: \"2026-12-04T13:00:00Z\"");
            assertThat(pair.toString()).doesNotContain("AGE-SECRET-KEY");
            try (SopsStore store = store(file, key)) {
                for (Map.Entry<String, String> entry : VALUES.entrySet()) {
                    try (SecretValue value = store.fetch(SecretReference.parse("dev:" + entry.getKey()))) {
                        assertThat(value.asString()).isEqualTo(entry.getValue());
                    }
                }
            }
        }
    }

    @Test
    void theMacCoversEveryValue() throws Exception {
        try (AgeKeyPair pair = AgeKeyPair.generate()) {
            Path key = keyFile(pair);
            String yaml = SopsFileWriter.yaml(VALUES, List.of(pair.recipient()), Instant.now());
            String other = SopsFileWriter.yaml(VALUES, List.of(pair.recipient()), Instant.now());
            // the db-password line of another encryption: a valid value under another data key
            String swapped = yaml.replaceFirst("db-password: .*\n",
                    other.lines().filter(l -> l.startsWith("db-password:")).findFirst().orElseThrow() + "\n");
            Path file = dir.resolve("tampered.enc.yaml");
            Files.writeString(file, swapped);
            try (SopsStore store = store(file, key)) {
                assertThatThrownBy(() -> store.fetch(SecretReference.parse("dev:api-token")))
                        .isInstanceOf(SecretStoreException.class);
            }
        }
    }

    @Test
    void keyFileHasTheAgeKeygenLayout() {
        try (AgeKeyPair pair = AgeKeyPair.generate()) {
            String text = new String(pair.keyFile("2026-12-04T13:00:00Z"), StandardCharsets.US_ASCII);
            assertThat(text).matches("# created: 2026-12-04T13:00:00Z\n# public key: age1[02-9ac-hj-np-z]{58}\n"
                    + "AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}\n");
            assertThat(AgeKeyPair.generate().recipient()).isNotEqualTo(pair.recipient());
        }
    }

    @Test
    void refusesKeysThatNeedQuotingAndEmptyValues() {
        try (AgeKeyPair pair = AgeKeyPair.generate()) {
            List<String> to = List.of(pair.recipient());
            assertThatThrownBy(() -> SopsFileWriter.yaml(Map.of("a: b", "x"), to, Instant.now()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("x\"");
            assertThatThrownBy(() -> SopsFileWriter.yaml(Map.of("a", ""), to, Instant.now()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SopsFileWriter.yaml(Map.of("a", "b"), List.of(), Instant.now()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The reference implementation derives the same recipient and opens the wrapped data key. */
    @Test
    void ageAgreesWithTheGeneratedKeyAndTheWrappedDataKey() throws Exception {
        assumeTrue(runs("age", "--version"), "the age binaries are not on the PATH (apt-get install age)");
        try (AgeKeyPair pair = AgeKeyPair.generate()) {
            Path key = keyFile(pair);
            assertThat(run(new byte[0], "age-keygen", "-y", key.toString()).trim()).isEqualTo(pair.recipient());
            String yaml = SopsFileWriter.yaml(VALUES, List.of(pair.recipient()), Instant.now());
            Matcher armour = Pattern.compile("(-----BEGIN AGE ENCRYPTED FILE-----.*?-----END AGE ENCRYPTED FILE-----)",
                    Pattern.DOTALL).matcher(yaml);
            assertThat(armour.find()).isTrue();
            String armoured = armour.group(1).replaceAll("\n\\s+", "\n") + "\n";
            byte[] dataKey = run(armoured.getBytes(StandardCharsets.US_ASCII), "age", "-d", "-i", key.toString())
                    .getBytes(StandardCharsets.ISO_8859_1);
            assertThat(dataKey).hasSize(32);
        }
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String run(byte[] stdin, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = process.getOutputStream()) {
            in.write(stdin);
        }
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit code of %s", List.of(command)).isZero();
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
