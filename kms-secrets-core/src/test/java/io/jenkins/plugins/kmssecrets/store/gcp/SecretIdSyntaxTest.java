package io.jenkins.plugins.kmssecrets.store.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretIdSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "netbox-db-password", "UPPER_lower-123", "_"})
    void secretIdsAreAccepted(String id) {
        assertThat(GoogleSecretManagerStore.isValidSecretId(id)).as(id).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "apps/db", "dot.ted", "sp ace", "ümlaut"})
    void malformedSecretIdsAreRejected(String id) {
        assertThat(GoogleSecretManagerStore.isValidSecretId(id)).as(id).isFalse();
    }

    @Test
    void lengthIsAtMost255() {
        assertThat(GoogleSecretManagerStore.isValidSecretId("a".repeat(255))).isTrue();
        assertThat(GoogleSecretManagerStore.isValidSecretId("a".repeat(256))).isFalse();
    }
}
