package io.jenkins.plugins.kmssecrets.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whole lines reach the underlying stream in one write each, however the writer upstream chunks them. */
class WholeLinesOutputStreamTest {

    /** Records each write call's bytes. */
    private static final class Calls extends OutputStream {
        final List<String> writes = new ArrayList<>();
        int flushes;
        boolean closed;

        @Override
        public void write(int b) {
            writes.add(String.valueOf((char) b));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void bytesWrittenOneAtATimeArriveAsOneWritePerLine() throws IOException {
        Calls calls = new Calls();
        try (WholeLinesOutputStream out = new WholeLinesOutputStream(calls)) {
            for (byte b : "first 1: x\nsecond line\n".getBytes(StandardCharsets.UTF_8)) {
                out.write(b);
            }
            assertThat(calls.writes).containsExactly("first 1: x\n", "second line\n");
        }
    }

    @Test
    void aChunkWithSeveralLinesGoesOnInOneCallAndItsTailWaitsForTheRestOfItsLine() throws IOException {
        Calls calls = new Calls();
        WholeLinesOutputStream out = new WholeLinesOutputStream(calls);
        out.write("a\nb\nc".getBytes(StandardCharsets.UTF_8));
        assertThat(calls.writes).containsExactly("a\nb\n");
        out.write("d".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(calls.writes).containsExactly("a\nb\n");
        assertThat(calls.flushes).isEqualTo(1);
        out.write("e\nf\ng".getBytes(StandardCharsets.UTF_8));
        assertThat(calls.writes).containsExactly("a\nb\n", "cde\n", "f\n");
        out.close();
        assertThat(calls.writes).containsExactly("a\nb\n", "cde\n", "f\n", "g");
        assertThat(calls.closed).isTrue();
        out.close();
        assertThat(calls.writes).hasSize(4);
        assertThatThrownBy(() -> out.write('x')).isInstanceOf(IOException.class);
    }

    @Test
    void aLineLongerThanTheLimitGoesOnInPiecesOfTheLimit() throws IOException {
        Calls calls = new Calls();
        byte[] longLine = new byte[WholeLinesOutputStream.MAX_LINE * 2 + 10];
        Arrays.fill(longLine, (byte) 'x');
        try (WholeLinesOutputStream out = new WholeLinesOutputStream(calls)) {
            out.write('>');
            out.write(longLine);
            assertThat(calls.writes).hasSize(2).allSatisfy(w -> assertThat(w).hasSize(WholeLinesOutputStream.MAX_LINE));
            out.write('\n');
        }
        assertThat(calls.writes).hasSize(3);
        assertThat(calls.writes.get(2)).hasSize(longLine.length + 2 - 2 * WholeLinesOutputStream.MAX_LINE);
        assertThat(String.join("", calls.writes)).isEqualTo(">" + "x".repeat(longLine.length) + "\n");
    }

    @Test
    void randomChunkingKeepsEveryByteInOrderAndNeverSplitsALine() throws IOException {
        Random random = new Random(20261204L);
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            int lines = random.nextInt(20);
            for (int i = 0; i < lines; i++) {
                text.append("line ").append(i).append(' ').append("y".repeat(random.nextInt(40))).append('\n');
            }
            if (random.nextBoolean()) {
                text.append("tail without end");
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            Calls calls = new Calls();
            try (WholeLinesOutputStream out = new WholeLinesOutputStream(calls)) {
                int at = 0;
                while (at < bytes.length) {
                    int n = Math.min(bytes.length - at, 1 + random.nextInt(30));
                    if (n == 1 && random.nextBoolean()) {
                        out.write(bytes[at]);
                    } else {
                        out.write(bytes, at, n);
                    }
                    at += n;
                }
            }
            assertThat(String.join("", calls.writes)).isEqualTo(text.toString());
            for (int i = 0; i < calls.writes.size(); i++) {
                String w = calls.writes.get(i);
                boolean last = i == calls.writes.size() - 1;
                assertThat(w.endsWith("\n") || last).as("write %d of round %d", i, round).isTrue();
            }
        }
    }

    @Test
    void afterTheMaskerTwoWritersSharingOneLogNeverMixInsideALine() throws IOException {
        String secret = "s3cr3t-V4lue";
        SecretMasker masker = SecretMasker.compile(Map.of("PW", SecretValue.ofString(secret)));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        OutputStream shared = new OutputStream() { // one write call at a time, as a build log takes them
            @Override
            public synchronized void write(int b) {
                log.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                log.write(b, off, len);
            }
        };
        OutputStream first = masker.wrap(new WholeLinesOutputStream(shared));
        OutputStream second = masker.wrap(new WholeLinesOutputStream(shared));
        byte[] a = ("first: " + secret + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] b = ("second: " + secret + "\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < Math.max(a.length, b.length); i++) { // alternate byte by byte, the worst interleaving
            if (i < a.length) {
                first.write(a[i]);
            }
            if (i < b.length) {
                second.write(b[i]);
            }
        }
        first.close();
        second.close();
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text.split("\n")).containsExactlyInAnyOrder("first: ****", "second: ****");
        assertThat(text).doesNotContain(secret);
    }

    @Test
    void toStringNamesNoHeldByte() throws IOException {
        WholeLinesOutputStream out = new WholeLinesOutputStream(new Calls());
        out.write("partial-secret".getBytes(StandardCharsets.UTF_8));
        assertThat(out.toString()).doesNotContain("partial").contains("14 bytes held");
    }
}
