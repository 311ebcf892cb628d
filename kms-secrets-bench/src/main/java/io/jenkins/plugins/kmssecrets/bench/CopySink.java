package io.jenkins.plugins.kmssecrets.bench;

import java.io.OutputStream;

/**
 * Where every variant writes: copies each write into a reusable buffer (the unavoidable copy into a log file's
 * buffer) and counts bytes, so nothing is optimised away and all variants pay the same sink cost.
 */
final class CopySink extends OutputStream {

    private final byte[] buffer = new byte[64 * 1024];
    long bytes;

    @Override
    public void write(int b) {
        buffer[(int) (bytes++ & (buffer.length - 1))] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            int at = (int) (bytes & (buffer.length - 1));
            int n = Math.min(len, buffer.length - at);
            System.arraycopy(b, off, buffer, at, n);
            bytes += n;
            off += n;
            len -= n;
        }
    }
}
