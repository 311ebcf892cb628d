package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretValueTest {

    private static final String VALUE = "s3cr3t-correct-horse";

    @Test
    void toStringNeverShowsTheValue() {
        SecretValue value = SecretValue.ofString(VALUE);
        assertThat(value.toString()).isEqualTo("****");
        assertThat(String.valueOf(value)).doesNotContain(VALUE);
        assertThat("" + java.util.List.of(value)).doesNotContain(VALUE);
    }

    @Test
    void cannotBeJavaSerialized() {
        record Holder(Object value) implements Serializable {
        }
        assertThatThrownBy(() -> new ObjectOutputStream(new ByteArrayOutputStream())
                .writeObject(new Holder(SecretValue.ofString(VALUE))))
                .isInstanceOf(NotSerializableException.class);
    }

    @Test
    void wipeZeroesAndForbidsLaterReads() {
        SecretValue value = SecretValue.ofString(VALUE);
        value.wipe();
        assertThat(value.isWiped()).isTrue();
        assertThatThrownBy(value::asString).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining(VALUE);
        assertThatThrownBy(value::bytes).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bytesAreACopy() {
        SecretValue value = SecretValue.ofBytes("abc".getBytes(StandardCharsets.UTF_8));
        byte[] copy = value.bytes();
        copy[0] = 'x';
        assertThat(value.asString()).isEqualTo("abc");
    }

    @Test
    void ofCharsEncodesUtf8() {
        SecretValue value = SecretValue.ofChars("pässwörd".toCharArray());
        assertThat(value.asString()).isEqualTo("pässwörd");
        assertThat(value.length()).isEqualTo("pässwörd".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void equalityComparesContentButHashDoesNot() {
        assertThat(SecretValue.ofString("a")).isEqualTo(SecretValue.ofString("a"));
        assertThat(SecretValue.ofString("a")).isNotEqualTo(SecretValue.ofString("b"));
        assertThat(SecretValue.ofString("a").hashCode()).isEqualTo(SecretValue.ofString("b").hashCode());
    }

    @Test
    void detectsNonUtf8Content() {
        assertThat(SecretValue.ofBytes(new byte[] {(byte) 0xff, 0x00}).isText()).isFalse();
        assertThat(SecretValue.ofString("text").isText()).isTrue();
    }
}
