package io.jenkins.plugins.kmssecrets.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code #property} of a reference as a path into a JSON object: keys separated by {@code .}, so
 * {@code #pool.max} is the key {@code max} of the object under {@code pool}. A dot that belongs to a key is written
 * {@code \.} and a backslash {@code \\} ({@code #tls\.crt} is the key {@code tls.crt}), the escape that
 * External Secrets Operator's {@code property} also understands.
 *
 * <p>A property that is, as written, a key of the top-level object is that key, whatever dots it holds: references
 * such as {@code #tls.crt} written before nested properties existed keep working.
 *
 * @param text the property as written in the reference
 * @param keys the keys along the path, escapes resolved
 * @since 0.2.0
 */
public record PropertyPath(String text, List<String> keys) {

    public PropertyPath {
        keys = List.copyOf(keys);
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message naming the column (1-based, within the property) when a key is
     *                                  empty or a backslash escapes anything but {@code .} or {@code \}
     */
    public static PropertyPath parse(String text) {
        List<String> keys = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
                if (next != '.' && next != '\\') {
                    throw new IllegalArgumentException("'\\' at column " + (i + 1) + " of the property escapes "
                            + (next == 0 ? "nothing" : "'" + next + "'") + "; write '\\.' for a dot in a key, "
                            + "'\\\\' for a backslash");
                }
                key.append(next);
                i++;
            } else if (c == '.') {
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("empty key before the '.' at column " + (i + 1)
                            + " of the property");
                }
                keys.add(key.toString());
                key.setLength(0);
            } else {
                key.append(c);
            }
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException(text.isEmpty() ? "the property is empty"
                    : "empty key after the '.' at the end of the property");
        }
        keys.add(key.toString());
        return new PropertyPath(text, keys);
    }

    /** Whether the path has more than one key. */
    public boolean isNested() {
        return keys.size() > 1;
    }

    @Override
    public String toString() {
        return text;
    }
}
