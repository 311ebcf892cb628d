package io.jenkins.plugins.kmssecrets.masking;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Passes output on in whole lines: each complete line (up to and including {@code \n}) reaches the underlying stream
 * in one {@code write} call, a partial line waits for its end. A log shared by several writers (the parallel branches
 * of a Pipeline write into one build log, one {@code write} call at a time) then never shows two writers' lines
 * mixed byte by byte, whatever sizes the writers upstream use (one byte at a time, seen from a shell step).
 *
 * <p>A partial line is passed on when it reaches {@link #MAX_LINE} bytes and on {@link #close()}; {@link #flush()}
 * flushes the underlying stream but keeps a partial line, as Jenkins' own line-based masking does. Holds clear text
 * only (put it after the masker); it is wiped when passed on. Not thread-safe, like the streams it serves.
 *
 * @since 0.2.0
 */
public final class WholeLinesOutputStream extends OutputStream {

    /** The longest partial line held: longer ones are passed on in pieces of this size. */
    public static final int MAX_LINE = 64 * 1024;

    private final OutputStream out;
    private byte[] line = new byte[256];
    private int length;
    private boolean closed;

    public WholeLinesOutputStream(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void write(int b) throws IOException {
        append((byte) b);
        if (b == '\n' || length == MAX_LINE) {
            release();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream is closed");
        }
        int end = off + len;
        int from = off;
        if (length > 0) { // first the end of the line already held
            int eol = indexOfNewline(b, from, end);
            from = hold(b, from, eol < 0 ? end : eol + 1);
            if (eol < 0) {
                return;
            }
            release();
        }
        int last = lastIndexOfNewline(b, from, end);
        if (last >= 0) { // whole lines straight from the caller's array, in one call
            out.write(b, from, last + 1 - from);
            from = last + 1;
        }
        hold(b, from, end);
    }

    /** Holds {@code b[from, to)} (no newline but perhaps the last byte), passing on each {@link #MAX_LINE} piece. */
    private int hold(byte[] b, int from, int to) throws IOException {
        while (from < to) {
            int take = Math.min(to - from, MAX_LINE - length);
            ensureCapacity(length + take);
            System.arraycopy(b, from, line, length, take);
            length += take;
            from += take;
            if (length == MAX_LINE) {
                release();
            }
        }
        return from;
    }

    private static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOfNewline(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Flushes the underlying stream; a partial line stays held until its end, {@link #MAX_LINE} or close. */
    @Override
    public void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    /** Passes on a held partial line, then closes the underlying stream. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            release();
        } finally {
            out.close();
        }
    }

    private void append(byte b) throws IOException {
        if (closed) {
            throw new IOException("stream is closed");
        }
        ensureCapacity(length + 1);
        line[length++] = b;
    }

    private void ensureCapacity(int needed) {
        if (needed > line.length) {
            byte[] bigger = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(needed, line.length * 2)));
            Arrays.fill(line, (byte) 0);
            line = bigger;
        }
    }

    private void release() throws IOException {
        if (length > 0) {
            try {
                out.write(line, 0, length);
            } finally {
                Arrays.fill(line, 0, length, (byte) 0);
                length = 0;
            }
        }
    }

    /** Names nothing it holds. */
    @Override
    public String toString() {
        return "WholeLinesOutputStream[" + length + " bytes held]";
    }
}
