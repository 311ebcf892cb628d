package io.jenkins.plugins.kmssecrets.manifest;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parsed, validated {@code kms-secrets.yaml}: the stores a project uses and the secrets it needs. Jenkins jobs,
 * local runs and the ExternalSecret generator share this one list.
 *
 * <p>With an environment {@linkplain #select(String) selected}, {@link #stores()} are the stores in effect there:
 * the base definitions, with the environment's replacements, and without the stores it sets to {@code none}.
 *
 * @param file            the manifest file
 * @param stores          store definitions in effect, in file order
 * @param secrets         secret bindings, in file order
 * @param externalSecrets the raw {@code externalSecrets} section (interpreted by the ESO package), or {@code null}
 * @param environments    the {@code environments} section, by name
 * @param environment     the selected environment, or {@code null} for the base stores
 * @since 0.1.0
 */
public record Manifest(Path file, List<StoreDefinition> stores, List<SecretBinding> secrets,
                       YamlNode externalSecrets, Map<String, ManifestEnvironment> environments,
                       ManifestEnvironment environment) {

    /** Store types that keep no versions, so a reference pinning {@code @version} cannot be satisfied by them. */
    private static final Set<String> VERSIONLESS_TYPES = Set.of("sops");

    public Manifest {
        stores = List.copyOf(stores);
        secrets = List.copyOf(secrets);
        environments = Collections.unmodifiableMap(new TreeMap<>(environments));
    }

    /** A manifest without environments. */
    public Manifest(Path file, List<StoreDefinition> stores, List<SecretBinding> secrets, YamlNode externalSecrets) {
        this(file, stores, secrets, externalSecrets, Map.of(), null);
    }

    /** The store definition in effect with this id. */
    public Optional<StoreDefinition> store(String id) {
        return stores.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The directory relative store settings resolve against. */
    public Path baseDirectory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    /**
     * This manifest in the named environment; {@code null} or an empty name gives the base stores (this manifest).
     *
     * @throws InvalidInputException naming the known environments when there is none of that name
     * @since 0.2.0
     */
    public Manifest select(String name) {
        if (name == null || name.isBlank()) {
            return this;
        }
        if (environment != null) {
            throw new IllegalStateException("an environment is already selected");
        }
        ManifestEnvironment selected = environments.get(name.trim());
        if (selected == null) {
            throw new InvalidInputException(null, null, "unknown environment '" + name.trim() + "'; "
                    + (environments.isEmpty() ? file.getFileName() + " declares no environments"
                    : "environments in " + file.getFileName() + ": " + String.join(", ", environments.keySet())));
        }
        List<StoreDefinition> effective = new ArrayList<>();
        for (StoreDefinition base : stores) {
            if (!selected.unavailable().containsKey(base.id())) {
                effective.add(selected.stores().getOrDefault(base.id(), base));
            }
        }
        return new Manifest(file, effective, secrets, externalSecrets, environments, selected);
    }

    /** The selected environment's name, or {@code null} for the base stores. @since 0.2.0 */
    public String environmentName() {
        return environment == null ? null : environment.name();
    }

    /**
     * Why the selected environment cannot give these secrets, one problem per secret (at its binding in the file):
     * its store is set to {@code none} there, or it pins a version in a store that keeps none. Empty without an
     * environment.
     *
     * @since 0.2.0
     */
    public List<Problem> unsatisfiable(Collection<SecretBinding> bindings) {
        List<Problem> problems = new ArrayList<>();
        if (environment == null) {
            return problems;
        }
        for (SecretBinding binding : bindings) {
            String why = unsatisfiable(binding.reference());
            if (why != null) {
                SourceLocation at = binding.location() != null ? binding.location()
                        : new SourceLocation(file.getFileName().toString(), 0, 0, null);
                problems.add(new Problem(at, "environment '" + environment.name() + "' cannot give "
                        + binding.env() + ": " + why));
            }
        }
        return problems;
    }

    /**
     * Throws when the selected environment cannot give one of these secrets.
     *
     * @throws ProblemsException listing each such secret, naming environment, variable and store
     * @since 0.2.0
     */
    public void requireSatisfiable(Collection<SecretBinding> bindings) {
        List<Problem> problems = unsatisfiable(bindings);
        if (!problems.isEmpty()) {
            throw new ProblemsException(problems);
        }
    }

    /**
     * Why the selected environment cannot satisfy this reference, or {@code null} when it can (or none is selected).
     *
     * @since 0.2.0
     */
    public String unsatisfiable(SecretReference reference) {
        if (environment == null) {
            return null;
        }
        String storeId = reference.storeId();
        SourceLocation none = environment.unavailable().get(storeId);
        if (none != null) {
            return "store '" + storeId + "' is set to none in this environment (line " + none.line() + ")";
        }
        StoreDefinition replaced = environment.stores().get(storeId);
        if (replaced != null && reference.version() != null && VERSIONLESS_TYPES.contains(replaced.type())) {
            return "store '" + storeId + "' is a " + replaced.type() + " store here (line "
                    + (replaced.location() == null ? 0 : replaced.location().line())
                    + "), which keeps no versions, and the reference pins @" + reference.version();
        }
        return null;
    }
}
