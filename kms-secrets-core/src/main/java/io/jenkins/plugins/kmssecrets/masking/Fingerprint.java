package io.jenkins.plugins.kmssecrets.masking;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Up to 4 bytes read as one little-endian {@code int}, and its hash: the unit the prefilters work on. */
final class Fingerprint {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Fingerprint() {
    }

    /** The {@code width} (1 to 4) bytes at {@code b[from]}, little-endian. */
    static int of(byte[] b, int from, int width) {
        int x = 0;
        for (int i = width - 1; i >= 0; i--) {
            x = x << 8 | (b[from + i] & 0xff);
        }
        return x;
    }

    /** The 4 bytes at {@code b[from]}, little-endian, in one read; {@code from + 4 <= b.length}. */
    static int read4(byte[] b, int from) {
        return (int) INT.get(b, from);
    }

    /** Multiplicative hash: the high bits pick a filter word and a bucket, bits 24 to 41 the bits in the word. */
    static long hash(int x) {
        return (x & 0xFFFFFFFFL) * 0x9E3779B97F4A7C15L;
    }
}
