package io.jenkins.plugins.kmssecrets.store.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPathTest {

    @Test
    void dottedKeysAndIndicesParse() {
        assertThat(KeyPath.parse("phoneNumbers[1].number")).containsExactly("phoneNumbers", 1, "number");
        assertThat(KeyPath.parse("a[0][2]")).containsExactly("a", 0, 2);
    }

    @Test
    void percentEscapesDecodeAsUtf8() {
        assertThat(KeyPath.parse("my%2Ekey.caf%C3%A9")).containsExactly("my.key", "café");
    }

    @Test
    void ambiguousCharactersAreEscapedWhenFormatting() {
        assertThat(KeyPath.format(List.of("a.b", "c d", "x[1]", "100%", "@#"))).isEqualTo(
                "a%2Eb.c%20d.x%5B1%5D.100%25.%40%23");
    }

    @ParameterizedTest
    @ValueSource(strings = {".a", "a.", "a..b", "a[", "a[-1]", "a[]", "a]b", "a%2", "a%zz", "[0]", "a[0]b"})
    void malformedNamesAreRefused(String name) {
        assertThatThrownBy(() -> KeyPath.parse(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @RepeatedTest(50)
    void formatAndParseAreInverses(RepetitionInfo repetition) {
        long seed = 42L + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        List<Object> address = new ArrayList<>();
        String alphabet = "ab.[]%@# \t:é😀_-";
        for (int i = 0; i < 1 + random.nextInt(5); i++) {
            StringBuilder key = new StringBuilder();
            for (int j = 0; j < 1 + random.nextInt(6); j++) {
                key.appendCodePoint(alphabet.codePoints().toArray()[random.nextInt(
                        (int) alphabet.codePoints().count())]);
            }
            address.add(key.toString());
            while (random.nextInt(3) == 0) {
                address.add(random.nextInt(20));
            }
        }
        String name = KeyPath.format(address);
        assertThat(KeyPath.parse(name)).as("seed %d: %s", seed, name).isEqualTo(address);
        assertThat(name).as("seed %d", seed).doesNotContain(" ", "\t", "@", "#");
    }
}
