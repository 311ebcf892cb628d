package io.jenkins.plugins.kmssecrets.manifest;

import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import java.util.Objects;

/**
 * One secret a project needs: the environment variable it is injected as, and where it comes from.
 *
 * @param env       environment variable name
 * @param reference the secret
 * @param location  where the binding was declared, or {@code null}
 * @since 0.1.0
 */
public record SecretBinding(String env, SecretReference reference, SourceLocation location) {

    public SecretBinding {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(reference, "reference");
    }
}
