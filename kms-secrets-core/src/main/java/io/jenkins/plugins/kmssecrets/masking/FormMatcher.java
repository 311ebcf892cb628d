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

    /** @param forms distinct forms of at least 3 bytes; read, not retained (the caller wipes them) */
    FormMatcher(Collection<byte[]> forms) {
        byte[][] sorted = forms.toArray(new byte[0][]);
        Arrays.sort(sorted, Arrays::compareUnsigned);
        dictionary = new FormDictionary(sorted);
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
            built[count++] = new StrideIndex(dictionary, shortest, LONG_FORM, shortest - width + 1, width,
                    SHORT_FILTER_BITS_PER_KEY);
        }
        if (shortestLong != Integer.MAX_VALUE) {
            int stride = Math.min(LONG_STRIDE, shortestLong - 3);
            built[count++] = new StrideIndex(dictionary, LONG_FORM, Integer.MAX_VALUE, stride, 4,
                    LONG_FILTER_BITS_PER_KEY);
        }
        indexes = Arrays.copyOf(built, count);
        int tail = 0;
        for (StrideIndex index : indexes) {
            tail = Math.max(tail, index.prefixLength);
        }
        shortTail = tail;
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
