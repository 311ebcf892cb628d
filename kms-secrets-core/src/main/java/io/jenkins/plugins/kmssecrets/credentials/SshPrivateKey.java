package io.jenkins.plugins.kmssecrets.credentials;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What an SSH private key credential's value is, without parsing the key itself: OpenSSH
 * ({@code BEGIN OPENSSH PRIVATE KEY}) or PEM ({@code RSA}/{@code EC}/{@code DSA PRIVATE KEY}, PKCS#8
 * {@code PRIVATE KEY} or {@code ENCRYPTED PRIVATE KEY}), and whether it needs a passphrase. Lets a listing say that a
 * key is protected but has no passphrase tag, and lets a credential refuse text that is no key at all.
 *
 * @since 0.1.0
 */
public final class SshPrivateKey {

    /** The container of a key. */
    public enum Format {
        /** {@code -----BEGIN OPENSSH PRIVATE KEY-----}. */
        OPENSSH,
        /** A PEM private key (PKCS#1, SEC 1, DSA, PKCS#8). */
        PEM,
        /** Neither. */
        UNKNOWN
    }

    private static final List<String> PEM_LABELS = List.of("RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY",
            "PRIVATE KEY", "ENCRYPTED PRIVATE KEY");

    private SshPrivateKey() {
    }

    /** The format of {@code text}. */
    public static Format format(String text) {
        for (Pem block : Pem.blocks(text)) {
            if ("OPENSSH PRIVATE KEY".equals(block.label())) {
                return Format.OPENSSH;
            }
            if (PEM_LABELS.contains(block.label())) {
                return Format.PEM;
            }
        }
        return Format.UNKNOWN;
    }

    /**
     * Whether the key is protected by a passphrase: legacy PEM encryption headers, PKCS#8 {@code ENCRYPTED PRIVATE
     * KEY}, or an OpenSSH key whose cipher is not {@code none}.
     */
    public static boolean isEncrypted(String text) {
        for (Pem block : Pem.blocks(text)) {
            if (block.encrypted() || "ENCRYPTED PRIVATE KEY".equals(block.label())) {
                return true;
            }
            if ("OPENSSH PRIVATE KEY".equals(block.label())) {
                return !"none".equals(openSshCipher(block.der()));
            }
        }
        return false;
    }

    /** The cipher name after the {@code openssh-key-v1\0} magic. */
    private static String openSshCipher(byte[] der) {
        byte[] magic = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
        if (der.length < magic.length + 4) {
            return "";
        }
        int length = (der[magic.length] & 0xff) << 24 | (der[magic.length + 1] & 0xff) << 16
                | (der[magic.length + 2] & 0xff) << 8 | der[magic.length + 3] & 0xff;
        int start = magic.length + 4;
        if (length < 0 || start + length > der.length) {
            return "";
        }
        return new String(der, start, length, StandardCharsets.US_ASCII);
    }
}
