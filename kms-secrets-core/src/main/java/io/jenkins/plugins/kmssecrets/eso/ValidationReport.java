package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * What validation found: every problem (sorted by file and line), the ExternalSecrets read, and notes such as the
 * {@code v1} equivalent of a {@code v1beta1} document.
 *
 * @since 0.1.0
 */
public final class ValidationReport {

    private final List<Problem> problems = new ArrayList<>();
    private final List<ExternalSecretDocument> documents = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** Adds problems. */
    public void addProblems(List<Problem> more) {
        problems.addAll(more);
    }

    void addDocument(ExternalSecretDocument document) {
        documents.add(document);
    }

    /** Adds an explanatory note (printed after the problems). */
    public void addNote(String note) {
        notes.add(note);
    }

    /** Merges another report into this one. */
    public void addAll(ValidationReport other) {
        problems.addAll(other.problems);
        documents.addAll(other.documents);
        notes.addAll(other.notes);
    }

    /** Every problem, sorted by file, line and column. */
    public List<Problem> problems() {
        return problems.stream().sorted().toList();
    }

    /** The ExternalSecrets read, in file order. */
    public List<ExternalSecretDocument> documents() {
        return List.copyOf(documents);
    }

    /** Notes in the order they were added. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Whether nothing is wrong. */
    public boolean isValid() {
        return problems.isEmpty();
    }
}
