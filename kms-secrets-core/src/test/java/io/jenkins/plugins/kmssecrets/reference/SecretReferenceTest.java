package io.jenkins.plugins.kmssecrets.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SecretReferenceTest {

    @Test
    void parsesStoreAndName() {
        SecretReference ref = SecretReference.parse("akv-prod:netbox-db-password");
        assertThat(ref).isEqualTo(new SecretReference("akv-prod", "netbox-db-password", null, null));
    }

    @Test
    void parsesVersionAndProperty() {
        SecretReference ref = SecretReference.parse("akv-prod:netbox-db@3f2c1a#password");
        assertThat(ref.name()).isEqualTo("netbox-db");
        assertThat(ref.version()).isEqualTo("3f2c1a");
        assertThat(ref.property()).isEqualTo("password");
    }

    @Test
    void keepsPathsAndDotsInNames() {
        assertThat(SecretReference.parse("vault:apps/netbox#db_password").name()).isEqualTo("apps/netbox");
        assertThat(SecretReference.parse("local:api.token").name()).isEqualTo("api.token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"akv:a", "akv:a@1", "akv:a#p", "akv:a@1#p", "vault:x/y/z@7#key"})
    void toStringRoundTrips(String text) {
        assertThat(SecretReference.parse(text).toString()).isEqualTo(text);
        assertThat(SecretReference.parse(SecretReference.parse(text).toString()))
                .isEqualTo(SecretReference.parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "netbox-db-password|missing ':' after the store id",
        "Prod:x|store id 'Prod' at column 1 is not valid",
        "prod:|empty secret name after 'prod:' at column 6",
        "prod:x@|empty version after '@'",
        "prod:x#|empty property after '#'",
        "prod:x#a#b|more than one '#'",
        "prod:my secret|unexpected whitespace or control character at column 8",
        ":x|store id '' at column 1 is not valid",
        "prod:x#a..b|empty key before the '.' at column 3 of the property",
        "prod:x#.a|empty key before the '.' at column 1 of the property",
        "prod:x#a.|empty key after the '.' at the end of the property",
        "prod:x#a\\b|at column 2 of the property escapes 'b'; write '\\.' for a dot in a key",
        "prod:x#a\\|at column 2 of the property escapes nothing",
    })
    void malformedReferencesSayWhatAndWhere(String text, String expected) {
        assertThatThrownBy(() -> SecretReference.parse(text))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("malformed reference")
                .hasMessageContaining(expected);
    }

    @Test
    void nestedAndEscapedPropertiesParseIntoKeys() {
        assertThat(SecretReference.parse("vault:apps/db#pool.max").propertyPath().keys())
                .containsExactly("pool", "max");
        assertThat(SecretReference.parse("vault:apps/db#a.b.c").propertyPath().keys())
                .containsExactly("a", "b", "c");
        SecretReference escaped = SecretReference.parse("akv:tls#tls\\.crt");
        assertThat(escaped.property()).isEqualTo("tls\\.crt");
        assertThat(escaped.propertyPath().keys()).containsExactly("tls.crt");
        assertThat(escaped.toString()).isEqualTo("akv:tls#tls\\.crt");
        assertThat(SecretReference.parse("akv:x#a\\\\b").propertyPath().keys()).containsExactly("a\\b");
    }

    @Test
    void withoutPropertyKeepsTheVersion() {
        assertThat(SecretReference.parse("vault:apps/db@3#user").withoutProperty())
                .isEqualTo(new SecretReference("vault", "apps/db", "3", null));
    }

    @Test
    void emptyReferenceIsRejected() {
        assertThatThrownBy(() -> SecretReference.parse("  ")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void overlongReferenceIsRejectedWithoutEchoingIt() {
        String text = "prod:" + "x".repeat(5000);
        assertThatThrownBy(() -> SecretReference.parse(text)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 1024")
                .hasMessageNotContaining("xxxxxxxxxx");
    }
}
