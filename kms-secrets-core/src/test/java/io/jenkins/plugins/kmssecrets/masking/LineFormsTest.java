package io.jenkins.plugins.kmssecrets.masking;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFormsTest {

    @Test
    void givesTheValueFirstThenItsEncodedForms() {
        List<String> lines = LineForms.of(SecretValue.ofString("p@ss w0rd/x"));

        assertThat(lines.get(0)).isEqualTo("p@ss w0rd/x");
        assertThat(lines).contains(
                Base64.getEncoder().encodeToString("p@ss w0rd/x".getBytes(StandardCharsets.UTF_8)),
                "p%40ss%20w0rd%2Fx", "p%40ss+w0rd%2Fx", "p@ss\\ w0rd/x", "p@ss w0rd\\/x",
                "7040737320773072642f78", "7040737320773072642F78")
                .doesNotHaveDuplicates();
    }

    @Test
    void everyFormTheMaskerMasksIsCoveredLineByLine() {
        String value = "-----BEGIN KEY-----\nMIIBVgIBADANBgkq\n-----END KEY-----";
        List<String> lines = LineForms.of(SecretValue.ofString(value));
        SecretMasker masker = SecretMasker.compile(java.util.Map.of("K", SecretValue.ofString(value)));

        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain("\n").doesNotContain("\r")
                .hasSizeGreaterThanOrEqualTo(3));
        assertThat(lines).contains("-----BEGIN KEY-----", "MIIBVgIBADANBgkq", "-----END KEY-----",
                "-----BEGIN KEY-----\\nMIIBVgIBADANBgkq\\n-----END KEY-----");
        // each line the runner is told is text our own masker hides as well
        assertThat(lines).allSatisfy(line -> assertThat(masker.mask("[" + line + "]")).doesNotContain(line));
    }

    @Test
    void valuesTooShortToMaskGiveNothing() {
        assertThat(LineForms.of(SecretValue.ofString("ab"))).isEmpty();
        assertThat(LineForms.of(SecretValue.ofString("abc"))).contains("abc");
    }

    @Test
    void binaryValuesGiveTheirTextEncodingsOnly() {
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0x01, 0x02, (byte) 0x80};
        List<String> lines = LineForms.of(SecretValue.ofBytes(bytes));
        assertThat(lines).contains(Base64.getEncoder().encodeToString(bytes), "fffe010280", "FFFE010280");
    }
}
