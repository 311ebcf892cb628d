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
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> JsonProperty.select(doc, "x", "s", "n"));
        assertThat(e).hasMessageNotContaining("array-secret-3").hasNoCause();
    }

    @Test
    void malformedJsonErrorNeverQuotesTheDocument() {
        SecretValue doc = SecretValue.ofString("{\"password\": \"half-secret-4");
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> JsonProperty.select(doc, "password", "s", "n"));
        assertThat(e).hasMessageNotContaining("half-secret-4").hasNoCause();
    }
}
