package io.jenkins.plugins.kmssecrets.manifest;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreProvider;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code kms-secrets.yaml}. Every problem (unknown keys, duplicate environment names, unknown store ids or
 * types, malformed references, wrong types) is collected and reported together, each with file, line and JSON path.
 *
 * <pre>
 * stores:
 *   - id: akv-prod
 *     type: azure-key-vault
 *     vaultUrl: https://hybridops-prod.vault.azure.net
 *   - id: local
 *     type: sops
 *     file: secrets/dev.enc.yaml
 * secrets:
 *   - env: DB_PASSWORD
 *     ref: akv-prod:netbox-db-password
 *   - env: API_TOKEN
 *     ref: local:api.token
 * </pre>
 *
 * @since 0.1.0
 */
public final class ManifestParser {

    /** The conventional manifest file name. */
    public static final String DEFAULT_FILE = "kms-secrets.yaml";

    private static final Set<String> TOP_LEVEL = Set.of("stores", "secrets", "externalSecrets", "environments");
    private static final Set<String> STORE_KEYS = Set.of("id", "type");
    private static final Set<String> SECRET_KEYS = Set.of("env", "ref");

    private final StoreTypes storeTypes;

    public ManifestParser(StoreTypes storeTypes) {
        this.storeTypes = storeTypes;
    }

    /**
     * Reads and validates a manifest file.
     *
     * @param displayName how messages name the file
     * @throws ProblemsException     listing every problem found
     * @throws InvalidInputException when the file cannot be read, is too large or not UTF-8
     */
    public Manifest parse(Path file, String displayName) {
        String text = YamlInput.readText(file, displayName, YamlInput.DEFAULT_MAX_BYTES);
        return parse(file, text, displayName);
    }

    /** Validates manifest text; {@code file} is used to resolve relative paths. */
    public Manifest parse(Path file, String text, String displayName) {
        YamlNode root = YamlInput.parseOne(text, displayName);
        List<Problem> problems = new ArrayList<>();
        if (!root.isMapping()) {
            throw new ProblemsException(List.of(new Problem(root.location(),
                    "expected a mapping with 'stores' and 'secrets', found " + root.jsonType())));
        }
        root.checkKeys(TOP_LEVEL, problems);

        List<StoreDefinition> stores = parseStores(root.get("stores"), root, problems);
        Set<String> storeIds = new TreeSet<>();
        stores.forEach(s -> storeIds.add(s.id()));
        List<SecretBinding> secrets = parseSecrets(root.get("secrets"), storeIds, problems);
        Map<String, ManifestEnvironment> environments =
                new EnvironmentsSection(storeTypes).parse(root.get("environments"), storeIds, problems);

        if (!problems.isEmpty()) {
            throw new ProblemsException(problems);
        }
        return new Manifest(file, stores, secrets, root.get("externalSecrets"), environments, null);
    }

    private List<StoreDefinition> parseStores(YamlNode node, YamlNode root, List<Problem> problems) {
        List<StoreDefinition> stores = new ArrayList<>();
        if (node == null) {
            problems.add(new Problem(root.location(), "missing 'stores': declare at least one store"));
            return stores;
        }
        if (!node.isSequence()) {
            problems.add(new Problem(node.location(), "'stores' must be a list, found " + node.jsonType()));
            return stores;
        }
        Map<String, YamlNode> seen = new HashMap<>();
        for (YamlNode item : node.items()) {
            if (!item.isMapping()) {
                problems.add(new Problem(item.location(), "a store must be a mapping with 'id' and 'type'"));
                continue;
            }
            String id = item.requiredText("id", problems);
            String type = item.requiredText("type", problems);
            if (id != null && !SecretReference.isValidStoreId(id)) {
                problems.add(new Problem(item.get("id").location(), "store id '" + id + "' is not valid; use a "
                        + "lower-case letter followed by lower-case letters, digits, '-' or '_'"));
                id = null;
            }
            if (id != null) {
                YamlNode previous = seen.putIfAbsent(id, item);
                if (previous != null) {
                    problems.add(new Problem(item.get("id").location(), "duplicate store id '" + id
                            + "' (first declared at line " + previous.location().line() + ")"));
                }
            }
            Set<String> allowed = new TreeSet<>(STORE_KEYS);
            if (type != null) {
                SecretStoreProvider provider = storeTypes.get(type);
                if (provider == null) {
                    problems.add(new Problem(item.get("type").location(), "unknown store type '" + type
                            + "'; known types: " + String.join(", ", storeTypes.names())));
                } else {
                    allowed.addAll(provider.settingKeys());
                    item.checkKeys(allowed, problems);
                }
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            item.entries().forEach((key, value) -> {
                if (!STORE_KEYS.contains(key)) {
                    settings.put(key, toJava(value));
                }
            });
            if (id != null && type != null) {
                stores.add(new StoreDefinition(id, type, settings, item.location()));
            }
        }
        return stores;
    }

    private List<SecretBinding> parseSecrets(YamlNode node, Set<String> storeIds, List<Problem> problems) {
        List<SecretBinding> secrets = new ArrayList<>();
        if (node == null) {
            return secrets;
        }
        if (!node.isSequence()) {
            problems.add(new Problem(node.location(), "'secrets' must be a list, found " + node.jsonType()));
            return secrets;
        }
        Map<String, YamlNode> seenEnv = new HashMap<>();
        for (YamlNode item : node.items()) {
            if (!item.isMapping()) {
                problems.add(new Problem(item.location(), "a secret must be a mapping with 'env' and 'ref'"));
                continue;
            }
            item.checkKeys(SECRET_KEYS, problems);
            String env = item.requiredText("env", problems);
            String ref = item.requiredText("ref", problems);
            if (env != null) {
                String invalid = EnvironmentNames.problem(env);
                if (invalid != null) {
                    problems.add(new Problem(item.get("env").location(), invalid));
                    env = null;
                } else {
                    YamlNode previous = seenEnv.putIfAbsent(env, item);
                    if (previous != null) {
                        problems.add(new Problem(item.get("env").location(), "duplicate env '" + env
                                + "' (first declared at line " + previous.location().line() + ")"));
                    }
                }
            }
            SecretReference reference = null;
            if (ref != null) {
                try {
                    reference = SecretReference.parse(ref);
                } catch (InvalidInputException e) {
                    problems.add(new Problem(item.get("ref").location(), e.getMessage()));
                }
            }
            if (reference != null && !storeIds.contains(reference.storeId())) {
                problems.add(new Problem(item.get("ref").location(), "unknown store id '" + reference.storeId()
                        + "'" + (storeIds.isEmpty() ? "" : "; declared stores: " + String.join(", ", storeIds))));
                reference = null;
            }
            if (env != null && reference != null) {
                secrets.add(new SecretBinding(env, reference, item.location()));
            }
        }
        return secrets;
    }

    static Object toJava(YamlNode node) {
        if (node.isMapping()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.entries().forEach((k, v) -> map.put(k, toJava(v)));
            return map;
        }
        if (node.isSequence()) {
            return node.items().stream().map(ManifestParser::toJava).toList();
        }
        return node.isNull() ? null : node.text();
    }
}
