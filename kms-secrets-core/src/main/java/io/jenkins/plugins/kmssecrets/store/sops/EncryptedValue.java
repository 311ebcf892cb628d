package io.jenkins.plugins.kmssecrets.store.sops;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One {@code ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]} value: AES-256-GCM with sops' 32-byte IV and a 16-byte
 * tag, authenticated with the key path ({@code app2:db:password:}) as additional data.
 */
record EncryptedValue(byte[] data, byte[] iv, byte[] tag, String type) {

    private static final Pattern FORMAT =
            Pattern.compile("ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]");
    private static final int TAG_BYTES = 16;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** Whether {@code text} has the shape of an encrypted value. */
    static boolean looksEncrypted(String text) {
        return text.startsWith("ENC[");
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException when it is not in sops' format (the message holds no part of the text)
     */
    static EncryptedValue parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("not in sops' ENC[AES256_GCM,...] format");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            EncryptedValue value = new EncryptedValue(b64.decode(m.group(1)), b64.decode(m.group(2)),
                    b64.decode(m.group(3)), m.group(4));
            if (value.tag.length != TAG_BYTES || value.iv.length == 0) {
                throw new IllegalArgumentException("the iv or tag has the wrong length");
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("data, iv or tag is not valid base64 of the right length");
        }
    }

    /** The value's type, or {@code null} when sops would not know it either. */
    ValueType valueType() {
        return ValueType.ofTag(type);
    }

    /**
     * Decrypts with {@code key} and {@code additionalData}.
     *
     * @throws GeneralSecurityException when the value fails authentication (tampered, moved, or another key)
     */
    byte[] decrypt(byte[] key, String additionalData) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
        cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = Arrays.copyOf(data, data.length + tag.length);
        System.arraycopy(tag, 0, sealed, data.length, tag.length);
        try {
            return cipher.doFinal(sealed);
        } finally {
            Arrays.fill(sealed, (byte) 0);
        }
    }

    /**
     * {@code plain} encrypted as sops encrypts a value: AES-256-GCM under {@code key} with a fresh random 32-byte IV
     * and {@code additionalData}, written {@code ENC[AES256_GCM,data:…,iv:…,tag:…,type:<type>]}.
     *
     * @since 0.2.0
     */
    static String encrypt(byte[] key, byte[] plain, String additionalData, String type)
            throws GeneralSecurityException {
        byte[] iv = new byte[32];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
        cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plain);
        try {
            Base64.Encoder base64 = Base64.getEncoder();
            return "ENC[AES256_GCM,data:" + base64.encodeToString(Arrays.copyOf(sealed, sealed.length - TAG_BYTES))
                    + ",iv:" + base64.encodeToString(iv) + ",tag:"
                    + base64.encodeToString(Arrays.copyOfRange(sealed, sealed.length - TAG_BYTES, sealed.length))
                    + ",type:" + type + "]";
        } finally {
            Arrays.fill(sealed, (byte) 0);
        }
    }

    /** The additional data sops binds a value to: its mapping keys joined with {@code :}, plus a trailing colon. */
    static String additionalData(java.util.List<String> keys) {
        return String.join(":", keys) + ":";
    }

    @Override
    public String toString() {
        return "EncryptedValue[type=" + type + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncryptedValue that && Arrays.equals(data, that.data) && Arrays.equals(iv, that.iv)
                && Arrays.equals(tag, that.tag) && type.equals(that.type);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(iv);
    }
}
