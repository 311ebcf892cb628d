package io.jenkins.plugins.kmssecrets.problem;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.util.List;

/**
 * An input with one or more problems, all reported together. The message is the first problem plus a count; callers
 * that can print more lines print {@link #problems()}.
 *
 * @since 0.1.0
 */
public class ProblemsException extends InvalidInputException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public ProblemsException(List<Problem> problems) {
        super(null, null, summary(problems));
        this.problems = List.copyOf(problems.stream().sorted().toList());
    }

    /** Every problem, sorted by file, line and column. */
    public List<Problem> problems() {
        return problems;
    }

    private static String summary(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        Problem first = problems.stream().sorted().findFirst().orElseThrow();
        return problems.size() == 1 ? first.toString()
                : first + " (and " + (problems.size() - 1) + " more problem" + (problems.size() > 2 ? "s" : "") + ")";
    }
}
