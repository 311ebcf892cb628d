package io.jenkins.plugins.kmssecrets.masking;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The byte patterns under which one secret can show up in output. Each method says which tool prints that form, so a
 * reader can judge what is and is not covered; {@code docs/masking.md} lists them for users.
 *
 * <p>Forms shorter than {@link #MIN_FORM_BYTES} bytes are dropped (they would mask unrelated text everywhere), and the
 * inner base64 substrings of an embedded secret must be at least {@link #MIN_EMBEDDED_BASE64_CHARS} long: shorter
 * ones carry fewer than 24 secret bits and collide with unrelated base64 text (hashes, keys) far too often.
 */
final class SecretForms {

    /** Secrets shorter than this (in characters, or bytes for binary values) are not masked at all. */
    static final int MIN_SECRET_CHARS = 3;
    static final int MIN_FORM_BYTES = 3;
    static final int MIN_EMBEDDED_BASE64_CHARS = 4;

    private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private SecretForms() {
    }

    /**
     * Every form of a value, encoded as UTF-8 and, when {@code runCharset} is not UTF-8, also in that charset.
     *
     * @param value the value's bytes (UTF-8 when it is text); not retained
     * @param text the value decoded, or {@code null} when the value is not valid UTF-8
     */
    static List<byte[]> of(byte[] value, String text, Charset runCharset) {
        Set<String> textForms = new LinkedHashSet<>();
        List<byte[]> literals = new ArrayList<>();
        literals.add(value);
        if (text != null) {
            addTextForms(text, textForms);
            if (!StandardCharsets.UTF_8.equals(runCharset)) {
                byte[] inRun = encode(text, runCharset);
                if (inRun != null) {
                    literals.add(inRun);
                }
            }
            // One line of a multi-line value (a PEM body line, a key file field) can be piped through base64, hex or
            // URL encoding on its own, like the whole value: each line gets the byte forms too.
            for (String line : lines(text)) {
                literals.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        List<byte[]> forms = new ArrayList<>();
        for (String form : textForms) {
            forms.add(form.getBytes(StandardCharsets.UTF_8));
            if (!StandardCharsets.UTF_8.equals(runCharset)) {
                byte[] inRun = encode(form, runCharset);
                if (inRun != null) {
                    forms.add(inRun);
                }
            }
        }
        for (byte[] literal : literals) {
            forms.add(literal.clone());
            addByteForms(literal, forms);
        }
        forms.removeIf(form -> form.length < MIN_FORM_BYTES);
        return forms;
    }

    /** The lines of a multi-line value, stripped, that are long enough to stand for it; empty for one line. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return lines;
        }
        for (String line : text.split("[\r\n]")) {
            String stripped = line.strip();
            if (stripped.codePointCount(0, stripped.length()) >= MIN_SECRET_CHARS && !stripped.equals(text)) {
                lines.add(stripped);
            }
        }
        return lines;
    }

    /** Forms defined on characters: the literal, lines of multi-line values, JSON and shell quoting. */
    private static void addTextForms(String text, Set<String> forms) {
        forms.add(text);
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            // A PEM key or JSON key file: printed whole (with either line ending), or one line at a time by tools
            // that log line by line, or re-indented; each line that is long enough stands for the secret.
            String lf = text.replace("\r\n", "\n");
            forms.add(lf);
            forms.add(lf.replace("\n", "\r\n"));
            for (String line : lf.split("[\r\n]")) {
                String stripped = line.strip();
                if (stripped.codePointCount(0, stripped.length()) >= MIN_SECRET_CHARS) {
                    forms.add(stripped);
                }
            }
        }
        addJsonForms(text, forms);
        addShellForms(text, forms);
    }

    /**
     * JSON string contents as written by the common serializers: minimal escaping (Jackson, JSON.stringify) with
     * upper- or lower-case hex for control characters, {@code \/} (PHP), ASCII-only {@code \}{@code uXXXX} (Python's
     * {@code ensure_ascii}) and HTML-safe escaping of {@code <>&='} (Gson).
     */
    private static void addJsonForms(String text, Set<String> forms) {
        if (!containsAny(text, "\"\\/<>&='", true, true)) {
            return; // every variant is the text itself, already a form
        }
        forms.add(json(text, HEX_UPPER, false, false, false));
        forms.add(json(text, HEX_LOWER, false, false, false));
        forms.add(json(text, HEX_LOWER, true, false, false));
        forms.add(json(text, HEX_LOWER, false, true, false));
        forms.add(json(text, HEX_UPPER, false, true, false));
        forms.add(json(text, HEX_LOWER, false, false, true));
    }

    private static String json(String text, char[] hex, boolean escapeSlash, boolean asciiOnly, boolean htmlSafe) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '/' -> sb.append(escapeSlash ? "\\/" : "/");
                default -> {
                    boolean escape = c < 0x20 || (asciiOnly && c > 0x7e)
                            || (htmlSafe && (c == '<' || c == '>' || c == '&' || c == '=' || c == '\''));
                    if (escape) {
                        sb.append("\\u").append(hex[(c >> 12) & 0xf]).append(hex[(c >> 8) & 0xf])
                                .append(hex[(c >> 4) & 0xf]).append(hex[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * What shells print: bash {@code set -x} quotes with {@code '\''}, other tools with {@code '"'"'}; {@code export
     * -p}/{@code declare -p} use double quotes with {@code \"\\\$\`}; {@code printf %q} backslash-escapes specials, or
     * uses ANSI-C {@code $'...'} when the value has control characters.
     */
    private static void addShellForms(String text, Set<String> forms) {
        if (text.indexOf('\'') >= 0) {
            forms.add(text.replace("'", "'\\''"));
            forms.add(text.replace("'", "'\"'\"'"));
        }
        boolean control = text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        if (!control && !containsAny(text, " !\"$&'()*,;<>?[\\]^`{|}", false, false)
                && text.charAt(0) != '~' && text.charAt(0) != '#') {
            return; // double-quoted and printf %q forms are the text itself, already a form
        }
        StringBuilder dq = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\' || c == '$' || c == '`') {
                dq.append('\\');
            }
            dq.append(c);
        }
        forms.add(dq.toString());
        forms.add(control ? ansiC(text) : backslashQuoted(text));
    }

    private static String backslashQuoted(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (" !\"$&'()*,;<>?[\\]^`{|}".indexOf(c) >= 0 || (i == 0 && (c == '~' || c == '#'))) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String ansiC(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x07 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case 0x0b -> sb.append("\\v");
                case 0x1b -> sb.append("\\E");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append('\\').append((char) ('0' + ((c >> 6) & 7))).append((char) ('0' + ((c >> 3) & 7)))
                                .append((char) ('0' + (c & 7)));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Forms defined on bytes: hex, percent-encoding and base64, computed for one encoding of the value. */
    private static void addByteForms(byte[] value, List<byte[]> forms) {
        forms.add(hex(value, HEX_LOWER));
        forms.add(hex(value, HEX_UPPER));
        // RFC 3986 (curl, Go's PathEscape), JavaScript's encodeURIComponent and HTML forms (Java's URLEncoder); all
        // four are the value itself (a form already) when it has only letters, digits and "-._".
        if (!onlyUnreserved(value)) {
            forms.add(percent(value, "-._~", false, HEX_UPPER));
            forms.add(percent(value, "-._~", false, HEX_LOWER));
            forms.add(percent(value, "-_.!~*'()", false, HEX_UPPER));
            forms.add(percent(value, ".-*_", true, HEX_UPPER));
        }
        for (Base64.Encoder encoder : new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder()}) {
            byte[] padded = encoder.encode(value);
            forms.add(padded);
            forms.add(encoder.withoutPadding().encode(value));
            for (int offset = 0; offset < 3; offset++) {
                byte[] embedded = embeddedBase64(value, offset, encoder);
                if (embedded.length >= MIN_EMBEDDED_BASE64_CHARS) {
                    forms.add(embedded);
                }
            }
        }
    }

    /**
     * The part of the base64 text of a larger blob that is fixed by the secret alone, when the secret starts
     * {@code offset} bytes after a 3-byte group boundary. Output character {@code j} encodes bits {@code [6j, 6j+6)};
     * the secret owns bits {@code [8*offset, 8*(offset+n))}; only characters whose six bits all belong to the secret
     * are the same whatever surrounds it.
     */
    static byte[] embeddedBase64(byte[] value, int offset, Base64.Encoder encoder) {
        byte[] framed = new byte[offset + value.length + 2];
        System.arraycopy(value, 0, framed, offset, value.length);
        byte[] encoded = encoder.withoutPadding().encode(framed);
        int from = (8 * offset + 5) / 6;
        int to = (8 * (offset + value.length)) / 6;
        byte[] stable = new byte[Math.max(0, to - from)];
        System.arraycopy(encoded, from, stable, 0, stable.length);
        java.util.Arrays.fill(framed, (byte) 0);
        java.util.Arrays.fill(encoded, (byte) 0);
        return stable;
    }

    /**
     * Whether the text has a character from {@code chars}, or (when asked) a control character or one above
     * {@code 0x7e}.
     */
    private static boolean containsAny(String text, String chars, boolean control, boolean nonAscii) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (chars.indexOf(c) >= 0 || (control && c < 0x20) || (nonAscii && c > 0x7e)) {
                return true;
            }
        }
        return false;
    }

    private static boolean onlyUnreserved(byte[] value) {
        for (byte b : value) {
            int c = b & 0xff;
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && c != '-' && c != '.' && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static byte[] hex(byte[] value, char[] digits) {
        byte[] out = new byte[value.length * 2];
        for (int i = 0; i < value.length; i++) {
            out[2 * i] = (byte) digits[(value[i] >> 4) & 0xf];
            out[2 * i + 1] = (byte) digits[value[i] & 0xf];
        }
        return out;
    }

    private static byte[] percent(byte[] value, String keep, boolean plusForSpace, char[] digits) {
        StringBuilder sb = new StringBuilder(value.length * 3);
        for (byte b : value) {
            int c = b & 0xff;
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (alnum || (c < 0x80 && keep.indexOf(c) >= 0)) {
                sb.append((char) c);
            } else if (plusForSpace && c == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(digits[c >> 4]).append(digits[c & 0xf]);
            }
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The text in {@code charset}, or {@code null} when the charset cannot represent it. */
    private static byte[] encode(String text, Charset charset) {
        CharsetEncoder encoder = charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer buffer = encoder.encode(CharBuffer.wrap(text));
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
