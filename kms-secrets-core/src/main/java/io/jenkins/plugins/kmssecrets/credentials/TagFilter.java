package io.jenkins.plugins.kmssecrets.credentials;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Which secrets are offered as credentials, by their tags (Azure), labels (Google) or custom metadata (Vault).
 * Written as terms separated by commas or new lines; every term must hold (AND):
 * <ul>
 *   <li>{@code key=value}: the tag is present with exactly this value;</li>
 *   <li>{@code key}: the tag is present, with any value;</li>
 *   <li>{@code !key}: the tag is absent.</li>
 * </ul>
 * An empty filter admits every secret. A filter sees names and tags only, never values.
 *
 * @since 0.1.0
 */
public final class TagFilter {

    private static final TagFilter ALL = new TagFilter(List.of(), "");

    private final List<Term> terms;
    private final String text;

    private TagFilter(List<Term> terms, String text) {
        this.terms = terms;
        this.text = text;
    }

    /** The filter that admits everything. */
    public static TagFilter all() {
        return ALL;
    }

    /**
     * Parses a filter; {@code null} or blank text is {@link #all()}.
     *
     * @throws InvalidInputException naming the term (1-based) that is malformed
     * @since 0.1.0
     */
    public static TagFilter parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        List<Term> terms = new ArrayList<>();
        String[] parts = text.split("[,\\r\\n]+");
        int index = 0;
        for (String raw : parts) {
            String part = raw.trim();
            if (part.isEmpty()) {
                continue;
            }
            index++;
            int eq = part.indexOf('=');
            if (part.startsWith("!")) {
                String key = part.substring(1).trim();
                if (key.isEmpty() || eq >= 0) {
                    throw bad(index, part, "expected !key");
                }
                terms.add(new Term(key, null, true));
            } else if (eq < 0) {
                terms.add(new Term(part, null, false));
            } else {
                String key = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                if (key.isEmpty()) {
                    throw bad(index, part, "missing key before '='");
                }
                terms.add(new Term(key, value, false));
            }
        }
        return terms.isEmpty() ? ALL : new TagFilter(Collections.unmodifiableList(terms), text.trim());
    }

    /**
     * Whether a secret with these tags is admitted; {@code null} means no tags.
     *
     * @since 0.1.0
     */
    public boolean matches(Map<String, String> tags) {
        Map<String, String> safe = tags == null ? Map.of() : tags;
        for (Term term : terms) {
            boolean present = safe.containsKey(term.key);
            if (term.negated) {
                if (present) {
                    return false;
                }
            } else if (!present || term.value != null && !term.value.equals(safe.get(term.key))) {
                return false;
            }
        }
        return true;
    }

    /** Whether this filter admits everything. */
    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** The filter as written (trimmed); empty for {@link #all()}. */
    @Override
    public String toString() {
        return text;
    }

    private static InvalidInputException bad(int index, String term, String expected) {
        return new InvalidInputException(null, null, "tag filter term " + index + " '" + term + "' is malformed; "
                + expected + " (terms are key=value, key or !key, separated by commas)");
    }

    private record Term(String key, String value, boolean negated) {
    }
}
