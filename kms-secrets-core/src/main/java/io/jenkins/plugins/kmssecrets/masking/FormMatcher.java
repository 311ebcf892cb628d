package io.jenkins.plugins.kmssecrets.masking;

import java.util.Arrays;
import java.util.Collection;

/**
 * The compiled forms: a {@link FormDictionary} and one or two {@link StrideIndex} prefilters over it. Forms of at
 * least {@link #LONG_FORM} bytes (every form of a secret of 11 characters or more) are found by sampling every 8th
 * position; shorter forms, when there are any, by a second index whose stride their shortest length allows (1 for
 * 3-byte forms). Immutable and thread-safe; {@link MaskingOutputStream} keeps each stream's state.
 */
final class FormMatcher {

    static final int LONG_FORM = 11;
    private static final int LONG_STRIDE = 8;
    private static final int LONG_FILTER_BITS_PER_KEY = 24;
    private static final int SHORT_FILTER_BITS_PER_KEY = 16;

    private final FormDictionary dictionary;
    private final StrideIndex[] indexes;
    /** Tails shorter than this are checked against the dictionary directly after each write. */
    private final int shortTail;

    /** @param forms forms of at least 3 bytes, duplicates allowed; read, not retained (the caller wipes them) */
    FormMatcher(Collection<byte[]> forms) {
        byte[][] sorted = sortDistinct(forms.toArray(new byte[0][]));
        int[] lcp = new int[sorted.length];
        for (int i = 1; i < sorted.length; i++) {
            int mismatch = Arrays.mismatch(sorted[i - 1], sorted[i]);
            lcp[i] = mismatch < 0 ? sorted[i].length : mismatch;
        }
        dictionary = new FormDictionary(sorted, lcp);
        int shortest = Integer.MAX_VALUE;
        int shortestLong = Integer.MAX_VALUE;
        for (byte[] form : sorted) {
            shortest = Math.min(shortest, form.length);
            if (form.length >= LONG_FORM) {
                shortestLong = Math.min(shortestLong, form.length);
            }
        }
        StrideIndex[] built = new StrideIndex[2];
        int count = 0;
        if (shortest < LONG_FORM) {
            int width = Math.min(4, shortest);
            built[count++] = new StrideIndex(dictionary, lcp, shortest, LONG_FORM, shortest - width + 1, width,
                    SHORT_FILTER_BITS_PER_KEY);
        }
        if (shortestLong != Integer.MAX_VALUE) {
            int stride = Math.min(LONG_STRIDE, shortestLong - 3);
            built[count++] = new StrideIndex(dictionary, lcp, LONG_FORM, Integer.MAX_VALUE, stride, 4,
                    LONG_FILTER_BITS_PER_KEY);
        }
        indexes = Arrays.copyOf(built, count);
        int tail = 0;
        for (StrideIndex index : indexes) {
            tail = Math.max(tail, index.prefixLength);
        }
        shortTail = tail;
    }

    /**
     * The forms in unsigned lexicographic order, without duplicates. Sorts (index, first 44 bits) pairs packed in
     * {@code long}s, then only the runs that tie on those bits with a comparator: much faster than sorting references.
     */
    static byte[][] sortDistinct(byte[][] forms) {
        int n = forms.length;
        byte[][] sorted;
        if (n >= 1 << 20) {
            sorted = forms.clone();
            Arrays.sort(sorted, Arrays::compareUnsigned);
        } else {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = (leading44(forms[i]) << 20 | i) ^ Long.MIN_VALUE;
            }
            Arrays.sort(keys);
            sorted = new byte[n][];
            for (int i = 0; i < n; i++) {
                sorted[i] = forms[(int) (keys[i] & 0xFFFFF)];
            }
            for (int i = 0; i < n; ) {
                int j = i + 1;
                while (j < n && (keys[j] ^ keys[i]) >>> 20 == 0) {
                    j++;
                }
                if (j - i > 1) {
                    Arrays.sort(sorted, i, j, Arrays::compareUnsigned);
                }
                i = j;
            }
        }
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || !Arrays.equals(sorted[distinct - 1], sorted[i])) {
                sorted[distinct++] = sorted[i];
            }
        }
        return distinct == n ? sorted : Arrays.copyOf(sorted, distinct);
    }

    /** The first 44 bits of a form, big-endian, zero-padded: their order is the forms' order, up to ties. */
    private static long leading44(byte[] form) {
        long key = 0;
        for (int k = 0; k < 6; k++) {
            key = key << 8 | (k < form.length ? form[k] & 0xff : 0);
        }
        return key >>> 4;
    }

    int formCount() {
        return dictionary.count();
    }

    FormDictionary dictionary() {
        return dictionary;
    }

    StrideIndex[] indexes() {
        return indexes;
    }

    /** Suffixes of fewer bytes than this are checked with {@link FormDictionary#startsSomeForm}. */
    int shortTail() {
        return shortTail;
    }

    int longestForm() {
        return dictionary.longest();
    }

    boolean isEmpty() {
        return dictionary.count() == 0;
    }
}
