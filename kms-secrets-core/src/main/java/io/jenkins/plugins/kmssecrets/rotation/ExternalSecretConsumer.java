package io.jenkins.plugins.kmssecrets.rotation;

import java.util.List;
import java.util.Objects;

/**
 * An ExternalSecret that reads the rotated secret.
 *
 * @param file         the file it is declared in (relative to the working directory), or {@code null} for a live one
 * @param namespace    its namespace, or {@code null} when a file leaves it to the context
 * @param name         its name
 * @param targetSecret the Secret ESO writes for it
 * @param refreshPolicy {@code spec.refreshPolicy}, or {@code null} (ESO's default, Periodic)
 * @param uses         how it reads the secret; at least one
 * @since 0.2.0
 */
public record ExternalSecretConsumer(String file, String namespace, String name, String targetSecret,
                                     String refreshPolicy, List<ExternalSecretUse> uses) {

    public ExternalSecretConsumer {
        Objects.requireNonNull(name, "name");
        uses = List.copyOf(uses);
    }

    /** Whether any use sees the rotated value (false: it reads only other properties of the secret). */
    public boolean affected() {
        return uses.stream().anyMatch(ExternalSecretUse::affected);
    }

    /** Whether ESO ignores a force-sync for it ({@code refreshPolicy: CreatedOnce}). */
    public boolean createdOnce() {
        return "CreatedOnce".equals(refreshPolicy);
    }

    /** {@code namespace/name}, or the name alone. */
    public String id() {
        return namespace == null ? name : namespace + "/" + name;
    }
}
