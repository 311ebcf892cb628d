package io.jenkins.plugins.kmssecrets.store;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A secret value. It is deliberately not a {@link String}: {@link #toString()} prints {@code ****}, the class is not
 * {@link java.io.Serializable} (so an object graph that holds one cannot be serialized in plaintext by accident), and
 * {@link #wipe()} overwrites the bytes once the consumer is done.
 *
 * <p>Values are held as bytes (UTF-8 for text). Callers that need text call {@link #asString()} at the last moment,
 * for example to place it into a child process environment.
 *
 * @since 0.1.0
 */
public final class SecretValue implements AutoCloseable {

    private static final String MASK = "****";

    private final byte[] bytes;
    private volatile boolean wiped;

    private SecretValue(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A value holding a copy of {@code bytes}. */
    public static SecretValue ofBytes(byte[] bytes) {
        return new SecretValue(bytes.clone());
    }

    /** A value holding {@code text} encoded as UTF-8. */
    public static SecretValue ofString(String text) {
        return new SecretValue(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A value holding {@code chars} encoded as UTF-8; the caller may wipe {@code chars} afterwards. */
    public static SecretValue ofChars(char[] chars) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[encoded.remaining()];
        encoded.get(out);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return new SecretValue(out);
    }

    /** A copy of the value's bytes; the caller owns (and should wipe) the copy. */
    public byte[] bytes() {
        checkNotWiped();
        return bytes.clone();
    }

    /** An independent copy of this value, which the caller owns and wipes. */
    public SecretValue copy() {
        checkNotWiped();
        return new SecretValue(bytes.clone());
    }

    /** The value decoded as UTF-8 text; malformed input is replaced, never reported with its content. */
    public String asString() {
        checkNotWiped();
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the value's bytes are valid UTF-8 text. */
    public boolean isText() {
        checkNotWiped();
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Length of the value in bytes. */
    public int length() {
        checkNotWiped();
        return bytes.length;
    }

    /** Overwrites the value; any later read throws {@link IllegalStateException}. */
    public void wipe() {
        Arrays.fill(bytes, (byte) 0);
        wiped = true;
    }

    public boolean isWiped() {
        return wiped;
    }

    /** Same as {@link #wipe()}, so a value can live in a try-with-resources block. */
    @Override
    public void close() {
        wipe();
    }

    private void checkNotWiped() {
        if (wiped) {
            throw new IllegalStateException("secret value has been wiped");
        }
    }

    /** Constant-time comparison of the contents. */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof SecretValue that)) {
            return false;
        }
        return MessageDigest.isEqual(bytes, that.bytes);
    }

    /** Constant: a hash of a secret would leak information about it. */
    @Override
    public int hashCode() {
        return 0x5ec4e7;
    }

    @Override
    public String toString() {
        return MASK;
    }
}
