package io.jenkins.plugins.kmssecrets.masking;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The masker's previous stream, kept as the oracle of {@code MatcherDifferentialTest}: one stream's state over a
 * shared {@link AhoCorasickOracle}. Not thread-safe (one per stream, like any OutputStream).
 *
 * <p>Positions are absolute byte counts since the stream opened. After each {@code write} the automaton is in a state
 * of depth {@code d}: no match can ever start before {@code safe = written - d}, so every byte before {@code safe} is
 * final and goes to {@code out} at once, either verbatim or, inside a masked range, as one {@code ****} per range.
 * Only bytes {@code [safe, written)} are held: at most the longest form's length, and exactly the longest suffix of
 * the output that could still begin a form. Decisions depend on the bytes alone, never on how they were chunked.
 */
final class AhoCorasickOracleStream extends OutputStream implements AhoCorasickOracle.MatchSink {

    private final AhoCorasickOracle automaton;
    private final OutputStream out;
    private final byte[] mask;

    /** The automaton's position, as a {@link AhoCorasickOracle#run pointer}. */
    private int pointer;
    /** Bytes written to this stream so far. */
    private long written;
    /** Held bytes: positions {@code [written - heldLength, written)}. */
    private byte[] held;
    private int heldLength;

    /** Masked ranges not yet fully passed on, sorted and disjoint; inclusive absolute positions. */
    private long[] rangeStart = new long[4];
    private long[] rangeEnd = new long[4];
    /** Whether the range's {@code ****} has already been written (its start is final). */
    private boolean[] rangeMasked = new boolean[4];
    private int rangeCount;

    /** Absolute position of index 0 of the buffer being scanned, for {@link #match}. */
    private long scanBase;
    private boolean closed;
    private final byte[] single = new byte[1];

    AhoCorasickOracleStream(AhoCorasickOracle automaton, OutputStream out, byte[] mask) {
        this.automaton = automaton;
        this.out = Objects.requireNonNull(out, "out");
        this.mask = mask;
        this.held = new byte[Math.max(16, automaton.longestForm())];
        this.pointer = automaton.start();
    }

    @Override
    public void write(int b) throws IOException {
        single[0] = (byte) b;
        write(single, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("masking stream is closed");
        }
        if (len == 0) {
            return;
        }
        long chunkStart = written;
        scanBase = chunkStart - off;
        pointer = automaton.run(pointer, b, off, off + len, this);
        written += len;
        release(written - automaton.depth(automaton.state(pointer)), b, off, chunkStart);
    }

    /** Called by the automaton for the longest form ending at {@code buf[endIndex]}. */
    @Override
    public void match(int endIndex, int length) {
        long end = scanBase + endIndex;
        long start = end - length + 1;
        boolean masked = false;
        // Merge with every earlier range the new one overlaps (the union of overlapping matches is masked).
        while (rangeCount > 0 && rangeEnd[rangeCount - 1] >= start) {
            rangeCount--;
            start = Math.min(start, rangeStart[rangeCount]);
            end = Math.max(end, rangeEnd[rangeCount]);
            masked |= rangeMasked[rangeCount];
        }
        if (rangeCount == rangeStart.length) {
            rangeStart = Arrays.copyOf(rangeStart, rangeCount * 2);
            rangeEnd = Arrays.copyOf(rangeEnd, rangeCount * 2);
            rangeMasked = Arrays.copyOf(rangeMasked, rangeCount * 2);
        }
        rangeStart[rangeCount] = start;
        rangeEnd[rangeCount] = end;
        rangeMasked[rangeCount] = masked;
        rangeCount++;
    }

    /**
     * Passes on everything before {@code safe}; keeps {@code [safe, written)} as the held bytes. The bytes available
     * are the previously held ones followed by the chunk {@code b[off...]} that starts at {@code chunkStart}.
     */
    private void release(long safe, byte[] b, int off, long chunkStart) throws IOException {
        long heldStart = chunkStart - heldLength;
        long cursor = heldStart;
        int done = 0;
        while (cursor < safe) {
            if (done < rangeCount && rangeStart[done] <= cursor) {
                if (!rangeMasked[done]) {
                    out.write(mask);
                    rangeMasked[done] = true;
                }
                if (rangeEnd[done] < safe) {
                    cursor = rangeEnd[done] + 1;
                    done++;
                } else {
                    cursor = safe;
                }
            } else {
                long stop = done < rangeCount ? Math.min(rangeStart[done], safe) : safe;
                writeVerbatim(cursor, stop, b, off, chunkStart);
                cursor = stop;
            }
        }
        if (done < rangeCount && rangeStart[done] <= safe && !rangeMasked[done]) {
            // A range that starts exactly at the safe point cannot grow to the left any more: its mask is final.
            out.write(mask);
            rangeMasked[done] = true;
        }
        if (done > 0) {
            System.arraycopy(rangeStart, done, rangeStart, 0, rangeCount - done);
            System.arraycopy(rangeEnd, done, rangeEnd, 0, rangeCount - done);
            System.arraycopy(rangeMasked, done, rangeMasked, 0, rangeCount - done);
            rangeCount -= done;
        }
        // Keep [safe, written): a tail of the old held bytes, then a tail of the chunk.
        int keep = (int) (written - safe);
        if (keep > held.length) {
            held = Arrays.copyOf(held, keep);
        }
        if (safe < chunkStart) {
            int fromHeld = (int) (chunkStart - safe);
            System.arraycopy(held, heldLength - fromHeld, held, 0, fromHeld);
            System.arraycopy(b, off, held, fromHeld, keep - fromHeld);
        } else {
            System.arraycopy(b, off + (int) (safe - chunkStart), held, 0, keep);
        }
        heldLength = keep;
    }

    private void writeVerbatim(long from, long to, byte[] b, int off, long chunkStart) throws IOException {
        long heldStart = chunkStart - heldLength;
        if (from < chunkStart) {
            long stop = Math.min(to, chunkStart);
            out.write(held, (int) (from - heldStart), (int) (stop - from));
            from = stop;
        }
        if (from < to) {
            out.write(b, off + (int) (from - chunkStart), (int) (to - from));
        }
    }

    /**
     * Passes on everything that can no longer become part of a match (already done by every {@code write}), then
     * flushes the underlying stream. Held bytes stay held: they may be the start of a secret.
     */
    @Override
    public void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    /** Passes on the held tail (masking what matched), then closes the underlying stream. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            release(written, held, 0, written);
        } finally {
            Arrays.fill(held, (byte) 0);
            heldLength = 0;
            out.close();
        }
    }
}
