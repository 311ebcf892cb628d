package io.jenkins.plugins.kmssecrets.masking;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * One stream's state over a shared {@link FormMatcher}. Not thread-safe (one per stream, like any OutputStream).
 *
 * <p>Positions are absolute byte counts since the stream opened. Each {@code write} samples every
 * {@link StrideIndex#stride}-th position with each prefilter, verifies the candidates against the
 * {@link FormDictionary}, and keeps <em>pending</em> the candidates that match as far as the bytes go but need more
 * bytes to decide. After the write, {@code hold} is the length of the longest suffix of the output that is a proper
 * prefix of some form: the longest pending candidate, or a shorter suffix checked against the dictionary directly.
 * No match can start before {@code safe = written - hold}, so every byte before it is final and goes to {@code out}
 * at once, either verbatim or, inside a masked range, as one {@code ****} per range. Decisions depend on the bytes
 * alone, never on how they were chunked.
 */
final class MaskingOutputStream extends OutputStream {

    private final FormDictionary dictionary;
    private final StrideIndex[] indexes;
    private final int shortTail;
    private final int longest;
    private final OutputStream out;
    private final byte[] mask;

    /** Bytes written to this stream so far. */
    private long written;
    /** Held bytes: positions {@code [written - heldLength, written)}. */
    private byte[] held;
    private int heldLength;
    /** The last 8 bytes written (positions {@code [written - 8, written)}), for fingerprints across writes. */
    private final byte[] recent = new byte[8];
    /** Per index: the next position it samples. */
    private final long[] nextSample;

    /** Candidates that match as far as the bytes written go: dictionary range {@code [lo, hi)}, absolute start. */
    private int[] pendingLo = new int[4];
    private int[] pendingHi = new int[4];
    private long[] pendingStart = new long[4];
    private int pendingCount;

    /** Masked ranges not yet fully passed on, sorted and disjoint; inclusive absolute positions. */
    private long[] rangeStart = new long[4];
    private long[] rangeEnd = new long[4];
    /** Whether the range's {@code ****} has already been written (its start is final). */
    private boolean[] rangeMasked = new boolean[4];
    private int rangeCount;

    // The write in progress: the chunk, its absolute bounds [chunkStart, chunkEnd), and the held bytes and the start
    // of the chunk copied together (window, from absolute position heldStart) when a candidate straddles them.
    private byte[] chunk;
    private int chunkOffset;
    private int chunkLength;
    private long chunkStart;
    private long chunkEnd;
    private long heldStart;
    private byte[] window = new byte[0];
    private boolean windowReady;

    private boolean closed;
    private final byte[] single = new byte[1];

    MaskingOutputStream(FormMatcher matcher, OutputStream out, byte[] mask) {
        this.dictionary = matcher.dictionary();
        this.indexes = matcher.indexes();
        this.shortTail = matcher.shortTail();
        this.longest = matcher.longestForm();
        this.out = Objects.requireNonNull(out, "out");
        this.mask = mask;
        this.held = new byte[Math.max(16, longest)];
        this.nextSample = new long[indexes.length];
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
        chunk = b;
        chunkOffset = off;
        chunkLength = len;
        chunkStart = written;
        chunkEnd = written + len;
        heldStart = written - heldLength;
        windowReady = false;
        try {
            int kept = 0;
            for (int p = 0; p < pendingCount; p++) {
                int lo = pendingLo[p];
                int hi = pendingHi[p];
                long start = pendingStart[p];
                if (verify(lo, hi, start)) {
                    pendingLo[kept] = lo;
                    pendingHi[kept] = hi;
                    pendingStart[kept] = start;
                    kept++;
                }
            }
            pendingCount = kept;
            for (int t = 0; t < indexes.length; t++) {
                scan(t);
            }
            long hold = 0;
            for (int p = 0; p < pendingCount; p++) {
                hold = Math.max(hold, chunkEnd - pendingStart[p]);
            }
            hold = shortHold(hold);
            written = chunkEnd;
            release(written - hold, b, off, chunkStart);
            if (len >= recent.length) {
                System.arraycopy(b, off + len - recent.length, recent, 0, recent.length);
            } else {
                System.arraycopy(recent, len, recent, 0, recent.length - len);
                System.arraycopy(b, off, recent, recent.length - len, len);
            }
        } finally {
            chunk = null;
        }
    }

    /** Samples the chunk (and the positions before it whose fingerprint ends in it) with one index. */
    private void scan(int t) {
        StrideIndex index = indexes[t];
        int step = index.stride;
        long q = nextSample[t];
        long last = chunkEnd - index.width;
        while (q <= last && q < chunkStart) {
            sampleSlowly(t, q);
            q += step;
        }
        long fastLast = chunkEnd - 4;
        if (q <= fastLast) {
            int lastIndex = chunkOffset + (int) (fastLast - chunkStart);
            int i = chunkOffset + (int) (q - chunkStart);
            while ((i = index.nextCandidate(chunk, i, lastIndex)) <= lastIndex) {
                candidates(t, Fingerprint.of(chunk, i, index.width), chunkStart + (i - chunkOffset));
                i += step;
            }
            q = chunkStart + (i - chunkOffset);
        }
        while (q <= last) {
            sampleSlowly(t, q);
            q += step;
        }
        nextSample[t] = q;
    }

    private void sampleSlowly(int t, long q) {
        StrideIndex index = indexes[t];
        int x = 0;
        for (int k = index.width - 1; k >= 0; k--) {
            long at = q + k;
            byte b = at >= chunkStart ? chunk[chunkOffset + (int) (at - chunkStart)]
                    : recent[recent.length - (int) (chunkStart - at)];
            x = x << 8 | (b & 0xff);
        }
        if (index.mightContain(x)) {
            candidates(t, x, q);
        }
    }

    /** Verifies every run of groups registered under fingerprint {@code x} at an offset that puts it before q. */
    private void candidates(int t, int x, long q) {
        StrideIndex index = indexes[t];
        int bucket = index.bucket(x);
        int end = index.bucketStart[bucket + 1];
        int[] entries = index.entries;
        for (int e = index.bucketStart[bucket]; e < end; e++) {
            int entry = entries[3 * e];
            long start = q - (entry & 15);
            // A form cannot start before the held bytes: the bytes before them were no prefix of any form.
            if (start < heldStart) {
                continue;
            }
            int direction = entry >>> 4 & 3;
            if (direction != StrideIndex.CHECK_NONE) {
                long at = direction == StrideIndex.CHECK_AFTER ? q + index.width : q - index.width;
                // (byte reads: a VarHandle outside the hot loop may not be compiled to a plain load)
                if (at >= chunkStart && at + index.width <= chunkEnd
                        && Fingerprint.of(chunk, chunkOffset + (int) (at - chunkStart), index.width)
                                != entries[3 * e + 1]) {
                    continue;
                }
            }
            int lo = index.groupFirst[entry >>> 6];
            int hi = index.groupEnd[entries[3 * e + 2]];
            if (verify(lo, hi, start)) {
                addPending(lo, hi, start);
            }
        }
    }

    /**
     * Compares the bytes from {@code start} with the forms {@code [lo, hi)} of the dictionary: records the longest
     * form they begin with as a match, and returns whether they are a proper prefix of a form (more bytes needed).
     */
    private boolean verify(int lo, int hi, long start) {
        byte[] src;
        int from;
        if (start >= chunkStart) {
            src = chunk;
            from = chunkOffset + (int) (start - chunkStart);
        } else {
            prepareWindow();
            src = window;
            from = (int) (start - heldStart);
        }
        int available = (int) Math.min(chunkEnd - start, longest);
        int upper = dictionary.upperBound(lo, hi, src, from, available);
        int found = dictionary.longestPrefixOf(lo, upper, src, from, available);
        if (found > 0) {
            addRange(start, start + found - 1);
        }
        return dictionary.isProperPrefix(upper, hi, src, from, available);
    }

    /** The held bytes followed by the start of the chunk: positions {@code [heldStart, chunkStart + longest)}. */
    private void prepareWindow() {
        if (windowReady) {
            return;
        }
        int fromChunk = Math.min(chunkLength, longest);
        int size = heldLength + fromChunk;
        if (window.length < size) {
            window = new byte[Math.max(size, 2 * longest)];
        }
        System.arraycopy(held, 0, window, 0, heldLength);
        System.arraycopy(chunk, chunkOffset, window, heldLength, fromChunk);
        windowReady = true;
    }

    private void addPending(int lo, int hi, long start) {
        if (pendingCount == pendingStart.length) {
            pendingLo = Arrays.copyOf(pendingLo, pendingCount * 2);
            pendingHi = Arrays.copyOf(pendingHi, pendingCount * 2);
            pendingStart = Arrays.copyOf(pendingStart, pendingCount * 2);
        }
        pendingLo[pendingCount] = lo;
        pendingHi[pendingCount] = hi;
        pendingStart[pendingCount] = start;
        pendingCount++;
    }

    /**
     * The longest suffix shorter than {@code shortTail} (whose candidates the indexes may not have sampled yet) that
     * is a proper prefix of some form, if longer than {@code hold}; otherwise {@code hold}. A suffix cannot start
     * before the held bytes.
     */
    private long shortHold(long hold) {
        int longestSuffix = (int) Math.min(shortTail - 1, chunkEnd - heldStart);
        for (int n = longestSuffix; n > hold; n--) {
            boolean starts;
            if (n <= chunkLength) {
                starts = dictionary.startsSomeForm(chunk, chunkOffset + chunkLength - n, n);
            } else {
                prepareWindow();
                starts = dictionary.startsSomeForm(window, (int) (chunkEnd - n - heldStart), n);
            }
            if (starts) {
                return n;
            }
        }
        return hold;
    }

    /** Adds a matched range, merging it with every range it overlaps (the union of overlapping matches is masked). */
    private void addRange(long start, long end) {
        int lo = 0;
        while (lo < rangeCount && rangeEnd[lo] < start) {
            lo++;
        }
        int hi = lo;
        long s = start;
        long e = end;
        boolean masked = false;
        while (hi < rangeCount && rangeStart[hi] <= end) {
            s = Math.min(s, rangeStart[hi]);
            e = Math.max(e, rangeEnd[hi]);
            masked |= rangeMasked[hi];
            hi++;
        }
        if (hi == lo) {
            if (rangeCount == rangeStart.length) {
                rangeStart = Arrays.copyOf(rangeStart, rangeCount * 2);
                rangeEnd = Arrays.copyOf(rangeEnd, rangeCount * 2);
                rangeMasked = Arrays.copyOf(rangeMasked, rangeCount * 2);
            }
            System.arraycopy(rangeStart, lo, rangeStart, lo + 1, rangeCount - lo);
            System.arraycopy(rangeEnd, lo, rangeEnd, lo + 1, rangeCount - lo);
            System.arraycopy(rangeMasked, lo, rangeMasked, lo + 1, rangeCount - lo);
            rangeCount++;
        } else if (hi > lo + 1) {
            System.arraycopy(rangeStart, hi, rangeStart, lo + 1, rangeCount - hi);
            System.arraycopy(rangeEnd, hi, rangeEnd, lo + 1, rangeCount - hi);
            System.arraycopy(rangeMasked, hi, rangeMasked, lo + 1, rangeCount - hi);
            rangeCount -= hi - lo - 1;
        }
        rangeStart[lo] = s;
        rangeEnd[lo] = e;
        rangeMasked[lo] = masked;
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
            // The copies that may hold the start of a secret.
            Arrays.fill(held, (byte) 0);
            Arrays.fill(window, (byte) 0);
            Arrays.fill(recent, (byte) 0);
            heldLength = 0;
            pendingCount = 0;
            out.close();
        }
    }
}
