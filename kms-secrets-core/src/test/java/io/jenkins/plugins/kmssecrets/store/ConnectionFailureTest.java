package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConnectionFailureTest {

    record Case(String name, Throwable failure, String phrase) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case[] cases() {
        return new Case[] {
            new Case("refused", new ConnectException("refused"), ConnectionFailure.REFUSED),
            new Case("refused, JDK client shape", wrap(new ConnectException(null), new ClosedChannelException()),
                    ConnectionFailure.REFUSED),
            new Case("connect timeout outranks the refused it wraps",
                    wrap(new HttpConnectTimeoutException("HTTP connect timed out"), new ConnectException(null)),
                    ConnectionFailure.TIMED_OUT),
            new Case("unknown host however deep",
                    new ExecutionException(wrap(new ConnectException(null), new UnknownHostException("x.invalid"))),
                    ConnectionFailure.UNKNOWN_HOST),
            new Case("untrusted certificate", new SSLHandshakeException("PKIX path building failed"),
                    ConnectionFailure.TLS),
            new Case("EOF", new EOFException("EOF reached while reading"), ConnectionFailure.CLOSED_EARLY),
            new Case("reset", new IOException("Connection reset"), ConnectionFailure.CLOSED_EARLY),
            new Case("closed", new IOException("connection closed locally"), ConnectionFailure.CLOSED_EARLY),
            new Case("EOF as a plain IOException", new IOException("EOF reached while reading"),
                    ConnectionFailure.CLOSED_EARLY),
            new Case("closed before the headers", new IOException("HTTP/1.1 header parser received no bytes"),
                    ConnectionFailure.CLOSED_EARLY),
            new Case("broken pipe", new ExecutionException(new IOException("Broken pipe")),
                    ConnectionFailure.CLOSED_EARLY),
            new Case("an unrelated I/O failure", new IOException("quota file unreadable"), null),
            new Case("not a network failure", new IllegalStateException("closed"), null),
        };
    }

    private static Throwable wrap(Throwable outer, Throwable cause) {
        outer.initCause(cause);
        return outer;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void namesTheFailureWithAFixedPhrase(Case c) {
        assertThat(ConnectionFailure.phrase(c.failure())).isEqualTo(c.phrase());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void neverRepeatsTheExceptionMessage(Case c) {
        String described = ConnectionFailure.describe(new IOException("s3cr3t-body " + c.name(), c.failure()));
        assertThat(described).doesNotContain("s3cr3t");
        if (c.phrase() == null) {
            assertThat(described).isIn("IOException", "IllegalStateException");
        }
    }
}
