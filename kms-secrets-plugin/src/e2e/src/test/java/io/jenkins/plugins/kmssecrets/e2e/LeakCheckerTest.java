package io.jenkins.plugins.kmssecrets.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeakCheckerTest {

    private static final String VALUE = "P@ss w0rd-xyz\"q'\\/+&=%\u00e9";
    private static final String PEM = "-----BEGIN E2E KEY-----\nL1abcdefghijklmnop\nL2qrstuvwxyz012345\n-----END E2E KEY-----";

    private final LeakChecker checker = new LeakChecker(Map.of("akv:e2e-password", VALUE, "akv:e2e-multiline", PEM));

    private List<String> forms(String text) {
        return checker.scan("log", text).stream().map(LeakChecker.Leak::form).toList();
    }

    @Test
    void findsEveryEncodedForm() {
        byte[] utf8 = VALUE.getBytes(StandardCharsets.UTF_8);
        assertThat(forms("x " + VALUE + " y")).contains("raw");
        assertThat(forms(Base64.getEncoder().encodeToString(utf8))).contains("base64");
        // Where base64 has no '+' or '/', the URL-safe form is the same string and is reported as base64.
        assertThat(forms(Base64.getUrlEncoder().withoutPadding().encodeToString(utf8)))
                .containsAnyOf("base64url", "base64");
        assertThat(forms(HexFormat.of().formatHex(utf8))).contains("hex");
        assertThat(forms(HexFormat.of().withUpperCase().formatHex(utf8))).contains("HEX");
        assertThat(forms(URLEncoder.encode(VALUE, StandardCharsets.UTF_8))).contains("url-form");
        assertThat(forms(URLEncoder.encode(VALUE, StandardCharsets.UTF_8).replace("+", "%20"))).contains("url");
        assertThat(forms("{\"v\":\"P@ss w0rd-xyz\\\"q'\\\\/+&=%\u00e9\"}")).contains("json");
        assertThat(forms("\"P@ss w0rd-xyz\\\"q'\\\\/+&=%\\u00e9\"")).contains("json-ascii");
        assertThat(forms("'P@ss w0rd-xyz\"q'\\''\\/+&=%\u00e9'")).contains("shell-quoted");
    }

    @Test
    void findsEachLineOfAMultiLineValueButNotItsArmour() {
        assertThat(forms("second line: L2qrstuvwxyz012345 only")).containsExactly("line 3, raw");
        assertThat(forms("-----BEGIN E2E KEY-----")).isEmpty();
    }

    @Test
    void findsBase64DecodedBytesOfABase64Value() {
        byte[] der = new byte[40];
        for (int i = 0; i < der.length; i++) {
            der[i] = (byte) (i * 7 + 1);
        }
        LeakChecker certs = new LeakChecker(Map.of("akv:e2e-cert", Base64.getEncoder().encodeToString(der)));
        byte[] file = new byte[60];
        System.arraycopy(der, 0, file, 10, der.length);
        assertThat(certs.scan("program.dat", file)).extracting(LeakChecker.Leak::form).contains("base64-decoded bytes");
    }

    @Test
    void cleanTextAndMaskedTextHaveNoFinding() {
        assertThat(checker.scan("log", "raw: ****\nform: ****\nL2qrst****")).isEmpty();
    }

    @Test
    void aFindingNamesTheLabelAndFormNeverTheValue() {
        LeakChecker.Leak leak = checker.scan("job #1 console", "leaked " + VALUE).get(0);
        assertThat(leak.toString()).isEqualTo("job #1 console: akv:e2e-password (raw)").doesNotContain(VALUE);
    }

    @Test
    void countsFilesBytesAndNeedles() {
        checker.scan("a", new byte[100]);
        checker.scan("b", "hello");
        assertThat(checker.filesScanned()).isEqualTo(2);
        assertThat(checker.bytesScanned()).isEqualTo(105);
        // Up to 10 distinct forms for the password, the PEM and each of its two content lines (forms that coincide,
        // like URL encoding of plain text, are searched once); none for the armour lines.
        assertThat(checker.needleCount()).isBetween(24, 40);
    }
}
