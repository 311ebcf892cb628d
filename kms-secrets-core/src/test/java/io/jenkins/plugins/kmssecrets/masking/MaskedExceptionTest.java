package io.jenkins.plugins.kmssecrets.masking;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskedExceptionTest {

    private static final String SECRET = "s3cr3t-value-42";
    private final SecretMasker masker = SecretMasker.compile(Map.of("DB_PASSWORD", SecretValue.ofString(SECRET)));

    @Test
    void exceptionWithoutSecretIsReturnedUnchanged() {
        IllegalStateException clean = new IllegalStateException("connection refused");
        assertThat(MaskedException.mask(masker, clean)).isSameAs(clean);
    }

    @Test
    void messageHoldingTheSecretIsMaskedAndKeepsTheOriginalType() {
        Throwable masked = MaskedException.mask(masker, new IOException("login failed for " + SECRET));
        assertThat(masked).isInstanceOf(MaskedException.class)
                .hasMessage("java.io.IOException: login failed for ****");
    }

    @Test
    void secretInACauseMasksTheWholeChain() {
        Exception chain = new RuntimeException("outer", new IOException("inner " + SECRET));
        Throwable masked = MaskedException.mask(masker, chain);
        assertThat(printed(masked)).doesNotContain(SECRET).contains("inner ****").contains("outer");
        assertThat(masked.getStackTrace()).isEqualTo(chain.getStackTrace());
    }

    @Test
    void secretInASuppressedExceptionIsMasked() {
        Exception outer = new RuntimeException("outer");
        outer.addSuppressed(new IllegalArgumentException("bad " + SECRET));
        Throwable masked = MaskedException.mask(masker, outer);
        assertThat(masked.getSuppressed()).hasSize(1);
        assertThat(printed(masked)).doesNotContain(SECRET);
    }

    @Test
    void encodedFormsAreMaskedToo() {
        String base64 = java.util.Base64.getEncoder().encodeToString(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Throwable masked = MaskedException.mask(masker, new IllegalStateException("header " + base64));
        assertThat(masked.getMessage()).doesNotContain(base64);
    }

    @Test
    void cyclicCausesTerminate() {
        RuntimeException a = new RuntimeException("a " + SECRET);
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(printed(MaskedException.mask(masker, a))).doesNotContain(SECRET);
    }

    private static String printed(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
