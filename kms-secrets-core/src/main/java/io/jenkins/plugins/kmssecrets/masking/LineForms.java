package io.jenkins.plugins.kmssecrets.masking;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The forms of a secret that {@link SecretMasker} masks (see {@code docs/masking.md}), as single lines of text, for a
 * masker that works line by line and has to be told the strings to hide, such as a CI runner's log (GitHub Actions'
 * {@code ::add-mask::}). A multi-line form is given line by line; forms that are not UTF-8 text and lines shorter
 * than the masker's minimum (3 characters) are left out, so nothing short enough to hide unrelated text is returned.
 *
 * <p>The returned strings are the secret in another shape: handle them like the value (print them only where the
 * runner consumes them, never to a log).
 *
 * @since 0.2.0
 */
public final class LineForms {

    private LineForms() {
    }

    /**
     * The distinct single-line forms of {@code value}, the value's own lines first; empty when the value is too short
     * to be masked.
     */
    public static List<String> of(SecretValue value) {
        byte[] bytes = value.bytes();
        try {
            String text = decode(bytes);
            int length = text == null ? bytes.length : text.codePointCount(0, text.length());
            if (length < SecretForms.MIN_SECRET_CHARS) {
                return List.of();
            }
            Set<String> lines = new LinkedHashSet<>();
            for (byte[] form : SecretForms.of(bytes, text, StandardCharsets.UTF_8)) {
                String decoded = decode(form);
                Arrays.fill(form, (byte) 0);
                if (decoded == null) {
                    continue;
                }
                for (String line : decoded.split("\r\n|\r|\n")) {
                    if (line.codePointCount(0, line.length()) >= SecretForms.MIN_SECRET_CHARS) {
                        lines.add(line);
                    }
                }
            }
            return new ArrayList<>(lines);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static String decode(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
