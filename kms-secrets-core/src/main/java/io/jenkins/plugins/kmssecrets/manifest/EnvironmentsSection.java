package io.jenkins.plugins.kmssecrets.manifest;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretStoreProvider;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the manifest's {@code environments} section. Every problem is added to the caller's list, with file, line
 * and JSON path, like the rest of the manifest.
 *
 * <pre>
 * environments:
 *   dev:
 *     stores:
 *       akv-prod:                 # a base store id
 *         type: sops              # any store type, with that type's settings
 *         file: secrets/dev.enc.yaml
 *       vault-ci: none            # not available in dev: a secret from it is an error
 * </pre>
 */
final class EnvironmentsSection {

    /** The value that marks a store as not available in an environment. */
    static final String NONE = "none";

    private static final Set<String> ENVIRONMENT_KEYS = Set.of("stores", "description");
    private static final Set<String> STORE_KEYS = Set.of("type");

    private final StoreTypes storeTypes;

    EnvironmentsSection(StoreTypes storeTypes) {
        this.storeTypes = storeTypes;
    }

    /** The environments by name, sorted; empty when the section is absent. */
    Map<String, ManifestEnvironment> parse(YamlNode node, Set<String> baseStoreIds, List<Problem> problems) {
        Map<String, ManifestEnvironment> environments = new TreeMap<>();
        if (node == null || node.isNull()) {
            return environments;
        }
        if (!node.isMapping()) {
            problems.add(new Problem(node.location(), "'environments' must be a mapping of environment names to "
                    + "their stores, found " + node.jsonType()));
            return environments;
        }
        node.entries().forEach((name, environment) -> {
            if (!SecretReference.isValidStoreId(name)) {
                problems.add(new Problem(node.keyLocation(name), "environment name '" + name + "' is not valid; use a "
                        + "lower-case letter followed by lower-case letters, digits, '-' or '_'"));
                return;
            }
            ManifestEnvironment parsed = environment(name, environment, node.keyLocation(name), baseStoreIds,
                    problems);
            if (parsed != null) {
                environments.put(name, parsed);
            }
        });
        return environments;
    }

    private ManifestEnvironment environment(String name, YamlNode node, SourceLocation at, Set<String> baseStoreIds,
                                            List<Problem> problems) {
        if (!node.isMapping()) {
            problems.add(new Problem(node.location(), "environment '" + name + "' must be a mapping with 'stores', "
                    + "found " + node.jsonType()));
            return null;
        }
        node.checkKeys(ENVIRONMENT_KEYS, problems);
        node.optionalText("description", problems);
        YamlNode stores = node.get("stores");
        Map<String, StoreDefinition> replaced = new LinkedHashMap<>();
        Map<String, SourceLocation> unavailable = new LinkedHashMap<>();
        if (stores == null || stores.isNull()) {
            problems.add(new Problem(node.location().withPath(YamlNode.childPath(node.path(), "stores")),
                    "environment '" + name + "' has no 'stores'; map base store ids to a store definition or none"));
            return null;
        }
        if (!stores.isMapping()) {
            problems.add(new Problem(stores.location(), "'stores' of environment '" + name + "' must be a mapping "
                    + "of base store ids to a store definition or none, found " + stores.jsonType()));
            return null;
        }
        stores.entries().forEach((id, definition) -> {
            if (!baseStoreIds.contains(id)) {
                problems.add(new Problem(stores.keyLocation(id), "environment '" + name + "' maps store '" + id
                        + "', which 'stores' does not declare; declared stores: "
                        + String.join(", ", new TreeSet<>(baseStoreIds))));
                return;
            }
            if (definition.isScalar() && NONE.equals(definition.text())) {
                unavailable.put(id, definition.location());
                return;
            }
            StoreDefinition store = store(id, definition, problems);
            if (store != null) {
                replaced.put(id, store);
            }
        });
        return new ManifestEnvironment(name, replaced, unavailable, at);
    }

    private StoreDefinition store(String id, YamlNode node, List<Problem> problems) {
        if (!node.isMapping()) {
            problems.add(new Problem(node.location(), "store '" + id + "' must be a store definition (a mapping "
                    + "with 'type' and its settings) or none, found " + node.jsonType()));
            return null;
        }
        String type = node.requiredText("type", problems);
        if (type == null) {
            return null;
        }
        SecretStoreProvider provider = storeTypes.get(type);
        if (provider == null) {
            problems.add(new Problem(node.get("type").location(), "unknown store type '" + type + "'; known types: "
                    + String.join(", ", storeTypes.names())));
            return null;
        }
        Set<String> allowed = new TreeSet<>(STORE_KEYS);
        allowed.addAll(provider.settingKeys());
        int before = problems.size();
        node.checkKeys(allowed, problems);
        if (problems.size() > before) {
            return null;
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        node.entries().forEach((key, value) -> {
            if (!STORE_KEYS.contains(key)) {
                settings.put(key, ManifestParser.toJava(value));
            }
        });
        return new StoreDefinition(id, type, settings, node.location());
    }
}
