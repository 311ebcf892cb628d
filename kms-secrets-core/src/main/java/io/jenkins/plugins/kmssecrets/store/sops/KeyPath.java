package io.jenkins.plugins.kmssecrets.store.sops;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The name of a value in a SOPS file: mapping keys joined with {@code .}, list items addressed as {@code [index]}
 * ({@code app2.db.password}, {@code an_array[2]}, {@code phoneNumbers[0].number}). Characters that would be ambiguous
 * in a key ({@code . [ ] % @ #}, whitespace and control characters) are percent-encoded as UTF-8, so a key
 * {@code my.key} is written {@code my%2Ekey}. {@link #format(List)} and {@link #parse(String)} are inverses.
 *
 * <p>An address is a list whose elements are {@link String} keys and {@link Integer} list indices.
 *
 * @since 0.1.0
 */
public final class KeyPath {

    private KeyPath() {
    }

    /** The canonical name of {@code address}. */
    public static String format(List<Object> address) {
        StringBuilder sb = new StringBuilder();
        for (Object element : address) {
            if (element instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                escape((String) element, sb);
            }
        }
        return sb.toString();
    }

    /** {@code key} with every ambiguous character percent-encoded. */
    public static String escapeKey(String key) {
        StringBuilder sb = new StringBuilder();
        escape(key, sb);
        return sb.toString();
    }

    private static void escape(String key, StringBuilder sb) {
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            int width = Character.charCount(cp);
            if (needsEscape(cp)) {
                for (byte b : key.substring(i, i + width).getBytes(StandardCharsets.UTF_8)) {
                    sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            } else {
                sb.appendCodePoint(cp);
            }
            i += width;
        }
    }

    private static boolean needsEscape(int cp) {
        return cp == '.' || cp == '[' || cp == ']' || cp == '%' || cp == '@' || cp == '#'
                || Character.isWhitespace(cp) || Character.isISOControl(cp) || Character.isSpaceChar(cp);
    }

    /**
     * The address {@code name} denotes.
     *
     * @throws IllegalArgumentException with a one-line description (quoting only the name) when malformed
     */
    public static List<Object> parse(String name) {
        List<Object> address = new ArrayList<>();
        int i = 0;
        int n = name.length();
        if (n == 0) {
            throw new IllegalArgumentException("empty key path");
        }
        while (true) {
            ByteArrayOutputStream key = new ByteArrayOutputStream();
            while (i < n && name.charAt(i) != '.' && name.charAt(i) != '[') {
                char c = name.charAt(i);
                if (c == ']') {
                    throw new IllegalArgumentException("unexpected ']' at column " + (i + 1));
                }
                if (c == '%') {
                    if (i + 2 >= n || Character.digit(name.charAt(i + 1), 16) < 0
                            || Character.digit(name.charAt(i + 2), 16) < 0) {
                        throw new IllegalArgumentException("'%' at column " + (i + 1)
                                + " must be followed by two hex digits (for example %2E for '.')");
                    }
                    key.write(Character.digit(name.charAt(i + 1), 16) * 16 + Character.digit(name.charAt(i + 2), 16));
                    i += 3;
                } else {
                    int cp = name.codePointAt(i);
                    byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                    key.write(utf8, 0, utf8.length);
                    i += Character.charCount(cp);
                }
            }
            if (key.size() == 0) {
                throw new IllegalArgumentException("expected a key at column " + (i + 1));
            }
            address.add(key.toString(StandardCharsets.UTF_8));
            while (i < n && name.charAt(i) == '[') {
                int close = name.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("'[' at column " + (i + 1) + " is not closed");
                }
                String digits = name.substring(i + 1, close);
                if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new IllegalArgumentException("list index at column " + (i + 2)
                            + " must be a non-negative number");
                }
                address.add(Integer.parseInt(digits));
                i = close + 1;
            }
            if (i >= n) {
                return address;
            }
            if (name.charAt(i) != '.') {
                throw new IllegalArgumentException("expected '.' or '[' at column " + (i + 1));
            }
            i++;
            if (i >= n) {
                throw new IllegalArgumentException("key path ends with '.'");
            }
        }
    }

    /** Whether {@code prefix} is a (non-strict) prefix of {@code address}. */
    static boolean startsWith(List<Object> address, List<Object> prefix) {
        return address.size() >= prefix.size() && address.subList(0, prefix.size()).equals(prefix);
    }
}
