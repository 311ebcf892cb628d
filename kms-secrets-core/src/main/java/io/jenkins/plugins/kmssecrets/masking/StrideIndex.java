package io.jenkins.plugins.kmssecrets.masking;

import java.util.Arrays;

/**
 * The prefilter for forms of at least {@link #prefixLength} bytes: it looks at every {@link #stride}-th position
 * only. Any occurrence of such a form, starting at {@code s}, covers the sampled position {@code q} in
 * {@code [s, s + stride)}, and the {@link #width} bytes at {@code q} are the form's bytes at offset {@code q - s},
 * which is below {@code stride}: so the filter holds, for each distinct {@code prefixLength}-byte prefix (a
 * <em>group</em> of forms), its fingerprints at offsets {@code 0 .. stride - 1}. A sampled position whose fingerprint
 * is in the filter is a candidate; the {@link #entries} of its bucket say which groups at which offsets to verify.
 *
 * <p>Groups are runs of forms in the {@link FormDictionary} sharing the prefix, so verification is a comparison with
 * the group's prefix and a binary search inside the group. Immutable once built.
 */
final class StrideIndex {

    /** Largest stride: an entry keeps the offset in 4 bits. */
    static final int MAX_STRIDE = 16;

    final int stride;
    final int width;
    /** Keeps the low {@link #width} bytes of a 4-byte read. */
    final int mask;
    /** {@code stride + width - 1}: the bytes of a form that decide its fingerprints. */
    final int prefixLength;

    final long[] filter;
    final int filterShift;
    /**
     * Candidates by bucket (top bits of the fingerprint's hash): entry {@code e} of bucket {@code b}, for
     * {@code bucketStart[b] <= e < bucketStart[b + 1]}, is {@code entries[3e] = firstGroup << 6 | check << 4 | offset},
     * {@code entries[3e + 1]}, the check fingerprint ({@link #CHECK_AFTER}: of the {@code width} bytes after the
     * fingerprint; {@link #CHECK_BEFORE}: before it; {@link #CHECK_NONE}: no check), and {@code entries[3e + 2]}, the
     * last group of the run the entry stands for.
     */
    final int[] bucketStart;
    final int bucketShift;
    final int[] entries;
    static final int CHECK_NONE = 0;
    static final int CHECK_AFTER = 1;
    static final int CHECK_BEFORE = 2;
    /** Groups: forms {@code [groupFirst[g], groupFirst[g + 1])} of the dictionary (runs sharing a prefix). */
    final int[] groupFirst;
    final int[] groupEnd;

    /**
     * Indexes the dictionary's forms whose length is in {@code [minLength, maxLength)}.
     *
     * @param lcp common prefix lengths of adjacent forms, as for {@link FormDictionary#FormDictionary}
     *
     * @param width 3 or 4, at most {@code minLength}
     * @param stride at most {@code minLength - width + 1} and {@link #MAX_STRIDE}
     */
    StrideIndex(FormDictionary dictionary, int[] lcp, int minLength, int maxLength, int stride, int width,
            int filterBitsPerKey) {
        if (stride < 1 || stride > MAX_STRIDE || width < 3 || width > 4 || stride + width - 1 > minLength) {
            throw new IllegalArgumentException("stride " + stride + ", width " + width + ", forms from " + minLength);
        }
        this.stride = stride;
        this.width = width;
        this.mask = width == 4 ? -1 : (1 << (8 * width)) - 1;
        this.prefixLength = stride + width - 1;
        int p = prefixLength;
        int m = dictionary.count();

        // Groups: maximal runs of forms sharing their first p bytes that contain a form of this tier.
        int[] first = new int[16];
        int[] end = new int[16];
        int groups = 0;
        int i = 0;
        while (i < m) {
            if (dictionary.length(i) < p) {
                i++;
                continue;
            }
            int j = i + 1;
            boolean inTier = inTier(dictionary.length(i), minLength, maxLength);
            while (j < m && lcp[j] >= p) {
                inTier |= inTier(dictionary.length(j), minLength, maxLength);
                j++;
            }
            if (inTier) {
                if (groups == first.length) {
                    first = Arrays.copyOf(first, groups * 2);
                    end = Arrays.copyOf(end, groups * 2);
                }
                first[groups] = i;
                end[groups] = j;
                groups++;
            }
            i = j;
        }
        groupFirst = Arrays.copyOf(first, groups);
        groupEnd = Arrays.copyOf(end, groups);

        // For each offset, one key per run of consecutive groups whose prefixes agree on the fingerprint and on the
        // check beside it: the next (or, near the end of the prefix, the previous) width bytes, so text that merely
        // shares a fingerprint with a form (common words do, with thousands of random secrets) is turned away without
        // reading the dictionary, and a family of forms with a long common start (a vendor prefix) is one binary
        // search, not one comparison per form.
        byte[][] prefixes = new byte[groups][p];
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < p; k++) {
                prefixes[g][k] = dictionary.byteAt(groupFirst[g], k);
            }
        }
        int[] shared = new int[groups];
        for (int g = 1; g < groups; g++) {
            int mismatch = Arrays.mismatch(prefixes[g - 1], prefixes[g]);
            shared[g] = mismatch < 0 ? p : mismatch;
        }
        int capacity = Math.max(16, groups * stride);
        int[] fingerprint = new int[capacity];
        int[] entry = new int[capacity];
        int[] check = new int[capacity];
        int[] last = new int[capacity];
        int keys = 0;
        for (int o = 0; o < stride; o++) {
            boolean after = o + 2 * width <= p;
            int decided = after ? o + 2 * width : o + width;
            int direction = after ? CHECK_AFTER : o >= width ? CHECK_BEFORE : CHECK_NONE;
            for (int g = 0; g < groups; ) {
                int h = g + 1;
                while (h < groups && shared[h] >= decided) {
                    h++;
                }
                fingerprint[keys] = Fingerprint.of(prefixes[g], o, width);
                check[keys] = after ? Fingerprint.of(prefixes[g], o + width, width)
                        : o >= width ? Fingerprint.of(prefixes[g], o - width, width) : 0;
                entry[keys] = g << 6 | direction << 4 | o;
                last[keys] = h - 1;
                keys++;
                g = h;
            }
        }
        BloomFilter bloom = new BloomFilter(keys, filterBitsPerKey);
        for (int k = 0; k < keys; k++) {
            bloom.add(fingerprint[k]);
        }
        filter = bloom.words;
        filterShift = bloom.shift;
        int bucketBits = Math.max(4, 32 - Integer.numberOfLeadingZeros(Math.max(1, keys / 4)));
        bucketShift = 64 - bucketBits;
        bucketStart = new int[(1 << bucketBits) + 1];
        for (int k = 0; k < keys; k++) {
            bucketStart[bucket(fingerprint[k]) + 1]++;
        }
        for (int b = 0; b < 1 << bucketBits; b++) {
            bucketStart[b + 1] += bucketStart[b];
        }
        entries = new int[3 * keys];
        int[] fill = Arrays.copyOf(bucketStart, 1 << bucketBits);
        for (int k = 0; k < keys; k++) {
            int at = 3 * fill[bucket(fingerprint[k])]++;
            entries[at] = entry[k];
            entries[at + 1] = check[k];
            entries[at + 2] = last[k];
        }
    }

    private static boolean inTier(int length, int minLength, int maxLength) {
        return length >= minLength && length < maxLength;
    }

    int bucket(int fingerprint) {
        return (int) (Fingerprint.hash(fingerprint) >>> bucketShift);
    }

    /** Whether the fingerprint may be registered (no false negatives). */
    boolean mightContain(int fingerprint) {
        long h = Fingerprint.hash(fingerprint);
        long bits = BloomFilter.bits(h);
        return (filter[(int) (h >>> filterShift)] & bits) == bits;
    }

    /**
     * The hot loop: the first index {@code i} in {@code from, from + stride, ...} up to {@code last} whose
     * fingerprint may be registered, or the first index past {@code last}. Requires {@code last + 4 <= buf.length}.
     */
    int nextCandidate(byte[] buf, int from, int last) {
        final long[] words = filter;
        final int shift = filterShift;
        final int step = stride;
        final int keep = mask;
        int i = from;
        for (; i <= last; i += step) {
            long h = (Fingerprint.read4(buf, i) & keep & 0xFFFFFFFFL) * 0x9E3779B97F4A7C15L;
            long bits = 1L << (h >>> 24) | 1L << (h >>> 30) | 1L << (h >>> 36);
            if ((words[(int) (h >>> shift)] & bits) == bits) {
                return i;
            }
        }
        return i;
    }
}
