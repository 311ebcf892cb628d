package io.jenkins.plugins.kmssecrets.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link SecretMasker#textForms(String)}: the forms handed to a line-by-line text masker (credentials-binding's
 * pattern factories), which must cover a multi-line value one line at a time.
 */
class SecretMaskerTextFormsTest {

    private static final String PEM = """
            -----BEGIN PRIVATE KEY-----
            MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj
            MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu
            -----END PRIVATE KEY-----
            """;

    /** What credentials-binding does: one alternation of the quoted forms, longest first, applied to each line. */
    private static String maskLineByLine(List<String> forms, String log) {
        Pattern pattern = Pattern.compile(forms.stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(String::compareTo))
                .map(Pattern::quote)
                .collect(Collectors.joining("|")));
        return log.lines().map(line -> pattern.matcher(line).replaceAll("****"))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void literalComesFirst() {
        assertThat(SecretMasker.textForms("hunter2!")).first().isEqualTo("hunter2!");
    }

    @Test
    void multiLineValueIsMaskedLineByLine() {
        List<String> forms = SecretMasker.textForms(PEM);

        String masked = maskLineByLine(forms, "key:\n" + PEM + "done");

        assertThat(masked).doesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj")
                .doesNotContain("MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu")
                .doesNotContain("BEGIN PRIVATE KEY")
                .startsWith("key:\n")
                .endsWith("done");
    }

    @Test
    void encodedFormsOfTheValueAreMasked() {
        String secret = "p@ss w/rd\"&é";
        List<String> forms = SecretMasker.textForms(secret);
        byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
        List<String> printed = List.of(
                Base64.getEncoder().encodeToString(utf8),
                Base64.getUrlEncoder().withoutPadding().encodeToString(utf8),
                URLEncoder.encode(secret, StandardCharsets.UTF_8),
                "p@ss w/rd\\\"&é", // JSON string contents
                HexFormat.of().formatHex(utf8),
                HexFormat.of().withUpperCase().formatHex(utf8));

        for (String form : printed) {
            assertThat(maskLineByLine(forms, "value=" + form + ";")).as(form).isEqualTo("value=****;");
        }
    }

    @Test
    void valueShorterThanThreeCharactersHasNoForms() {
        assertThat(SecretMasker.textForms("ab")).isEmpty();
        assertThat(SecretMasker.textForms("")).isEmpty();
    }

    @Test
    void noFormIsShorterThanThreeCharacters() {
        assertThat(SecretMasker.textForms("a\nbcd\nef\n")).allSatisfy(form -> assertThat(form).hasSizeGreaterThan(2))
                .contains("bcd").doesNotContain("a", "ef");
    }
}
