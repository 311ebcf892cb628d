package io.jenkins.plugins.kmssecrets.jenkins.credentials;

import hudson.util.Secret;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Bytes kept in a {@link Secret}, as {@code kms:} plus base64. The prefix is not valid base64 and does not start with
 * {@code {}, so {@link Secret#fromString(String)} never mistakes the text for a Jenkins ciphertext and decrypts it
 * into something else; base64 carries binary values (a PKCS#12 file) unchanged. Like any {@link Secret}, it is
 * encrypted when written by XStream and travels as plain Java fields over the (encrypted) Remoting channel.
 */
public final class SealedBytes implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "kms:";

    private final Secret sealed;

    private SealedBytes(Secret sealed) {
        this.sealed = sealed;
    }

    /** Seals a copy of {@code bytes}; the caller may wipe its array afterwards. */
    public static SealedBytes of(byte[] bytes) {
        return new SealedBytes(Secret.fromString(PREFIX + Base64.getEncoder().encodeToString(bytes)));
    }

    /** A fresh copy of the bytes; the caller should wipe it when done. */
    public byte[] open() {
        String text = sealed.getPlainText();
        return Base64.getDecoder().decode(text.substring(PREFIX.length()));
    }

    /** The bytes as UTF-8 text. */
    public String openText() {
        return new String(open(), StandardCharsets.UTF_8);
    }

    /** Never the value. */
    @Override
    public String toString() {
        return "SealedBytes[****]";
    }
}
