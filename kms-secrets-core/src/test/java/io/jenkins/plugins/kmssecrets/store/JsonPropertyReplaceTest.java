package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Replacing one property of a JSON value for a rotation. */
class JsonPropertyReplaceTest {

    private static final String SENTINEL = "SENTINEL-new-value-7f3a9c";

    private static String replace(String document, String property, String value) {
        try (SecretValue doc = SecretValue.ofString(document); SecretValue val = SecretValue.ofString(value);
             SecretValue out = JsonProperty.replace(doc, property, val, "s", "n")) {
            return out.asString();
        }
    }

    @Test
    void replacesOnlyThatPropertyKeepingOrderAndExactNumbers() {
        assertThat(replace("{\"a\":1,\"password\":\"old\",\"big\":12345678901234567890,\"f\":0.10,\"z\":[1,true]}",
                "password", SENTINEL)).isEqualTo("{\"a\":1,\"password\":\"" + SENTINEL
                + "\",\"big\":12345678901234567890,\"f\":0.10,\"z\":[1,true]}");
    }

    @Test
    void followsANestedPathAndPrefersALiteralKey() {
        assertThat(replace("{\"pool\":{\"max\":5,\"pw\":\"old\"}}", "pool.pw", "x"))
                .isEqualTo("{\"pool\":{\"max\":5,\"pw\":\"x\"}}");
        assertThat(replace("{\"tls.crt\":\"old\",\"tls\":{\"crt\":\"other\"}}", "tls.crt", "x"))
                .isEqualTo("{\"tls.crt\":\"x\",\"tls\":{\"crt\":\"other\"}}");
    }

    @Test
    void aMissingPropertyOrANonObjectIsNotFoundAndEchoesNoValue() {
        SecretNotFoundException missing = catchThrowableOfType(SecretNotFoundException.class,
                () -> replace("{\"user\":\"the-user-value\"}", "password", SENTINEL));
        assertThat(missing.getMessage()).contains("password").doesNotContain(SENTINEL)
                .doesNotContain("the-user-value");
        SecretNotFoundException notObject = catchThrowableOfType(SecretNotFoundException.class,
                () -> replace("not-json-the-old-value", "password", SENTINEL));
        assertThat(notObject.getMessage()).doesNotContain("the-old-value").doesNotContain(SENTINEL);
    }
}
