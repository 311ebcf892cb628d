package io.jenkins.plugins.kmssecrets.store.sops;

import java.util.List;
import java.util.Map;

/**
 * A SOPS document as sops' Go code sees it, independent of YAML or JSON: mappings keep document order, scalars carry
 * the type the Go decoder would give them and their text in the form sops hashes.
 */
sealed interface SopsTree {

    /** Line in the file (from 1), or 0 when unknown (JSON). */
    int line();

    /** A mapping in document order. */
    record Mapping(Map<String, SopsTree> entries, int line) implements SopsTree {
    }

    /** A list. */
    record Sequence(List<SopsTree> items, int line) implements SopsTree {
    }

    /**
     * A scalar. {@code type} is {@link ValueType#STR}, {@link ValueType#INT}, {@link ValueType#FLOAT} or
     * {@link ValueType#BOOL}, or {@code null} for a null (which sops neither encrypts nor hashes); {@code text} is the
     * normalised form ({@code 16} for {@code 0x10}, {@code true} for {@code True}).
     */
    record Scalar(ValueType type, String text, int line) implements SopsTree {
    }
}
