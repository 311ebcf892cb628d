package io.jenkins.plugins.kmssecrets.yaml;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node that knows where it is: file, line, column and JSON path. Validators walk these to report every
 * problem with its location.
 *
 * @since 0.1.0
 */
public final class YamlNode {

    private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private final Node node;
    private final String file;
    private final String path;
    private final int document;

    YamlNode(Node node, String file, String path, int document) {
        this.node = node;
        this.file = file;
        this.path = path;
        this.document = document;
    }

    /** {@code parent.key}, or {@code parent['key']} when the key is not a simple identifier. */
    public static String childPath(String parent, String key) {
        return SIMPLE_KEY.matcher(key).matches() ? parent + "." + key
                : parent + "['" + key.replace("'", "\\'") + "']";
    }

    /** The underlying SnakeYAML node. */
    public Node raw() {
        return node;
    }

    /** Index of the document in its file, from 0. */
    public int document() {
        return document;
    }

    public String file() {
        return file;
    }

    /** The JSON path of this node, for example {@code $.spec.data[0].remoteRef.key}. */
    public String path() {
        return path;
    }

    public SourceLocation location() {
        return new SourceLocation(file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1, path);
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    /** Whether this is the YAML null ({@code ~}, {@code null} or empty). */
    public boolean isNull() {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** The YAML type as a JSON-schema word: object, array, string, integer, number, boolean or null. */
    public String jsonType() {
        if (node instanceof MappingNode) {
            return "object";
        }
        if (node instanceof SequenceNode) {
            return "array";
        }
        Tag tag = node.getTag();
        if (Tag.NULL.equals(tag)) {
            return "null";
        }
        if (Tag.BOOL.equals(tag)) {
            return "boolean";
        }
        if (Tag.INT.equals(tag)) {
            return "integer";
        }
        if (Tag.FLOAT.equals(tag)) {
            return "number";
        }
        return "string";
    }

    /** The scalar text, or {@code null} when this is not a scalar. */
    public String text() {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    /** Entries of a mapping in document order; empty for other nodes. Keys that are not scalars are skipped. */
    public Map<String, YamlNode> entries() {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    entries.put(key.getValue(),
                            new YamlNode(tuple.getValueNode(), file, childPath(path, key.getValue()), document));
                }
            }
        }
        return entries;
    }

    /** The location of a mapping key (rather than its value), for "unknown key" problems. */
    public SourceLocation keyLocation(String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return new SourceLocation(file, k.getStartMark().getLine() + 1, k.getStartMark().getColumn() + 1,
                            childPath(path, key));
                }
            }
        }
        return location();
    }

    /** The value under {@code key}, or {@code null}. */
    public YamlNode get(String key) {
        return entries().get(key);
    }

    /** Items of a sequence; empty for other nodes. */
    public List<YamlNode> items() {
        List<YamlNode> items = new ArrayList<>();
        if (node instanceof SequenceNode sequence) {
            List<Node> values = sequence.getValue();
            for (int i = 0; i < values.size(); i++) {
                items.add(new YamlNode(values.get(i), file, path + "[" + i + "]", document));
            }
        }
        return items;
    }

    /**
     * The trimmed text under {@code key}; adds a problem (and returns {@code null}) when it is missing, null, not a
     * scalar or blank.
     */
    public String requiredText(String key, List<Problem> problems) {
        YamlNode value = get(key);
        if (value == null || value.isNull()) {
            problems.add(new Problem(location().withPath(childPath(path, key)), "missing '" + key + "'"));
            return null;
        }
        return optionalText(key, problems);
    }

    /** The trimmed text under {@code key}, or {@code null} when absent; a problem when not a scalar or blank. */
    public String optionalText(String key, List<Problem> problems) {
        YamlNode value = get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isScalar()) {
            problems.add(new Problem(value.location(), "'" + key + "' must be a string, found " + value.jsonType()));
            return null;
        }
        String text = value.text().trim();
        if (text.isEmpty()) {
            problems.add(new Problem(value.location(), "'" + key + "' is empty"));
            return null;
        }
        return text;
    }

    /** Adds a problem, at the key, for every key of this mapping not in {@code allowed}. */
    public void checkKeys(Set<String> allowed, List<Problem> problems) {
        for (String key : entries().keySet()) {
            if (!allowed.contains(key)) {
                problems.add(new Problem(keyLocation(key), "unknown key '" + key + "'; expected one of: "
                        + String.join(", ", new TreeSet<>(allowed))));
            }
        }
    }

    @Override
    public String toString() {
        return location().toString();
    }
}
