package io.jenkins.plugins.kmssecrets.masking;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * The stride-sampled matcher against the Aho–Corasick automaton it replaced ({@link AhoCorasickOracle}, kept in test
 * sources unchanged): same secrets, same forms, random text full of forms and near-misses, each side cut into its own
 * random chunks. The outputs must be identical byte for byte, so the new matcher finds every form the old one found
 * and masks nothing it did not. Seeds are fixed and printed in every failure message.
 */
class MatcherDifferentialTest {

    private static final long BASE_SEED = 0x64696666L;
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String PUNCT = "!#%&()*+,-./:;<=>?@[]^_{|}~\"'\\$` ";
    private static final String[] PIECES = {
        "a", "b", "z", "Q", "0", "7", "-", "_", ".", "/", "+", "=", " ", "\n", "\r\n", "\t", "'", "\"", "\\", "$", "`",
        "%", "&", "é", "€", "ж", "😀", "\u0000", "\u001b", "[INFO] ", "Downloading ", "https://repo/", "0a", "5f", "4",
    };
    private static final Charset[] RUN_CHARSETS = {
        StandardCharsets.UTF_8, StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, Charset.forName("windows-1252"),
        StandardCharsets.UTF_16LE,
    };

    private static String chars(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Tokens, passwords, base64 keys, PEM-like and unicode multi-line values, 3- to 10-character secrets, binary. */
    private static SecretValue randomSecret(Random random, List<byte[]> earlier) {
        int kind = random.nextInt(10);
        if (kind == 0 && !earlier.isEmpty()) {
            // a prefix, an extension or a piece of an earlier secret: nested and overlapping forms
            byte[] other = earlier.get(random.nextInt(earlier.size()));
            String text = new String(other, StandardCharsets.UTF_8);
            String value = switch (random.nextInt(3)) {
                case 0 -> text.substring(0, Math.max(1, random.nextInt(text.length() + 1)));
                case 1 -> text + chars(random, ALNUM, 1 + random.nextInt(6));
                default -> text.substring(random.nextInt(Math.max(1, text.length() - 3)));
            };
            return SecretValue.ofString(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
        return switch (kind) {
            case 1, 2 -> SecretValue.ofString(new String[] {"ghp_", "xoxb-", "AKIA", "sk_live_", ""}[random.nextInt(5)]
                    + chars(random, ALNUM, 8 + random.nextInt(30)));
            case 3 -> SecretValue.ofString(chars(random, ALNUM + PUNCT, 3 + random.nextInt(8)));
            case 4 -> SecretValue.ofString(chars(random, ALNUM + PUNCT, 11 + random.nextInt(20)));
            case 5 -> {
                byte[] key = new byte[1 + random.nextInt(40)];
                random.nextBytes(key);
                yield SecretValue.ofString(Base64.getEncoder().encodeToString(key));
            }
            case 6 -> {
                byte[] der = new byte[20 + random.nextInt(100)];
                random.nextBytes(der);
                yield SecretValue.ofString("-----BEGIN KEY-----\n"
                        + Base64.getMimeEncoder(16 + random.nextInt(48), new byte[] {'\n'}).encodeToString(der)
                        + "\n-----END KEY-----\n");
            }
            case 7 -> {
                StringBuilder sb = new StringBuilder();
                int pieces = 1 + random.nextInt(12);
                for (int i = 0; i < pieces; i++) {
                    sb.append(PIECES[random.nextInt(PIECES.length)]);
                }
                yield SecretValue.ofString(new String(sb.toString().getBytes(StandardCharsets.UTF_8),
                        StandardCharsets.UTF_8));
            }
            case 8 -> {
                byte[] binary = new byte[2 + random.nextInt(20)];
                random.nextBytes(binary);
                yield SecretValue.ofBytes(binary);
            }
            default -> SecretValue.ofString("aaaa" + chars(random, "ab", random.nextInt(14)));
        };
    }

    private static Map<String, SecretValue> randomSecrets(Random random, int count) {
        Map<String, SecretValue> secrets = new LinkedHashMap<>();
        List<byte[]> earlier = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SecretValue value = randomSecret(random, earlier);
            earlier.add(value.bytes());
            secrets.put("SECRET_" + i, value);
        }
        return secrets;
    }

    /** The forms {@link SecretMasker#compile(Map, Charset)} registers, distinct. */
    private static List<byte[]> formsOf(Map<String, SecretValue> secrets, Charset runCharset) {
        Set<String> seen = new HashSet<>();
        List<byte[]> forms = new ArrayList<>();
        for (SecretValue value : secrets.values()) {
            byte[] bytes = value.bytes();
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                text = null;
            }
            int length = text == null ? bytes.length : text.codePointCount(0, text.length());
            if (length < SecretForms.MIN_SECRET_CHARS) {
                continue;
            }
            for (byte[] form : SecretForms.of(bytes, text, runCharset)) {
                if (seen.add(new String(form, StandardCharsets.ISO_8859_1))) {
                    forms.add(form);
                }
            }
        }
        return forms;
    }

    /** Text made of log-like pieces, whole forms, cut forms, forms with one byte changed, and random bytes. */
    private static byte[] randomInput(Random random, List<byte[]> forms, int parts) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int i = 0; i < parts; i++) {
            int choice = random.nextInt(20);
            byte[] form = forms.isEmpty() ? new byte[] {'x'} : forms.get(random.nextInt(forms.size()));
            if (choice < 3) {
                text.writeBytes(form);
            } else if (choice < 6) {
                int from = random.nextInt(form.length);
                text.write(form, from, random.nextInt(form.length - from + 1));
            } else if (choice < 8) {
                byte[] changed = form.clone();
                changed[random.nextInt(changed.length)] ^= (byte) (1 + random.nextInt(255));
                text.writeBytes(changed);
            } else if (choice < 9) {
                byte[] noise = new byte[random.nextInt(12)];
                random.nextBytes(noise);
                text.writeBytes(noise);
            } else {
                text.writeBytes(PIECES[random.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
            }
        }
        return text.toByteArray();
    }

    private static byte[] writeInRandomChunks(OutputStream out, ByteArrayOutputStream sink, byte[] input, Random random)
            throws IOException {
        try (out) {
            int at = 0;
            while (at < input.length) {
                int size = Math.min(input.length - at, switch (random.nextInt(8)) {
                    case 0 -> 1;
                    case 1 -> 2 + random.nextInt(8);
                    case 2 -> 8192;
                    case 3 -> 1 + random.nextInt(3000);
                    default -> 1 + random.nextInt(60);
                });
                if (size == 1 && random.nextBoolean()) {
                    out.write(input[at]);
                } else {
                    // a copy with junk around it: the stream must read only b[off, off + len)
                    byte[] padded = new byte[size + 7];
                    Arrays.fill(padded, (byte) 'Z');
                    System.arraycopy(input, at, padded, 3, size);
                    out.write(padded, 3, size);
                }
                if (random.nextInt(7) == 0) {
                    out.flush();
                }
                at += size;
            }
        }
        return sink.toByteArray();
    }

    private static byte[] oracle(List<byte[]> forms, byte[] input, Random random) throws IOException {
        List<byte[]> copies = new ArrayList<>();
        for (byte[] form : forms) {
            copies.add(form.clone()); // the automaton wipes what it is given
        }
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = new AhoCorasickOracleStream(new AhoCorasickOracle(copies), sink,
                SecretMasker.MASK.getBytes(StandardCharsets.US_ASCII));
        return writeInRandomChunks(out, sink, input, random);
    }

    private static byte[] masked(SecretMasker masker, byte[] input, Random random) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        return writeInRandomChunks(masker.wrap(sink), sink, input, random);
    }

    @RepeatedTest(400)
    void masksExactlyWhatTheAhoCorasickMaskerMasked(RepetitionInfo repetition) throws IOException {
        long seed = BASE_SEED + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        int count = random.nextInt(10) == 0 ? 100 + random.nextInt(400) : 1 + random.nextInt(12);
        Map<String, SecretValue> secrets = randomSecrets(random, count);
        Charset runCharset = RUN_CHARSETS[random.nextInt(RUN_CHARSETS.length)];
        List<byte[]> forms = formsOf(secrets, runCharset);
        SecretMasker masker = SecretMasker.compile(secrets, runCharset);
        assertThat(masker.formCount()).as("seed %d", seed).isEqualTo(forms.size());
        for (int round = 0; round < 4; round++) {
            byte[] input = randomInput(random, forms, random.nextInt(8) == 0 ? 3000 : 120);
            byte[] expected = oracle(forms, input, random);
            assertThat(masked(masker, input, random)).as("seed %d round %d", seed, round).isEqualTo(expected);
            assertThat(masker.mask(input)).as("seed %d round %d, one write", seed, round).isEqualTo(expected);
        }
    }

    @RepeatedTest(3)
    void masksExactlyWhatTheAhoCorasickMaskerMaskedAmongThousandsOfSecrets(RepetitionInfo repetition)
            throws IOException {
        long seed = BASE_SEED * 7 + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        Map<String, SecretValue> secrets = randomSecrets(random, 3000);
        List<byte[]> forms = formsOf(secrets, StandardCharsets.UTF_8);
        SecretMasker masker = SecretMasker.compile(secrets);
        byte[] input = randomInput(random, forms, 40_000);
        byte[] expected = oracle(forms, input, random);
        assertThat(masked(masker, input, random)).as("seed %d", seed).isEqualTo(expected);
    }
}
