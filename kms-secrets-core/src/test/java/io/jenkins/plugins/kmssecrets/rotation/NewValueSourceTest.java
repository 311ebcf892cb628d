package io.jenkins.plugins.kmssecrets.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewValueSourceTest {

    private static final String VALUE = "n3w-pa55word-never-print";

    @TempDir
    Path dir;

    private static SecureRandom seeded() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(42L);
        return random;
    }

    @Test
    void generatedValuesHaveTheLengthAndOnlyCharactersOfTheSet() throws Exception {
        for (String charset : NewValueSource.charsets().keySet()) {
            try (SecretValue value = NewValueSource.generate("length=64,charset=" + charset, seeded())) {
                assertThat(value.length()).isEqualTo(64);
                assertThat(value.asString().chars()).allMatch(c -> NewValueSource.charsets().get(charset)
                        .indexOf(c) >= 0);
            }
        }
        try (SecretValue value = NewValueSource.generate("length=32", seeded())) {
            assertThat(value.asString()).matches("[A-Za-z0-9]{32}");
        }
    }

    @Test
    void everyCharacterOfTheSetIsUsedAboutEquallyOften() throws Exception {
        Map<Character, Integer> counts = new HashMap<>();
        SecureRandom random = seeded();
        for (int i = 0; i < 200; i++) {
            try (SecretValue value = NewValueSource.generate("length=80,charset=hex", random)) {
                value.asString().chars().forEach(c -> counts.merge((char) c, 1, Integer::sum));
            }
        }
        // 16,000 draws over 16 characters: 1,000 expected each; a biased generator lands far outside 800..1,200.
        assertThat(counts).hasSize(16);
        assertThat(counts.values()).allMatch(n -> n > 800 && n < 1200);
    }

    @Test
    void badSpecificationsSayWhatIsWrongAndGiveAnExample() {
        assertThatThrownBy(() -> NewValueSource.generate("length=4", new SecureRandom()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("between 8 and 4096");
        assertThatThrownBy(() -> NewValueSource.generate("length=32,charset=emoji", new SecureRandom()))
                .hasMessageContaining("charset must be one of alnum, hex, base64url, printable");
        assertThatThrownBy(() -> NewValueSource.generate("size=32", new SecureRandom()))
                .hasMessageContaining("unknown key 'size'").hasMessageContaining("for example length=32");
    }

    @Test
    void standardInputLosesOneTrailingNewlineOnly() {
        try (SecretValue value = NewValueSource.fromStream(stream(VALUE + "\n"), "standard input")) {
            assertThat(value.asString()).isEqualTo(VALUE);
        }
        try (SecretValue value = NewValueSource.fromStream(stream("line1\nline2\n\n"), "standard input")) {
            assertThat(value.asString()).isEqualTo("line1\nline2\n");
        }
    }

    @Test
    void emptyOversizedAndMissingInputsAreRefusedWithoutContent() throws Exception {
        assertThatThrownBy(() -> NewValueSource.fromStream(stream("\n"), "standard input"))
                .hasMessage("standard input is empty; refusing to write an empty value");
        String big = VALUE.repeat(NewValueSource.MAX_BYTES / VALUE.length() + 1);
        assertThatThrownBy(() -> NewValueSource.fromStream(stream(big), "standard input"))
                .hasMessageContaining("more than 65536 bytes").message().doesNotContain(VALUE);
        assertThatThrownBy(() -> NewValueSource.fromFile(dir.resolve("absent")))
                .hasMessageEndingWith("absent: not a regular file");
        Path target = Files.writeString(dir.resolve("value.txt"), VALUE);
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThatThrownBy(() -> NewValueSource.fromFile(link)).hasMessageEndingWith("link: not a regular file");
        try (SecretValue value = NewValueSource.fromFile(target)) {
            assertThat(value.asString()).isEqualTo(VALUE);
            assertThat(value.toString()).isEqualTo("****");
        }
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
