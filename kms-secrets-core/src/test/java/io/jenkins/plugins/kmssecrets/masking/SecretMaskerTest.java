package io.jenkins.plugins.kmssecrets.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    private static final String PEM = """
            -----BEGIN PRIVATE KEY-----
            MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj
            MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu
            -----END PRIVATE KEY-----
            """;

    private static SecretMasker masker(String... nameValuePairs) {
        Map<String, SecretValue> secrets = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            secrets.put(nameValuePairs[i], SecretValue.ofString(nameValuePairs[i + 1]));
        }
        return SecretMasker.compile(secrets);
    }

    @Test
    void masksLiteral() {
        assertThat(masker("PASSWORD", "hunter2!").mask("login with hunter2! now")).isEqualTo("login with **** now");
    }

    @Test
    void masksSecretSplitAcrossAnyTwoWrites() throws IOException {
        SecretMasker masker = masker("TOKEN", "s3cr3t-t0ken");
        byte[] input = "before s3cr3t-t0ken after".getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= input.length; split++) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (OutputStream out = masker.wrap(sink)) {
                out.write(input, 0, split);
                out.write(input, split, input.length - split);
            }
            assertThat(sink.toString(StandardCharsets.UTF_8)).as("split at %d", split).isEqualTo("before **** after");
        }
    }

    @Test
    void masksSecretWrittenOneByteAtATime() throws IOException {
        SecretMasker masker = masker("TOKEN", "s3cr3t-t0ken");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = masker.wrap(sink)) {
            for (byte b : "xs3cr3t-t0keny".getBytes(StandardCharsets.UTF_8)) {
                out.write(b);
            }
        }
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("x****y");
    }

    @Test
    void masksWholeMultiLineSecret() {
        assertThat(masker("KEY", PEM).mask("key:\n" + PEM + "done")).isEqualTo("key:\n****done");
    }

    @Test
    void masksMultiLineSecretWithCrLfLineEnds() {
        String crlf = PEM.replace("\n", "\r\n");
        assertThat(masker("KEY", PEM).mask("<" + crlf + ">")).isEqualTo("<****>");
    }

    @Test
    void masksEachLineOfMultiLineSecretPrintedAlone() {
        String line = "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu";
        assertThat(masker("KEY", PEM).mask("[INFO]   " + line + "\n")).isEqualTo("[INFO]   ****\n");
    }

    @Test
    void masksEncodedFormsOfOneLineOfAMultiLineSecret() {
        // What the e2e suite printed in clear: printf "%s" "$PEM" | sed -n 2p | base64 -w0 (and hex, URL).
        String line = "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        SecretMasker masker = masker("KEY", PEM);
        assertThat(masker.mask("b64 " + Base64.getEncoder().encodeToString(bytes) + "\n")).isEqualTo("b64 ****\n");
        assertThat(masker.mask("hex " + java.util.HexFormat.of().formatHex(bytes) + "\n")).isEqualTo("hex ****\n");
        assertThat(masker.mask("url " + java.net.URLEncoder.encode(line, StandardCharsets.UTF_8) + "\n"))
                .isEqualTo("url ****\n");
    }

    @Test
    void masksMultiLineSecretReindented() {
        String indented = "    " + PEM.strip().replace("\n", "\n    ");
        String masked = masker("KEY", PEM).mask(indented);
        assertThat(masked).doesNotContain("MIIEvQ").doesNotContain("MzEfYy").doesNotContain("PRIVATE KEY");
    }

    @Test
    void masksBase64StandardAndUrlSafe() {
        String secret = "p>?>?ssw~~rd";
        SecretMasker masker = masker("S", secret);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        String std = Base64.getEncoder().encodeToString(bytes);
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThat(std).isNotEqualTo(url);
        assertThat(masker.mask("a " + std + " b")).isEqualTo("a **** b");
        assertThat(masker.mask("a " + url + " b")).isEqualTo("a **** b");
    }

    @Test
    void masksSecretEmbeddedInLargerBase64BlobAtEveryAlignment() {
        String secret = "hunter2-hunter2";
        SecretMasker masker = masker("S", secret);
        for (int prefix = 0; prefix < 6; prefix++) {
            String blob = "x".repeat(prefix) + "{\"password\":\"" + secret + "\"}";
            String encoded = Base64.getEncoder().encodeToString(blob.getBytes(StandardCharsets.UTF_8));
            String masked = masker.mask(encoded);
            assertThat(masked).as("prefix %d", prefix).contains("****");
            for (int offset = 0; offset < 3; offset++) {
                String inner = new String(SecretForms.embeddedBase64(secret.getBytes(StandardCharsets.UTF_8), offset,
                        Base64.getEncoder()), StandardCharsets.US_ASCII);
                assertThat(masked).as("prefix %d offset %d", prefix, offset).doesNotContain(inner);
            }
        }
    }

    @Test
    void embeddedBase64KeepsOnlyCharactersDeterminedBySecret() {
        byte[] secret = "abcdef".getBytes(StandardCharsets.UTF_8);
        // Whatever surrounds it, the stable run must appear in the encoding of the blob.
        for (int offset = 0; offset < 3; offset++) {
            String inner = new String(SecretForms.embeddedBase64(secret, offset, Base64.getEncoder()),
                    StandardCharsets.US_ASCII);
            for (String around : List.of("\u0000\u0000\u0000", "\u00ff\u00ff\u00ff", "zq#")) {
                byte[] blob = new byte[offset + secret.length + 3];
                byte[] fill = around.getBytes(StandardCharsets.ISO_8859_1);
                System.arraycopy(fill, 0, blob, 0, offset);
                System.arraycopy(secret, 0, blob, offset, secret.length);
                System.arraycopy(fill, 0, blob, offset + secret.length, 3);
                assertThat(Base64.getEncoder().encodeToString(blob)).as("offset %d", offset).contains(inner);
            }
        }
    }

    @Test
    void masksHexLowerAndUpper() {
        SecretMasker masker = masker("S", "hex-me!");
        String lower = HexFormat.of().formatHex("hex-me!".getBytes(StandardCharsets.UTF_8));
        assertThat(masker.mask(lower + "|" + lower.toUpperCase())).isEqualTo("****|****");
    }

    @Test
    void masksPercentEncoded() {
        String secret = "a b&c/d=é";
        SecretMasker masker = masker("S", secret);
        String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        String rfc3986 = form.replace("+", "%20");
        assertThat(masker.mask("?q=" + form + "&r=" + rfc3986 + "&s=" + rfc3986.toLowerCase()))
                .isEqualTo("?q=****&r=****&s=****");
    }

    @Test
    void masksJsonEscaped() {
        SecretMasker masker = masker("S", "qu\"ote\\back/slash\tté");
        assertThat(masker.mask("{\"v\":\"qu\\\"ote\\\\back/slash\\tté\"}")).isEqualTo("{\"v\":\"****\"}");
        assertThat(masker.mask("{\"v\":\"qu\\\"ote\\\\back\\/slash\\tté\"}")).isEqualTo("{\"v\":\"****\"}");
        assertThat(masker.mask("{\"v\":\"qu\\\"ote\\\\back/slash\\tt\\u00e9\"}")).isEqualTo("{\"v\":\"****\"}");
    }

    @Test
    void masksJsonEscapedMultiLineSecret() {
        String json = PEM.replace("\n", "\\n");
        assertThat(masker("KEY", PEM).mask("{\"private_key\": \"" + json + "\"}"))
                .isEqualTo("{\"private_key\": \"****\"}");
    }

    @Test
    void masksBashXtraceSingleQuoteForm() {
        // bash -x prints: + echo 'it'\''s secret'
        SecretMasker masker = masker("S", "it's secret");
        assertThat(masker.mask("+ echo 'it'\\''s secret'")).isEqualTo("+ echo '****'");
        assertThat(masker.mask("+ echo 'it'\"'\"'s secret'")).isEqualTo("+ echo '****'");
    }

    @Test
    void masksShellDoubleQuotedAndPrintfQForms() {
        SecretMasker masker = masker("S", "a b\"c$d");
        assertThat(masker.mask("declare -x X=\"a b\\\"c\\$d\"")).isEqualTo("declare -x X=\"****\"");
        assertThat(masker.mask("a\\ b\\\"c\\$d")).isEqualTo("****");
        SecretMasker multiLine = masker("S", "line1\nline'2");
        assertThat(multiLine.mask("X=$'line1\\nline\\'2'")).isEqualTo("X=$'****'");
    }

    @Test
    void masksRegexMetacharactersLiterally() {
        SecretMasker masker = masker("S", "a.*b(c)[d]$^|\\");
        assertThat(masker.mask("aXXXb(c)[d]$^|\\")).isEqualTo("aXXXb(c)[d]$^|\\");
        assertThat(masker.mask("=a.*b(c)[d]$^|\\=")).isEqualTo("=****=");
    }

    @Test
    void masksThreeCharacterSecretAtEveryPositionOfLargeWrite() {
        SecretMasker masker = masker("S", "q#z");
        String filler = "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/\n".repeat(40);
        for (int at = 0; at <= filler.length(); at += 7) {
            String input = filler.substring(0, at) + "q#z" + filler.substring(at);
            assertThat(masker.mask(input)).as("at %d", at)
                    .isEqualTo(filler.substring(0, at) + "****" + filler.substring(at));
        }
    }

    @Test
    void masksSecretsAmongManyOthersInLargeWrite() {
        Map<String, SecretValue> secrets = new LinkedHashMap<>();
        for (int i = 0; i < 2000; i++) {
            secrets.put("S" + i, SecretValue.ofString("token-" + Integer.toHexString(i * 7919) + "-" + i));
        }
        SecretMasker masker = SecretMasker.compile(secrets);
        StringBuilder input = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2000; i += 37) {
            String line = "[INFO] step " + i + " uses ";
            input.append(line).append("token-").append(Integer.toHexString(i * 7919)).append('-').append(i)
                    .append(" ok\n");
            expected.append(line).append("**** ok\n");
        }
        assertThat(masker.mask(input.toString())).isEqualTo(expected.toString());
    }

    @Test
    void masksUnionOfOverlappingMatchesOnce() {
        SecretMasker masker = masker("A", "abcdef", "B", "defghi");
        assertThat(masker.mask("xabcdefghiy")).isEqualTo("x****y");
    }

    @Test
    void masksLongerSecretWhenShorterIsItsPrefix() {
        SecretMasker masker = masker("SHORT", "secret1", "LONG", "secret123");
        assertThat(masker.mask("[secret123]")).isEqualTo("[****]");
        assertThat(masker.mask("[secret12]")).isEqualTo("[****2]");
    }

    @Test
    void masksAdjacentButNotOverlappingMatchesSeparately() {
        assertThat(masker("S", "abc123").mask("abc123abc123")).isEqualTo("********");
    }

    @Test
    void masksFormsInRunCharset() {
        SecretMasker masker = SecretMasker.compile(Map.of("S", SecretValue.ofString("pässwörd")),
                StandardCharsets.ISO_8859_1);
        byte[] latin1 = "<pässwörd>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(masker.mask(latin1)).isEqualTo("<****>".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(masker.mask("<pässwörd>")).isEqualTo("<****>");
    }

    @Test
    void doesNotMaskRunCharsetFormsUnlessAsked() {
        byte[] latin1 = "<pässwörd>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(masker("S", "pässwörd").mask(latin1)).isEqualTo(latin1);
    }

    @Test
    void masksBinaryValue() {
        byte[] binary = {(byte) 0xff, 0x00, (byte) 0xfe, 0x01};
        SecretMasker masker = SecretMasker.compile(Map.of("BIN", SecretValue.ofBytes(binary)));
        byte[] input = {'<', (byte) 0xff, 0x00, (byte) 0xfe, 0x01, '>'};
        assertThat(masker.mask(input)).isEqualTo("<****>".getBytes(StandardCharsets.US_ASCII));
        assertThat(masker.mask("x" + Base64.getEncoder().encodeToString(binary))).isEqualTo("x****");
    }

    @Test
    void reportsTooShortSecretsByNameAndDoesNotMaskThem() {
        SecretMasker masker = masker("PIN", "42", "EMPTY", "", "OK", "abc", "ONE_CHAR_UNICODE", "é");
        assertThat(masker.tooShortToMask()).containsExactly("EMPTY", "ONE_CHAR_UNICODE", "PIN");
        assertThat(masker.mask("42 abc é")).isEqualTo("42 **** é");
    }

    @Test
    void countsCharactersNotBytesForTooShort() {
        assertThat(masker("S", "éé").tooShortToMask()).containsExactly("S");
        assertThat(masker("S", "ééé").tooShortToMask()).isEmpty();
    }

    @Test
    void countsDistinctForms() {
        assertThat(masker().formCount()).isZero();
        SecretMasker one = masker("A", "abcdefgh");
        assertThat(one.formCount()).isEqualTo(SecretForms.of("abcdefgh".getBytes(StandardCharsets.UTF_8),
                "abcdefgh", StandardCharsets.UTF_8).stream().map(String::new).distinct().count());
        assertThat(masker("A", "abcdefgh", "B", "abcdefgh").formCount()).isEqualTo(one.formCount());
    }

    @Test
    void toStringPrintsNoSecretOrForm() {
        SecretMasker masker = masker("TOKEN", "hunter2-secret", "PIN", "1");
        assertThat(masker.toString()).doesNotContain("hunter2").doesNotContain("aHVudGVy").doesNotContain("PIN")
                .contains("secrets=2");
    }

    @Test
    void keepsMaskingAfterCallerWipesValues() {
        SecretValue value = SecretValue.ofString("wipe-me-later");
        SecretMasker masker = SecretMasker.compile(Map.of("S", value));
        value.wipe();
        assertThat(masker.mask("x wipe-me-later y")).isEqualTo("x **** y");
    }

    @Test
    void rejectsWipedValueNamingOnlyTheSecret() {
        SecretValue value = SecretValue.ofString("already-gone");
        value.wipe();
        assertThatThrownBy(() -> SecretMasker.compile(Map.of("DB_PASSWORD", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DB_PASSWORD")
                .hasMessageNotContaining("already-gone");
    }

    @Test
    void passesEverythingThroughWithoutSecrets() {
        byte[] input = "anything at all\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(masker().mask(input)).isEqualTo(input);
    }

    @Test
    void flushReleasesExactlyTheBytesThatCannotBecomeAMatch() throws IOException {
        SecretMasker masker = masker("S", "zqxsecret");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = masker.wrap(sink);
        out.write("hello zqxsec".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("hello ");
        out.write("ret, and zqx".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("hello ****, and ");
        out.write("y".getBytes(StandardCharsets.UTF_8));
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("hello ****, and zqxy");
    }

    @Test
    void closePassesOnHeldTailAndClosesUnderlyingStream() throws IOException {
        SecretMasker masker = masker("S", "zqxsecret");
        boolean[] closed = {false};
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        OutputStream out = masker.wrap(sink);
        out.write("tail zqxsec".getBytes(StandardCharsets.UTF_8));
        out.close();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("tail zqxsec");
        assertThat(closed[0]).isTrue();
    }

    @Test
    void writesMaskOnceWhenMatchGrowsIntoLongerSecret() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = masker("S", "abc", "L", "abcdefgh").wrap(sink);
        out.write("x abc".getBytes(StandardCharsets.UTF_8));
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("x ****");
        out.write("defg".getBytes(StandardCharsets.UTF_8));
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("x ****");
        out.write("h!".getBytes(StandardCharsets.UTF_8));
        out.close();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("x ****!");
    }

    @Test
    void closeMasksMatchInHeldTail() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = masker("S", "abc", "L", "abcdefgh").wrap(sink);
        out.write("x abcdefg".getBytes(StandardCharsets.UTF_8));
        out.close();
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("x ****defg");
    }

    @Test
    void rejectsWriteAfterClose() throws IOException {
        OutputStream out = masker("S", "abcdef").wrap(new ByteArrayOutputStream());
        out.close();
        out.close(); // idempotent
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void progressOutputWithoutNewlinesKeepsFlowing() throws IOException {
        SecretMasker masker = masker("TOKEN", "tok-7f3a9c1e");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = masker.wrap(sink);
        StringBuilder expected = new StringBuilder();
        for (int percent = 0; percent <= 100; percent += 10) {
            String frame = "\rDownloading [" + "=".repeat(percent / 10) + "] " + percent + "%";
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            expected.append(frame);
            assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        }
        out.write("\rusing tok-7f3a9c1e".getBytes(StandardCharsets.UTF_8));
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo(expected + "\rusing ****");
    }

    @Test
    void holdsBackOnlyPossibleSecretStart() throws IOException {
        String secret = "0123456789-secret";
        SecretMasker masker = masker("S", secret);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = masker.wrap(sink);
        String almost = "log line " + secret.substring(0, secret.length() - 1);
        out.write(almost.getBytes(StandardCharsets.UTF_8));
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("log line ");
        out.write('!');
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo(almost + "!");
    }

    @Test
    void sharedMaskerServesConcurrentStreams() throws Exception {
        SecretMasker masker = masker("A", "alpha-secret", "B", "bravo-secret");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Callable<String> task = () -> {
                    ByteArrayOutputStream sink = new ByteArrayOutputStream();
                    try (OutputStream out = masker.wrap(sink)) {
                        for (int i = 0; i < 500; i++) {
                            out.write(("line " + i + " alpha-secret bravo-secret\n").getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    return sink.toString(StandardCharsets.UTF_8);
                };
                results.add(pool.submit(task));
            }
            String expected = "line 0 **** ****\n";
            for (Future<String> result : results) {
                String text = result.get();
                assertThat(text).startsWith(expected).doesNotContain("secret");
                assertThat(text.lines().count()).isEqualTo(500);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
