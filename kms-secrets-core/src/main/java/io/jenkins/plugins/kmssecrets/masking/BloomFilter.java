package io.jenkins.plugins.kmssecrets.masking;

/**
 * A blocked Bloom filter over {@link Fingerprint}s: three bits per key, all in one {@code long}, so a test is one
 * memory read. The size is {@code bitsPerKey} per key rounded down to a power of two.
 */
final class BloomFilter {

    /** 8 KiB: a few secrets get a filter with almost no false positives, still in L1. */
    private static final int MIN_WORDS = 1024;
    /** Word index bits come from the top of the hash and must not reach bit 41 (the in-word bits). */
    private static final int MAX_WORDS = 1 << 22;

    final long[] words;
    final int shift;

    BloomFilter(int keys, int bitsPerKey) {
        long wanted = Math.max(MIN_WORDS, (long) keys * bitsPerKey / 64);
        words = new long[(int) Math.min(MAX_WORDS, Long.highestOneBit(wanted))];
        shift = 64 - Integer.numberOfTrailingZeros(words.length);
    }

    static long bits(long hash) {
        return 1L << (hash >>> 24) | 1L << (hash >>> 30) | 1L << (hash >>> 36);
    }

    void add(int fingerprint) {
        long h = Fingerprint.hash(fingerprint);
        words[(int) (h >>> shift)] |= bits(h);
    }

    boolean mightContain(int fingerprint) {
        long h = Fingerprint.hash(fingerprint);
        long bits = bits(h);
        return (words[(int) (h >>> shift)] & bits) == bits;
    }
}
