package io.jenkins.plugins.kmssecrets.masking;

import java.util.Arrays;

/**
 * All forms, sorted (unsigned lexicographic order) and distinct, packed into one byte array, with the prefix queries
 * the matcher needs. A form that is a prefix of the next one in sorted order shares its bytes (base64 padded and
 * unpadded, the first line of a PEM key and the whole key...). Immutable once built; safely shared between threads
 * through its final fields.
 *
 * <p>Sorted order makes prefix questions binary searches: the forms that start with {@code x} are a contiguous run
 * beginning with the first form greater than {@code x}; the forms that are prefixes of {@code x} are all ancestors,
 * along {@link #parent} links, of the greatest form not greater than {@code x}.
 */
final class FormDictionary {

    private final byte[] bytes;
    private final int[] offset;
    private final int[] length;
    /** Per form: the longest other form that is a proper prefix of it, or -1. */
    private final int[] parent;
    private final int count;
    private final int longest;

    // Exact answers to "is this 1-, 2- or 3-byte string a proper prefix of some form", and a filter for 4 bytes.
    private final long[] first1 = new long[4];
    private final long[] first2 = new long[1 << 10];
    /** Open addressing set of {@code prefix + 1} (0 is empty) over the first 3 bytes of forms longer than 3. */
    private final int[] first3;
    private final int first3Shift;
    private final BloomFilter start4;

    /**
     * @param sorted distinct forms of at least 3 bytes, in unsigned lexicographic order; read, not retained
     * @param lcp {@code lcp[i]}: the length of the common prefix of {@code sorted[i - 1]} and {@code sorted[i]}
     *     ({@code lcp[0] = 0})
     */
    FormDictionary(byte[][] sorted, int[] lcp) {
        int m = sorted.length;
        count = m;
        offset = new int[m];
        length = new int[m];
        parent = new int[m];
        long total = 0;
        int max = 0;
        for (int i = 0; i < m; i++) {
            length[i] = sorted[i].length;
            max = Math.max(max, length[i]);
            if (!sharesNext(i, lcp)) {
                total += length[i];
            }
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many secret forms to compile: " + total + " bytes");
        }
        longest = max;
        bytes = new byte[(int) total];
        int end = bytes.length;
        for (int i = m - 1; i >= 0; i--) {
            if (sharesNext(i, lcp)) {
                offset[i] = offset[i + 1];
            } else {
                end -= length[i];
                offset[i] = end;
                System.arraycopy(sorted[i], 0, bytes, end, length[i]);
            }
        }
        // The prefix chain of the current form is a stack: in sorted order, a form's prefixes that are forms come
        // before it, and one on the stack is a prefix of the next form exactly when it fits in their common prefix.
        int[] stack = new int[Math.min(m, 64)];
        int depth = 0;
        for (int i = 0; i < m; i++) {
            while (depth > 0 && length[stack[depth - 1]] > lcp[i]) {
                depth--;
            }
            parent[i] = depth > 0 ? stack[depth - 1] : -1;
            if (depth == stack.length) {
                stack = Arrays.copyOf(stack, depth * 2);
            }
            stack[depth++] = i;
        }

        // Equal prefixes are adjacent: at most this many distinct ones, to size the set and the filter.
        int threes = 0;
        int fours = 0;
        for (int i = 0; i < m; i++) {
            byte[] form = sorted[i];
            set(first1, form[0] & 0xff);
            set(first2, (form[0] & 0xff) | (form[1] & 0xff) << 8);
            if (lcp[i] < 3) {
                threes++;
            }
            if (lcp[i] < 4) {
                fours++;
            }
        }
        first3 = new int[Math.max(16, Integer.highestOneBit(Math.max(1, threes)) << 2)];
        first3Shift = 32 - Integer.numberOfTrailingZeros(first3.length);
        start4 = new BloomFilter(fours, 16);
        for (byte[] form : sorted) {
            if (form.length > 3) {
                addThree(Fingerprint.of(form, 0, 3));
            }
            if (form.length > 4) {
                start4.add(Fingerprint.of(form, 0, 4));
            }
        }
    }

    /** Whether form {@code i} is a prefix of form {@code i + 1} (and so can share its bytes). */
    private boolean sharesNext(int i, int[] lcp) {
        return i + 1 < lcp.length && lcp[i + 1] == length[i];
    }

    private static void set(long[] bits, int index) {
        bits[index >>> 6] |= 1L << index;
    }

    private static boolean get(long[] bits, int index) {
        return (bits[index >>> 6] & 1L << index) != 0;
    }

    private void addThree(int prefix) {
        int mask = first3.length - 1;
        for (int i = prefix * 0x9E3779B1 >>> first3Shift; ; i = (i + 1) & mask) {
            if (first3[i] == 0) {
                first3[i] = prefix + 1;
                return;
            }
            if (first3[i] == prefix + 1) {
                return;
            }
        }
    }

    private boolean hasThree(int prefix) {
        int mask = first3.length - 1;
        for (int i = prefix * 0x9E3779B1 >>> first3Shift; ; i = (i + 1) & mask) {
            int v = first3[i];
            if (v == prefix + 1) {
                return true;
            }
            if (v == 0) {
                return false;
            }
        }
    }

    int count() {
        return count;
    }

    int longest() {
        return longest;
    }

    int length(int form) {
        return length[form];
    }

    /** Byte {@code at} of a form. */
    byte byteAt(int form, int at) {
        return bytes[offset[form] + at];
    }

    /** Whether the first {@code n} bytes of {@code form} equal {@code src[from, from + n)}. */
    boolean regionMatches(int form, byte[] src, int from, int n) {
        int o = offset[form];
        return Arrays.equals(bytes, o, o + n, src, from, from + n);
    }

    /** The first form in {@code [lo, hi)} greater than {@code x = src[from, from + n)}, or {@code hi}. */
    int upperBound(int lo, int hi, byte[] src, int from, int n) {
        int a = lo;
        int b = hi;
        while (a < b) {
            int mid = (a + b) >>> 1;
            int o = offset[mid];
            if (Arrays.compareUnsigned(bytes, o, o + length[mid], src, from, from + n) <= 0) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        return a;
    }

    /**
     * Given {@code upper = upperBound(lo, hi, x)}: whether {@code x} is a proper prefix of a form in {@code [lo, hi)}.
     * The smallest form greater than {@code x} starts with {@code x} if any form does.
     */
    boolean isProperPrefix(int upper, int hi, byte[] src, int from, int n) {
        return upper < hi && length[upper] > n && regionMatches(upper, src, from, n);
    }

    /**
     * Given {@code upper = upperBound(lo, hi, x)}: the length of the longest form that is a prefix of
     * {@code x = src[from, from + n)}, looking from the greatest form in {@code [lo, upper)} down its prefix chain;
     * 0 if there is none.
     */
    int longestPrefixOf(int lo, int upper, byte[] src, int from, int n) {
        int j = upper - 1;
        if (j < lo) {
            return 0;
        }
        int o = offset[j];
        int mismatch = Arrays.mismatch(bytes, o, o + length[j], src, from, from + n);
        if (mismatch < 0 || mismatch == length[j]) {
            return length[j];
        }
        int p = parent[j];
        while (p >= 0 && length[p] > mismatch) {
            p = parent[p];
        }
        return p >= 0 ? length[p] : 0;
    }

    /**
     * Whether {@code src[from, from + n)} is a proper prefix of some form. Exact; cheap when it is not (the case for
     * almost every tail of ordinary text): bit sets for up to 3 bytes, a filter on 4 bytes before a binary search.
     */
    boolean startsSomeForm(byte[] src, int from, int n) {
        int b0 = src[from] & 0xff;
        if (!get(first1, b0)) {
            return false;
        }
        if (n == 1) {
            return true;
        }
        if (!get(first2, b0 | (src[from + 1] & 0xff) << 8)) {
            return false;
        }
        if (n == 2) {
            return true;
        }
        if (!hasThree(Fingerprint.of(src, from, 3))) {
            return false;
        }
        if (n == 3) {
            return true;
        }
        if (!start4.mightContain(Fingerprint.of(src, from, 4))) {
            return false;
        }
        return isProperPrefix(upperBound(0, count, src, from, n), count, src, from, n);
    }
}
