package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class JsonPropertyTest {

    @Test
    void textFieldIsReturnedAsText() {
        SecretValue doc = SecretValue.ofString("{\"user\":\"svc\",\"password\":\"pw-1\"}");
        assertThat(JsonProperty.select(doc, "password", "s", "n").asString()).isEqualTo("pw-1");
    }

    @Test
    void nonTextFieldIsReturnedAsJson() {
        SecretValue doc = SecretValue.ofString("{\"port\":5432,\"tls\":{\"on\":true}}");
        assertThat(JsonProperty.select(doc, "port", "s", "n").asString()).isEqualTo("5432");
        assertThat(JsonProperty.select(doc, "tls", "s", "n").asString()).isEqualTo("{\"on\":true}");
    }

    @Test
    void missingFieldIsNotFoundAndNamesOnlyTheProperty() {
        SecretValue doc = SecretValue.ofString("{\"password\":\"pw-secret-2\"}");
        SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                () -> JsonProperty.select(doc, "user", "s", "n"));
        assertThat(e).hasMessageContaining("'user'").hasMessageNotContaining("pw-secret-2");
    }

    @Test
    void jsonArrayIsNotAnObject() {
        SecretValue doc = SecretValue.ofString("[\"array-secret-3\"]");
        SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                () -> JsonProperty.select(doc, "x", "s", "n"));
        assertThat(e).hasMessageNotContaining("array-secret-3").hasNoCause();
    }

    @Test
    void malformedJsonErrorNeverQuotesTheDocument() {
        SecretValue doc = SecretValue.ofString("{\"password\": \"half-secret-4");
        SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                () -> JsonProperty.select(doc, "password", "s", "n"));
        assertThat(e).hasMessageNotContaining("half-secret-4").hasNoCause();
    }

    @Test
    void nestedPropertiesFollowTheDots() {
        SecretValue doc = SecretValue.ofString("{\"pool\":{\"max\":20,\"name\":\"main\"},"
                + "\"a\":{\"b\":{\"c\":\"deep-5\"}}}");
        assertThat(JsonProperty.select(doc, "pool.max", "s", "n").asString()).isEqualTo("20");
        assertThat(JsonProperty.select(doc, "pool.name", "s", "n").asString()).isEqualTo("main");
        assertThat(JsonProperty.select(doc, "a.b.c", "s", "n").asString()).isEqualTo("deep-5");
        assertThat(JsonProperty.type(doc, "a.b", "s", "n")).isEqualTo("object");
        assertThat(JsonProperty.type(doc, "pool.max", "s", "n")).isEqualTo("number");
    }

    @Test
    void escapedDotIsPartOfTheKey() {
        SecretValue doc = SecretValue.ofString("{\"tls.crt\":\"cert-6\",\"tls\":{\"crt\":\"other\"},"
                + "\"db\":{\"host.name\":\"h-7\"},\"back\\\\slash\":\"b-8\"}");
        assertThat(JsonProperty.select(doc, "tls\\.crt", "s", "n").asString()).isEqualTo("cert-6");
        assertThat(JsonProperty.select(doc, "db.host\\.name", "s", "n").asString()).isEqualTo("h-7");
        assertThat(JsonProperty.select(doc, "back\\\\slash", "s", "n").asString()).isEqualTo("b-8");
    }

    @Test
    void aTopLevelKeyWithDotsIsTakenAsWrittenBeforeThePath() {
        SecretValue doc = SecretValue.ofString("{\"tls.crt\":\"literal-9\",\"tls\":{\"crt\":\"nested\"}}");
        assertThat(JsonProperty.select(doc, "tls.crt", "s", "n").asString()).isEqualTo("literal-9");
    }

    @Test
    void missingNestedKeyNamesThePropertyAndWhereThePathEnded() {
        SecretValue doc = SecretValue.ofString("{\"pool\":{\"min\":\"min-secret-10\"},\"flat\":\"flat-11\"}");
        SecretNotFoundException missing = catchThrowableOfType(SecretNotFoundException.class,
                () -> JsonProperty.select(doc, "pool.max", "s", "n"));
        assertThat(missing).hasMessage("store 's', secret 'n': the JSON value has no property 'pool.max' "
                + "(no key 'max' under 'pool')");
        SecretNotFoundException scalar = catchThrowableOfType(SecretNotFoundException.class,
                () -> JsonProperty.select(doc, "flat.x", "s", "n"));
        assertThat(scalar).hasMessage("store 's', secret 'n': the JSON value has no property 'flat.x': 'flat' is "
                + "a string, not an object");
        assertThat(missing.getMessage() + scalar.getMessage()).doesNotContain("min-secret-10", "flat-11");
    }
}
