package io.jenkins.plugins.kmssecrets.rotation;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where the new value of a rotation comes from: standard input, a file, or a generator. Never a command-line argument,
 * so a value is never in a process list or a shell history. The value is read into a {@link SecretValue} and nothing
 * of it is printed; errors name the source, never content.
 *
 * <p>Generator specification: {@code length=N[,charset=NAME]} where NAME is {@code alnum} (letters and digits, the
 * default), {@code hex}, {@code base64url} or {@code printable} (ASCII 33..126 without quotes and backslash, so the
 * value survives shells and JSON unescaped). Values come from {@link SecureRandom}, one character at a time by
 * rejection sampling, so every character of the set is equally likely.
 *
 * @since 0.2.0
 */
public final class NewValueSource {

    /** The largest value read from standard input or a file: Google Secret Manager's 64 KiB limit. */
    public static final int MAX_BYTES = 64 * 1024;
    /** The longest generated value. */
    public static final int MAX_GENERATED = 4096;

    private static final Map<String, String> CHARSETS = new LinkedHashMap<>();

    static {
        String letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        String digits = "0123456789";
        CHARSETS.put("alnum", letters + digits);
        CHARSETS.put("hex", digits + "abcdef");
        CHARSETS.put("base64url", letters + digits + "-_");
        StringBuilder printable = new StringBuilder();
        for (char c = 33; c <= 126; c++) {
            if (c != '"' && c != '\'' && c != '\\' && c != '`') {
                printable.append(c);
            }
        }
        CHARSETS.put("printable", printable.toString());
    }

    private NewValueSource() {
    }

    /** Reads standard input to the end (at most {@link #MAX_BYTES}); one trailing newline is dropped. */
    public static SecretValue fromStream(InputStream in, String source) {
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        byte[] bytes = null;
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (collected.size() + read > MAX_BYTES) {
                    throw new InvalidInputException(null, null, source + " holds more than " + MAX_BYTES
                            + " bytes; not a secret value");
                }
                collected.write(buffer, 0, read);
            }
            bytes = collected.toByteArray();
            int length = bytes.length;
            if (length > 0 && bytes[length - 1] == '\n') {
                length--;
                if (length > 0 && bytes[length - 1] == '\r') {
                    length--;
                }
            }
            if (length == 0) {
                throw new InvalidInputException(null, null, source + " is empty; refusing to write an empty value");
            }
            return SecretValue.ofBytes(Arrays.copyOf(bytes, length));
        } catch (IOException e) {
            throw new InvalidInputException(null, null, "cannot read " + source + " (" + e.getClass().getSimpleName()
                    + ")");
        } finally {
            Arrays.fill(buffer, (byte) 0);
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
            // ByteArrayOutputStream keeps its own array: overwrite it through reset + zeros.
            int size = collected.size();
            collected.reset();
            collected.write(new byte[size], 0, size);
        }
    }

    /** Reads a regular file (not a link), at most {@link #MAX_BYTES}. */
    public static SecretValue fromFile(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidInputException(null, null, file + ": not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return fromStream(in, file.toString());
        } catch (IOException e) {
            throw new InvalidInputException(null, null, "cannot read " + file + " (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /** A value from {@code spec}, for example {@code length=32} or {@code length=40,charset=hex}. */
    public static SecretValue generate(String spec, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        int length = -1;
        String charset = "alnum";
        for (String part : spec.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2) {
                throw badSpec(spec, "expected key=value pairs");
            }
            switch (pair[0].trim().toLowerCase(Locale.ROOT)) {
                case "length" -> {
                    try {
                        length = Integer.parseInt(pair[1].trim());
                    } catch (NumberFormatException e) {
                        throw badSpec(spec, "length must be a number");
                    }
                }
                case "charset" -> charset = pair[1].trim().toLowerCase(Locale.ROOT);
                default -> throw badSpec(spec, "unknown key '" + pair[0].trim() + "'");
            }
        }
        if (length < 8 || length > MAX_GENERATED) {
            throw badSpec(spec, "length must be between 8 and " + MAX_GENERATED);
        }
        String alphabet = CHARSETS.get(charset);
        if (alphabet == null) {
            throw badSpec(spec, "charset must be one of " + String.join(", ", CHARSETS.keySet()));
        }
        byte[] out = new byte[length];
        try {
            for (int i = 0; i < length; i++) {
                out[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            return SecretValue.ofBytes(out);
        } finally {
            Arrays.fill(out, (byte) 0);
        }
    }

    /** The generator's character sets, by name. */
    public static Map<String, String> charsets() {
        return java.util.Collections.unmodifiableMap(CHARSETS);
    }

    private static InvalidInputException badSpec(String spec, String why) {
        return new InvalidInputException(null, null, "--generate '" + spec + "': " + why
                + " (for example length=32 or length=40,charset=hex)");
    }
}
