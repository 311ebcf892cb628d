package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the {@code externalSecrets} section of {@code kms-secrets.yaml}. Every problem is collected and reported
 * together with file, line and JSON path.
 *
 * <pre>
 * externalSecrets:
 *   - name: netbox-db
 *     app: netbox
 *     namespace: netbox
 *     store: {name: azure-store, kind: ClusterSecretStore}   # or just "azure-store" for a SecretStore
 *     target: netbox-db-secret        # optional, defaults to name
 *     refreshInterval: 1h             # optional
 *     refreshPolicy: Periodic         # optional: CreatedOnce, Periodic, OnChange
 *     creationPolicy: Owner           # optional
 *     deletionPolicy: Retain          # optional
 *     templateType: kubernetes.io/basic-auth   # optional
 *     keys:
 *       username: akv-prod:netbox-db#username
 *       password: akv-prod:netbox-db#password
 * </pre>
 *
 * @since 0.1.0
 */
public final class ExternalSecretsSection {

    static final Set<String> REFRESH_POLICIES = Set.of("CreatedOnce", "Periodic", "OnChange");
    static final Set<String> CREATION_POLICIES = Set.of("Owner", "Orphan", "Merge", "None", "CreateOrMerge");
    static final Set<String> DELETION_POLICIES = Set.of("Delete", "Merge", "Retain");
    private static final Set<String> KEYS = Set.of("name", "app", "namespace", "store", "target", "refreshInterval",
            "refreshPolicy", "creationPolicy", "deletionPolicy", "templateType", "keys");
    private static final Set<String> STORE_KEYS = Set.of("name", "kind");

    private ExternalSecretsSection() {
    }

    /**
     * Parses the section.
     *
     * @param section  the raw section ({@code Manifest.externalSecrets()}); {@code null} gives an empty list
     * @param storeIds the store ids the manifest declares; a key from another store is a problem
     * @throws ProblemsException listing every problem
     */
    public static List<ExternalSecretDeclaration> parse(YamlNode section, Set<String> storeIds) {
        List<ExternalSecretDeclaration> result = new ArrayList<>();
        if (section == null || section.isNull()) {
            return result;
        }
        List<Problem> problems = new ArrayList<>();
        if (!section.isSequence()) {
            throw new ProblemsException(List.of(new Problem(section.location(),
                    "'externalSecrets' must be a list, found " + section.jsonType())));
        }
        Map<String, YamlNode> seen = new HashMap<>();
        // declare writes deploy/<app>/secrets/externalsecret-<name>.yaml: the namespace is not in the path, so the
        // same app and name in two namespaces would silently overwrite one file.
        Map<String, ExternalSecretDeclaration> files = new HashMap<>();
        for (YamlNode item : section.items()) {
            ExternalSecretDeclaration declaration = parseOne(item, storeIds, problems);
            if (declaration != null) {
                String id = declaration.namespace() + "/" + declaration.name();
                YamlNode previous = seen.putIfAbsent(id, item);
                ExternalSecretDeclaration sameFile = files.putIfAbsent(
                        declaration.app() + "/" + declaration.name(), declaration);
                if (previous != null) {
                    problems.add(new Problem(item.get("name").location(), "duplicate ExternalSecret '" + id
                            + "' (first declared at line " + previous.location().line() + ")"));
                } else if (sameFile != null) {
                    problems.add(new Problem(item.get("name").location(), "ExternalSecret '" + declaration.name()
                            + "' of app '" + declaration.app() + "' is declared for namespace '"
                            + sameFile.namespace() + "' at line " + sameFile.location().line()
                            + " and for namespace '" + declaration.namespace() + "' here; both would be written to "
                            + ExternalSecretFiles.relativePath(declaration).toString().replace('\\', '/')
                            + ": give them different names"));
                } else {
                    result.add(declaration);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ProblemsException(problems);
        }
        return result;
    }

    private static ExternalSecretDeclaration parseOne(YamlNode item, Set<String> storeIds, List<Problem> problems) {
        if (!item.isMapping()) {
            problems.add(new Problem(item.location(), "an external secret must be a mapping with name, app, "
                    + "namespace, store and keys"));
            return null;
        }
        int before = problems.size();
        item.checkKeys(KEYS, problems);
        String name = item.requiredText("name", problems);
        String app = item.requiredText("app", problems);
        String namespace = item.requiredText("namespace", problems);
        String target = item.optionalText("target", problems);
        checkName(item, "name", name, false, problems);
        checkName(item, "app", app, true, problems);
        checkName(item, "namespace", namespace, true, problems);
        checkName(item, "target", target, false, problems);
        EsoStoreRef store = parseStore(item, problems);
        String refreshInterval = item.optionalText("refreshInterval", problems);
        if (refreshInterval != null && !GoDuration.isValid(refreshInterval)) {
            problems.add(new Problem(item.get("refreshInterval").location(), "'" + refreshInterval
                    + "' is not a Go duration; use for example 1h, 30m or 1h30m0s (0s refreshes once)"));
        }
        String refreshPolicy = oneOf(item, "refreshPolicy", REFRESH_POLICIES, problems);
        String creationPolicy = oneOf(item, "creationPolicy", CREATION_POLICIES, problems);
        String deletionPolicy = oneOf(item, "deletionPolicy", DELETION_POLICIES, problems);
        String policyProblem = WebhookRules.policyProblem(creationPolicy, deletionPolicy);
        if (policyProblem != null) {
            problems.add(new Problem(item.get("deletionPolicy").location(), policyProblem));
        }
        String templateType = item.optionalText("templateType", problems);
        List<KeyMapping> keys = parseKeys(item, storeIds, problems);
        if (problems.size() > before) {
            return null;
        }
        return new ExternalSecretDeclaration(name, app, namespace, store, target, refreshInterval, refreshPolicy,
                creationPolicy, deletionPolicy, templateType, keys, item.location());
    }

    private static EsoStoreRef parseStore(YamlNode item, List<Problem> problems) {
        YamlNode node = item.get("store");
        if (node == null || node.isNull()) {
            problems.add(new Problem(item.location().withPath(YamlNode.childPath(item.path(), "store")),
                    "missing 'store': the ESO SecretStore or ClusterSecretStore to read from"));
            return null;
        }
        String name;
        String kind = EsoStoreRef.SECRET_STORE;
        if (node.isScalar()) {
            name = node.text().trim();
            checkName(item, "store", name, false, problems);
        } else if (node.isMapping()) {
            node.checkKeys(STORE_KEYS, problems);
            name = node.requiredText("name", problems);
            checkName(node, "name", name, false, problems);
            String givenKind = node.optionalText("kind", problems);
            if (givenKind != null) {
                if (!givenKind.equals(EsoStoreRef.SECRET_STORE) && !givenKind.equals(EsoStoreRef.CLUSTER_SECRET_STORE)) {
                    problems.add(new Problem(node.get("kind").location(), "store kind must be SecretStore or "
                            + "ClusterSecretStore, found '" + givenKind + "'"));
                } else {
                    kind = givenKind;
                }
            }
        } else {
            problems.add(new Problem(node.location(), "'store' must be a name or a mapping with name and kind"));
            return null;
        }
        return name == null ? null : new EsoStoreRef(name, kind);
    }

    private static List<KeyMapping> parseKeys(YamlNode item, Set<String> storeIds, List<Problem> problems) {
        List<KeyMapping> keys = new ArrayList<>();
        YamlNode node = item.get("keys");
        if (node == null || !node.isMapping() || node.entries().isEmpty()) {
            problems.add(new Problem(node == null ? item.location().withPath(YamlNode.childPath(item.path(), "keys"))
                    : node.location(), "'keys' must be a non-empty mapping of secret key to reference "
                    + "(<storeId>:<name>[@version][#property])"));
            return keys;
        }
        String firstStore = null;
        for (Map.Entry<String, YamlNode> entry : node.entries().entrySet()) {
            String secretKey = entry.getKey();
            YamlNode value = entry.getValue();
            if (!EsoNames.isSecretKey(secretKey)) {
                problems.add(new Problem(node.keyLocation(secretKey), "secret key '" + secretKey + "' is not valid; "
                        + "use letters, digits, '-', '_' and '.'"));
                continue;
            }
            if (!value.isScalar() || value.isNull()) {
                problems.add(new Problem(value.location(), "the reference of '" + secretKey + "' must be a string"));
                continue;
            }
            SecretReference reference;
            try {
                reference = SecretReference.parse(value.text().trim());
            } catch (InvalidInputException e) {
                problems.add(new Problem(value.location(), e.getMessage()));
                continue;
            }
            if (storeIds != null && !storeIds.contains(reference.storeId())) {
                problems.add(new Problem(value.location(), "unknown store id '" + reference.storeId() + "'"
                        + (storeIds.isEmpty() ? "" : "; declared stores: " + String.join(", ", new TreeSet<>(storeIds)))));
                continue;
            }
            if (firstStore == null) {
                firstStore = reference.storeId();
            } else if (!firstStore.equals(reference.storeId())) {
                problems.add(new Problem(value.location(), "ESO reads every key of one ExternalSecret from one "
                        + "store, but '" + secretKey + "' uses store '" + reference.storeId() + "' and earlier keys "
                        + "use '" + firstStore + "'; declare a second external secret"));
                continue;
            }
            keys.add(new KeyMapping(secretKey, reference, value.location()));
        }
        return keys;
    }

    private static void checkName(YamlNode mapping, String key, String value, boolean label, List<Problem> problems) {
        if (value == null) {
            return;
        }
        boolean ok = label ? EsoNames.isLabel(value) : EsoNames.isResourceName(value);
        if (!ok) {
            problems.add(new Problem(mapping.get(key).location(), "'" + value + "' is not a valid " + key + "; use "
                    + (label ? "an RFC 1123 label (at most 63 lower-case letters, digits and '-')"
                    : "an RFC 1123 name (lower-case letters, digits, '-' and '.')")));
        }
    }

    private static String oneOf(YamlNode item, String key, Set<String> allowed, List<Problem> problems) {
        String value = item.optionalText(key, problems);
        if (value != null && !allowed.contains(value)) {
            problems.add(new Problem(item.get(key).location(), "'" + value + "' is not a valid " + key
                    + "; expected one of: " + String.join(", ", new TreeSet<>(allowed))));
            return null;
        }
        return value;
    }
}
