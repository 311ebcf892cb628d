package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Structural validation of a YAML document against a Kubernetes CRD {@code openAPIV3Schema}, reporting every
 * violation with its line and JSON path.
 *
 * <p>This is a small interpreter of the subset Kubernetes structural schemas allow (type, properties,
 * additionalProperties, items, required, enum, pattern, min/max length, items and properties, nullable,
 * {@code x-kubernetes-int-or-string}, {@code x-kubernetes-preserve-unknown-fields}) rather than a general JSON-schema
 * library: structural schemas are OpenAPI with Kubernetes extensions that generic validators misjudge (nullable,
 * int-or-string, pruning of unknown fields), and walking the YAML nodes directly keeps each problem's line number.
 * Like the API server with strict field validation, fields the schema does not declare are reported; a {@code null}
 * value is treated as absent, as the API server prunes it.
 *
 * @since 0.1.0
 */
public final class CrdSchema {

    private final Map<String, Object> root;
    private final String origin;

    /**
     * @param openApiV3Schema the {@code openAPIV3Schema} of one CRD version, as nested maps
     * @param origin          where it came from, for messages ("built-in ESO v2.9.0", "cluster")
     */
    public CrdSchema(Map<String, Object> openApiV3Schema, String origin) {
        this.root = Objects.requireNonNull(openApiV3Schema, "openApiV3Schema");
        this.origin = origin;
    }

    /** Where the schema came from. */
    public String origin() {
        return origin;
    }

    /** The schema as nested maps. */
    public Map<String, Object> schema() {
        return root;
    }

    /** Adds a problem for every place {@code document} breaks the schema. */
    public void validate(YamlNode document, List<Problem> problems) {
        check(document, root, problems);
    }

    @SuppressWarnings("unchecked")
    private void check(YamlNode node, Map<String, Object> schema, List<Problem> problems) {
        if (node.isNull()) {
            return;
        }
        String type = (String) schema.get("type");
        boolean intOrString = Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"));
        String actual = node.jsonType();
        if (intOrString) {
            if (!actual.equals("integer") && !actual.equals("string")) {
                problems.add(problem(node, "must be an integer or a string, found " + actual));
                return;
            }
        } else if (type != null && !typeMatches(type, actual)) {
            problems.add(problem(node, "must be " + article(type) + ", found " + actual));
            return;
        }
        if (node.isMapping()) {
            checkObject(node, schema, problems);
        } else if (node.isSequence()) {
            List<YamlNode> items = node.items();
            Number minItems = (Number) schema.get("minItems");
            Number maxItems = (Number) schema.get("maxItems");
            if (minItems != null && items.size() < minItems.intValue()) {
                problems.add(problem(node, "must have at least " + minItems + " item(s), found " + items.size()));
            }
            if (maxItems != null && items.size() > maxItems.intValue()) {
                problems.add(problem(node, "must have at most " + maxItems + " item(s), found " + items.size()));
            }
            Object itemSchema = schema.get("items");
            if (itemSchema instanceof Map<?, ?> map) {
                for (YamlNode item : items) {
                    check(item, (Map<String, Object>) map, problems);
                }
            }
        } else {
            checkScalar(node, schema, problems);
        }
    }

    @SuppressWarnings("unchecked")
    private void checkObject(YamlNode node, Map<String, Object> schema, List<Problem> problems) {
        Map<String, YamlNode> entries = node.entries();
        Object required = schema.get("required");
        if (required instanceof List<?> names) {
            for (Object name : names) {
                YamlNode value = entries.get(String.valueOf(name));
                if (value == null || value.isNull()) {
                    problems.add(new Problem(node.location(), "missing required field '" + name + "'"));
                }
            }
        }
        Number minProperties = (Number) schema.get("minProperties");
        Number maxProperties = (Number) schema.get("maxProperties");
        if (minProperties != null && entries.size() < minProperties.intValue()) {
            problems.add(problem(node, "must have at least " + minProperties + " field(s), found " + entries.size()));
        }
        if (maxProperties != null && entries.size() > maxProperties.intValue()) {
            problems.add(problem(node, "must have at most " + maxProperties + " field(s), found " + entries.size()
                    + " (" + String.join(", ", entries.keySet()) + ")"));
        }
        Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
        Object additional = schema.get("additionalProperties");
        boolean preserveUnknown = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"));
        // An object with neither properties nor additionalProperties is embedded metadata (ObjectMeta): the API
        // server validates it itself, and the name rules do the rest.
        boolean opaque = properties == null && additional == null;
        for (Map.Entry<String, YamlNode> entry : entries.entrySet()) {
            Object child = properties == null ? null : properties.get(entry.getKey());
            if (child instanceof Map<?, ?> childSchema) {
                check(entry.getValue(), (Map<String, Object>) childSchema, problems);
            } else if (additional instanceof Map<?, ?> additionalSchema) {
                check(entry.getValue(), (Map<String, Object>) additionalSchema, problems);
            } else if (!preserveUnknown && !opaque && !Boolean.TRUE.equals(additional)) {
                List<String> known = properties == null ? List.of() : properties.keySet().stream().sorted().toList();
                problems.add(new Problem(node.keyLocation(entry.getKey()), "unknown field '" + entry.getKey() + "'"
                        + (known.isEmpty() ? "" : "; expected one of: " + String.join(", ", known))));
            }
        }
    }

    private void checkScalar(YamlNode node, Map<String, Object> schema, List<Problem> problems) {
        String text = node.text();
        Object enumValues = schema.get("enum");
        if (enumValues instanceof List<?> allowed && !allowed.isEmpty()
                && allowed.stream().noneMatch(v -> String.valueOf(v).equals(text))) {
            problems.add(problem(node, "'" + text + "' is not one of: "
                    + allowed.stream().map(String::valueOf).collect(Collectors.joining(", "))));
        }
        if (!"string".equals(node.jsonType()) && !"string".equals(schema.get("type"))) {
            return;
        }
        Number minLength = (Number) schema.get("minLength");
        Number maxLength = (Number) schema.get("maxLength");
        int length = text.codePointCount(0, text.length());
        if (minLength != null && length < minLength.intValue()) {
            problems.add(problem(node, "must be at least " + minLength + " character(s) long, found " + length));
        }
        if (maxLength != null && length > maxLength.intValue()) {
            problems.add(problem(node, "must be at most " + maxLength + " characters long, found " + length));
        }
        Object pattern = schema.get("pattern");
        if (pattern instanceof String regex) {
            try {
                if (!Pattern.compile(regex).matcher(text).find()) {
                    problems.add(problem(node, "'" + text + "' does not match the pattern " + regex));
                }
            } catch (PatternSyntaxException e) {
                // A Go (RE2) pattern Java cannot compile: the cluster's dry-run judges it instead.
            }
        }
    }

    private static boolean typeMatches(String type, String actual) {
        return switch (type) {
            case "number" -> actual.equals("number") || actual.equals("integer");
            default -> type.equals(actual);
        };
    }

    private static String article(String type) {
        return (type.equals("object") || type.equals("array") || type.equals("integer") ? "an " : "a ") + type;
    }

    private Problem problem(YamlNode node, String message) {
        return new Problem(node.location(), message);
    }
}
