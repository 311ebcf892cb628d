package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import java.util.Objects;

/**
 * One key of the generated Kubernetes Secret and the vault secret it comes from. The reference's name, version and
 * property become {@code remoteRef.key}, {@code remoteRef.version} and {@code remoteRef.property}; its store id names
 * the kms-secrets store that {@code validate --check-remote} asks.
 *
 * @param secretKey the key in the Kubernetes Secret
 * @param reference where the value comes from
 * @param location  where it was declared, or {@code null}
 * @since 0.1.0
 */
public record KeyMapping(String secretKey, SecretReference reference, SourceLocation location) {

    public KeyMapping {
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(reference, "reference");
    }
}
