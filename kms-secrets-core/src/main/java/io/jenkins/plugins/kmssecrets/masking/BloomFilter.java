package io.jenkins.plugins.kmssecrets.masking;

/**
 * A blocked Bloom filter over {@link Fingerprint}s: three bits per key, all in one {@code long}, so a test is one
 * memory read. With {@code bitsPerKey} of 16 to 32 a key that was not added tests positive well under 1 % of the time.
 */
final class BloomFilter {

    private static final int MIN_WORDS = 8;
    /** Word index bits come from the top of the hash and must not reach bit 41 (the in-word bits). */
    private static final int MAX_WORDS = 1 << 22;

    final long[] words;
    final int shift;

    BloomFilter(int keys, int bitsPerKey) {
        long wanted = Math.max(MIN_WORDS, ((long) keys * bitsPerKey + 63) / 64);
        int count = (int) Math.min(MAX_WORDS, Long.highestOneBit(wanted - 1) << 1);
        words = new long[Math.max(MIN_WORDS, count)];
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
