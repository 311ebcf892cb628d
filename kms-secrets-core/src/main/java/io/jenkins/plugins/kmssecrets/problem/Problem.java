package io.jenkins.plugins.kmssecrets.problem;

import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong with an input, and where. Rendered as {@code file:line:column: message (at $.path)}.
 *
 * @since 0.1.0
 */
public record Problem(SourceLocation location, String message) implements Comparable<Problem> {

    private static final Comparator<Problem> ORDER = Comparator
            .comparing((Problem p) -> Objects.toString(p.location().file(), ""))
            .thenComparingInt(p -> p.location().line())
            .thenComparingInt(p -> p.location().column())
            .thenComparing(Problem::message);

    public Problem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public int compareTo(Problem other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        String at = location.path() == null ? "" : " (at " + location.path() + ")";
        return location.position() + ": " + message + at;
    }
}
