package io.jenkins.plugins.kmssecrets.masking;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The compiled form of a set of secrets: replaces every occurrence of any form of any secret by {@code ****} in
 * streamed output. Immutable and thread-safe; build it once and {@link #wrap} as many streams as needed.
 *
 * <h2>Forms masked</h2>
 * For each secret, as UTF-8 and (with {@link #compile(Map, Charset)}) also in the run's charset:
 * <ul>
 *   <li>the literal value;</li>
 *   <li>for multi-line values: the whole value with {@code \n} and with {@code \r\n} line ends, and each line
 *       (without surrounding whitespace) that is at least 3 characters long;</li>
 *   <li>base64, standard and URL-safe, padded and unpadded; and for a secret embedded in a larger base64 blob, for
 *       each of the three byte alignments, the inner run of base64 characters determined by the secret alone (when
 *       it is at least 4 characters long);</li>
 *   <li>percent-encoding (RFC 3986 with upper- and lower-case hex, {@code encodeURIComponent}, HTML form encoding
 *       with {@code +} for space);</li>
 *   <li>JSON string escaping (minimal, {@code \/}, ASCII-only {@code \}{@code uXXXX}, HTML-safe);</li>
 *   <li>shell quoting as printed by bash and sh: {@code '\''} and {@code '"'"'} for single quotes, double-quoted
 *       ({@code export -p}), and {@code printf %q} (backslashes, or ANSI-C {@code $'...'} with control
 *       characters);</li>
 *   <li>hex, lower and upper case.</li>
 * </ul>
 * Secrets under 3 characters (bytes, for binary values) are not masked: they would mask unrelated text everywhere.
 * They are listed by name in {@link #tooShortToMask()} so callers can warn.
 *
 * <h2>Streaming</h2>
 * Overlapping matches are merged and their union replaced by one {@code ****}. The output is the same however the
 * input is split into writes. A stream holds back only the bytes that could still be the start of a form (at most
 * the longest form's length); everything else is passed on by the {@code write} that completes it, so output without
 * newlines keeps flowing.
 *
 * <p>Matching samples every 8th byte (more often when forms shorter than 11 bytes exist) against a filter of the
 * forms' leading bytes and verifies the few candidates by binary search in the sorted forms: on ordinary text the time
 * per byte does not grow with the number of secrets; memory is linear in the total length of the forms. The masker
 * keeps no {@link SecretValue}; it holds the sorted forms, and never prints them.
 *
 * @since 0.1.0
 */
public final class SecretMasker {

    /** What every masked range becomes. */
    public static final String MASK = "****";

    private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.US_ASCII);

    private final FormMatcher matcher;
    private final Set<String> tooShort;
    private final int formCount;
    private final int secretCount;

    private SecretMasker(FormMatcher matcher, Set<String> tooShort, int formCount, int secretCount) {
        this.matcher = matcher;
        this.tooShort = tooShort;
        this.formCount = formCount;
        this.secretCount = secretCount;
    }

    /**
     * Compiles secrets with their forms in UTF-8.
     *
     * @param secretsByName secret (or variable) names to values; the values are read, not retained, and may be wiped
     *     by the caller afterwards
     * @throws IllegalArgumentException if a value has already been wiped (the message names the secret)
     * @since 0.1.0
     */
    public static SecretMasker compile(Map<String, SecretValue> secretsByName) {
        return compile(secretsByName, StandardCharsets.UTF_8);
    }

    /**
     * Compiles secrets with their forms in UTF-8 and also in {@code runCharset}, the charset the masked process
     * writes (for example a Windows agent's code page).
     *
     * @throws IllegalArgumentException if a value has already been wiped (the message names the secret)
     * @since 0.1.0
     */
    public static SecretMasker compile(Map<String, SecretValue> secretsByName, Charset runCharset) {
        Objects.requireNonNull(secretsByName, "secretsByName");
        Objects.requireNonNull(runCharset, "runCharset");
        List<byte[]> patterns = new ArrayList<>();
        Set<String> tooShort = new TreeSet<>();
        for (Map.Entry<String, SecretValue> entry : secretsByName.entrySet()) {
            String name = Objects.requireNonNull(entry.getKey(), "secret name");
            SecretValue value = Objects.requireNonNull(entry.getValue(), () -> "value of secret " + name);
            if (value.isWiped()) {
                throw new IllegalArgumentException("secret '" + name + "' was wiped before the masker was compiled");
            }
            byte[] bytes = value.bytes();
            try {
                String text = decodeStrict(bytes);
                int length = text == null ? bytes.length : text.codePointCount(0, text.length());
                if (length < SecretForms.MIN_SECRET_CHARS) {
                    tooShort.add(name);
                    continue;
                }
                patterns.addAll(SecretForms.of(bytes, text, runCharset));
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
        FormMatcher matcher = new FormMatcher(patterns);
        for (byte[] pattern : patterns) {
            Arrays.fill(pattern, (byte) 0);
        }
        return new SecretMasker(matcher, Collections.unmodifiableSet(tooShort), matcher.formCount(),
                secretsByName.size());
    }

    /**
     * The forms of one text value listed above, as text, for maskers that match decoded text line by line (such as
     * the Jenkins credentials-binding plugin's): each line of a multi-line value stands for the secret, so a value
     * spread over several lines is still masked line by line. Forms in another charset are not included (a text
     * masker matches decoded characters).
     *
     * @param value the value; not retained
     * @return every form at least 3 characters long, without duplicates, literal first; empty when the value is
     *     shorter than 3 characters (such values are not masked, see {@link #tooShortToMask()})
     * @since 0.1.0
     */
    public static List<String> textForms(String value) {
        Objects.requireNonNull(value, "value");
        if (value.codePointCount(0, value.length()) < SecretForms.MIN_SECRET_CHARS) {
            return List.of();
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        try {
            Set<String> forms = new LinkedHashSet<>();
            for (byte[] form : SecretForms.of(bytes, value, StandardCharsets.UTF_8)) {
                forms.add(new String(form, StandardCharsets.UTF_8));
                Arrays.fill(form, (byte) 0);
            }
            return List.copyOf(forms);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * A new masking stream in front of {@code out}. {@code write} passes on everything that can no longer be part of a
     * match; {@code flush()} flushes {@code out} (held bytes, which could be the start of a secret, stay held);
     * {@code close()} passes on the held tail and closes {@code out}. The stream is not thread-safe; the masker is.
     *
     * @since 0.1.0
     */
    public OutputStream wrap(OutputStream out) {
        return new MaskingOutputStream(matcher, out, MASK_BYTES);
    }

    /**
     * {@code input} with every form masked.
     *
     * @since 0.1.0
     */
    public byte[] mask(byte[] input) {
        ByteArrayOutputStream result = new ByteArrayOutputStream(input.length + 16);
        try (OutputStream masking = wrap(result)) {
            masking.write(input);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory masking failed", e); // cannot happen: the sink is in memory
        }
        return result.toByteArray();
    }

    /**
     * {@code input} with every form masked, matching its UTF-8 encoding.
     *
     * @since 0.1.0
     */
    public String mask(String input) {
        return new String(mask(input.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /**
     * Names (never values) of the secrets that are not masked because they are shorter than 3 characters; sorted.
     *
     * @since 0.1.0
     */
    public Set<String> tooShortToMask() {
        return tooShort;
    }

    /**
     * Number of distinct byte patterns registered, over all secrets and forms.
     *
     * @since 0.1.0
     */
    public int formCount() {
        return formCount;
    }

    /** Counts only: the patterns are never printed. */
    @Override
    public String toString() {
        return "SecretMasker[secrets=" + secretCount + ", forms=" + formCount + ", tooShortToMask="
                + tooShort.size() + "]";
    }

    private static String decodeStrict(byte[] bytes) {
        boolean ascii = true;
        for (byte b : bytes) {
            ascii &= b >= 0;
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
