package io.jenkins.plugins.kmssecrets.check;

import io.jenkins.plugins.kmssecrets.manifest.SecretBinding;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import java.util.Objects;

/**
 * One secret to check: a label for people (the environment variable, or the secret name) and the reference.
 *
 * @since 0.1.0
 */
public record CheckTarget(String label, SecretReference reference) {

    public CheckTarget {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(reference, "reference");
    }

    /** The manifest binding's environment variable as label. */
    public static CheckTarget of(SecretBinding binding) {
        return new CheckTarget(binding.env(), binding.reference());
    }

    /** The secret name as label. */
    public static CheckTarget of(SecretReference reference) {
        return new CheckTarget(reference.name(), reference);
    }
}
