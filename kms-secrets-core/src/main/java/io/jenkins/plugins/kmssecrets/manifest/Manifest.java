package io.jenkins.plugins.kmssecrets.manifest;

import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A parsed, validated {@code kms-secrets.yaml}: the stores a project uses and the secrets it needs. Jenkins jobs,
 * local runs and the ExternalSecret generator share this one list.
 *
 * @param file            the manifest file
 * @param stores          store definitions, in file order
 * @param secrets         secret bindings, in file order
 * @param externalSecrets the raw {@code externalSecrets} section (interpreted by the ESO package), or {@code null}
 * @since 0.1.0
 */
public record Manifest(Path file, List<StoreDefinition> stores, List<SecretBinding> secrets,
                       YamlNode externalSecrets) {

    public Manifest {
        stores = List.copyOf(stores);
        secrets = List.copyOf(secrets);
    }

    /** The store definition with this id. */
    public Optional<StoreDefinition> store(String id) {
        return stores.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The directory relative store settings resolve against. */
    public Path baseDirectory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }
}
