package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ErrorHandlerTest {

    private static final String VALUE = "value-quoted-by-a-foreign-exception";

    @Test
    void unexpectedErrorsPrintTheirTypeNeverTheirMessage() {
        StringWriter out = new StringWriter();
        int code = ErrorHandler.report(new IllegalArgumentException("Invalid value: \"" + VALUE + "\""),
                new PrintWriter(out), false);
        assertThat(code).isEqualTo(ExitCode.FAILED);
        assertThat(out.toString()).isEqualTo("error: unexpected java.lang.IllegalArgumentException; run with "
                + "KMS_SECRETS_DEBUG=1 for details\n");
    }

    @Test
    void debugPrintsTypesAndFramesButNoMessages() {
        StringWriter out = new StringWriter();
        ErrorHandler.report(new IllegalStateException("outer " + VALUE, new IllegalArgumentException(VALUE)),
                new PrintWriter(out), true);
        assertThat(out.toString()).contains("java.lang.IllegalStateException\n\tat ")
                .contains("Caused by: java.lang.IllegalArgumentException\n\tat ")
                .contains("ErrorHandlerTest")
                .doesNotContain(VALUE);
    }
}
