package io.jenkins.plugins.kmssecrets.masking;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Property tests with fixed seeds (the seed is in every failure message): random secrets, random surrounding text,
 * random chunkings, checked against a naive reference masker that searches every form at every position.
 */
class SecretMaskerPropertyTest {

    private static final long BASE_SEED = 0x6b6d73L;
    private static final String[] PIECES = {
        "a", "b", "z", "Q", "0", "7", "-", "_", ".", "/", "+", "=", " ", "\n", "\r\n", "\t", "'", "\"", "\\", "$", "`",
        "(", ")", "[", "]", "{", "}", "^", "|", "?", "%", "&", "é", "ß", "€", "ж", "😀", "中", "\u0000", "\u001b",
    };

    /** A random secret: mixed alphabet, sometimes multi-line, never containing '*' (the mask is made of it). */
    private static String randomSecret(Random random) {
        int kind = random.nextInt(4);
        int length = 1 + random.nextInt(kind == 0 ? 40 : 14);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (kind == 1 && i > 0 && random.nextInt(6) == 0) {
                sb.append('\n');
            }
            sb.append(PIECES[random.nextInt(PIECES.length)]);
            if (random.nextBoolean()) {
                sb.append((char) ('a' + random.nextInt(26)));
            }
        }
        return sb.toString();
    }

    private static Map<String, String> randomSecrets(Random random) {
        Map<String, String> secrets = new LinkedHashMap<>();
        int count = 1 + random.nextInt(8);
        for (int i = 0; i < count; i++) {
            String value = randomSecret(random);
            if (i > 0 && random.nextInt(3) == 0) {
                // a prefix or extension of an earlier secret
                String earlier = secrets.values().iterator().next();
                value = random.nextBoolean() ? earlier + value : earlier.substring(0, Math.max(1, earlier.length() / 2));
            }
            // Cutting may split a surrogate pair; keep what a SecretValue would hold.
            secrets.put("SECRET_" + i, new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
        return secrets;
    }

    private static List<byte[]> formsOf(Map<String, String> secrets) {
        List<byte[]> forms = new ArrayList<>();
        for (String value : secrets.values()) {
            if (value.codePointCount(0, value.length()) >= SecretForms.MIN_SECRET_CHARS) {
                forms.addAll(SecretForms.of(value.getBytes(StandardCharsets.UTF_8), value, StandardCharsets.UTF_8));
            }
        }
        return forms;
    }

    /** Random text with forms of the secrets (and pieces of them) sprinkled in. */
    private static byte[] randomInput(Random random, List<byte[]> forms) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int parts = random.nextInt(random.nextInt(8) == 0 ? 600 : 60);
        for (int i = 0; i < parts; i++) {
            int choice = random.nextInt(10);
            if (choice < 2 && !forms.isEmpty()) {
                text.writeBytes(forms.get(random.nextInt(forms.size())));
            } else if (choice < 4 && !forms.isEmpty()) {
                byte[] form = forms.get(random.nextInt(forms.size()));
                int from = random.nextInt(form.length);
                text.write(form, from, random.nextInt(form.length - from + 1));
            } else {
                text.writeBytes(PIECES[random.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
        return text.toByteArray();
    }

    /** The specification: mask the union of all occurrences of all forms, one mask per merged range. */
    private static byte[] reference(byte[] input, List<byte[]> forms) {
        boolean[] covered = new boolean[input.length];
        boolean[] startsRange = new boolean[input.length];
        List<int[]> ranges = new ArrayList<>();
        for (byte[] form : forms) {
            for (int i = 0; i + form.length <= input.length; i++) {
                if (Arrays.equals(input, i, i + form.length, form, 0, form.length)) {
                    ranges.add(new int[] {i, i + form.length - 1});
                }
            }
        }
        ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
        int end = -1;
        for (int[] range : ranges) {
            if (range[0] > end) {
                startsRange[range[0]] = true;
            }
            for (int i = range[0]; i <= range[1]; i++) {
                covered[i] = true;
            }
            end = Math.max(end, range[1]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < input.length; i++) {
            if (startsRange[i]) {
                out.writeBytes(SecretMasker.MASK.getBytes(StandardCharsets.US_ASCII));
            }
            if (!covered[i]) {
                out.write(input[i]);
            }
        }
        return out.toByteArray();
    }

    private static byte[] maskInRandomChunks(SecretMasker masker, byte[] input, Random random) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = masker.wrap(sink)) {
            int at = 0;
            while (at < input.length) {
                int size = Math.min(input.length - at, switch (random.nextInt(6)) {
                    case 0 -> 1;
                    case 1 -> 1 + random.nextInt(500);
                    default -> 1 + random.nextInt(40);
                });
                if (size == 1 && random.nextBoolean()) {
                    out.write(input[at]);
                } else {
                    out.write(input, at, size);
                }
                if (random.nextInt(5) == 0) {
                    out.flush();
                }
                at += size;
            }
        }
        return sink.toByteArray();
    }

    private static SecretMasker compile(Map<String, String> secrets) {
        Map<String, SecretValue> values = new LinkedHashMap<>();
        secrets.forEach((name, value) -> values.put(name, SecretValue.ofString(value)));
        return SecretMasker.compile(values);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    @RepeatedTest(300)
    void outputEqualsUnionOfAllFormOccurrencesMaskedWhateverTheChunking(RepetitionInfo repetition) throws IOException {
        long seed = BASE_SEED + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        Map<String, String> secrets = randomSecrets(random);
        List<byte[]> forms = formsOf(secrets);
        SecretMasker masker = compile(secrets);
        for (int round = 0; round < 5; round++) {
            byte[] input = randomInput(random, forms);
            byte[] expected = reference(input, forms);
            assertThat(masker.mask(input)).as("seed %d round %d, in one write", seed, round).isEqualTo(expected);
            assertThat(maskInRandomChunks(masker, input, random)).as("seed %d round %d, chunked", seed, round)
                    .isEqualTo(expected);
        }
    }

    @RepeatedTest(300)
    void outputContainsNoRegisteredForm(RepetitionInfo repetition) throws IOException {
        long seed = BASE_SEED * 31 + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        Map<String, String> secrets = randomSecrets(random);
        List<byte[]> forms = formsOf(secrets);
        SecretMasker masker = compile(secrets);
        byte[] output = maskInRandomChunks(masker, randomInput(random, forms), random);
        for (byte[] form : forms) {
            assertThat(contains(output, form)).as("seed %d: output contains a form", seed).isFalse();
        }
    }

    @RepeatedTest(200)
    void textOverlappingNoFormIsUnchangedByteForByte(RepetitionInfo repetition) throws IOException {
        long seed = BASE_SEED * 17 + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        Map<String, String> secrets = randomSecrets(random);
        List<byte[]> forms = formsOf(secrets);
        SecretMasker masker = compile(secrets);
        byte[] input = randomInput(random, List.of()); // surrounding text only
        if (!Arrays.equals(reference(input, forms), input)) {
            return; // the random text happens to contain a form; covered by the reference property
        }
        assertThat(maskInRandomChunks(masker, input, random)).as("seed %d", seed).isEqualTo(input);
    }

    @RepeatedTest(100)
    void holdsBackFewerBytesThanTheLongestForm(RepetitionInfo repetition) throws IOException {
        long seed = BASE_SEED * 13 + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        Map<String, String> secrets = randomSecrets(random);
        List<byte[]> forms = formsOf(secrets);
        int longest = forms.stream().mapToInt(f -> f.length).max().orElse(0);
        SecretMasker masker = compile(secrets);
        byte[] input = randomInput(random, forms);
        if (!Arrays.equals(reference(input, forms), input)) {
            return; // masking shortens output, so the byte count below only applies to unmasked text
        }
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = masker.wrap(sink);
        for (int at = 0; at < input.length; at++) {
            out.write(input[at]);
            assertThat(sink.size()).as("seed %d after %d bytes", seed, at + 1)
                    .isGreaterThanOrEqualTo(at + 1 - Math.max(0, longest - 1));
        }
    }
}
