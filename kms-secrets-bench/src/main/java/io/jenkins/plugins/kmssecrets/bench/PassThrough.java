package io.jenkins.plugins.kmssecrets.bench;

import java.io.IOException;
import java.io.OutputStream;

/** The floor: an OutputStream that hands every write on unchanged. */
final class PassThrough extends OutputStream {

    private final OutputStream out;

    PassThrough(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
