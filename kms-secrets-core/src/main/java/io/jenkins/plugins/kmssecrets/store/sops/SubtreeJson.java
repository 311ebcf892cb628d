package io.jenkins.plugins.kmssecrets.store.sops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** JSON forms of decrypted values: a mapping or list fetched whole, and one {@code #property} of a JSON object. */
final class SubtreeJson {

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build());

    private SubtreeJson() {
    }

    /** Compact JSON of the values under a mapping or list; keys relative to the fetched address. */
    static byte[] render(Map<List<Object>, byte[]> selected, Map<List<Object>, ValueType> types, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Object firstStep = selected.keySet().iterator().next().get(depth);
        JsonNode root = firstStep instanceof Integer ? nodes.arrayNode() : nodes.objectNode();
        for (Map.Entry<List<Object>, byte[]> entry : selected.entrySet()) {
            List<Object> path = entry.getKey().subList(depth, entry.getKey().size());
            JsonNode parent = root;
            for (int i = 0; i < path.size() - 1; i++) {
                parent = child(parent, path.get(i), path.get(i + 1) instanceof Integer);
            }
            JsonNode leaf = leafNode(types.get(entry.getKey()), entry.getValue());
            Object last = path.get(path.size() - 1);
            if (parent instanceof ObjectNode object) {
                object.set((String) last, leaf);
            } else {
                ArrayNode array = (ArrayNode) parent;
                while (array.size() < (Integer) last) {
                    array.addNull();
                }
                array.add(leaf);
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("JSON rendering failed", e);
        }
    }

    private static JsonNode child(JsonNode parent, Object step, boolean array) {
        if (parent instanceof ObjectNode object) {
            JsonNode existing = object.get((String) step);
            if (existing == null) {
                existing = array ? object.putArray((String) step) : object.putObject((String) step);
            }
            return existing;
        }
        ArrayNode list = (ArrayNode) parent;
        int index = (Integer) step;
        while (list.size() < index) {
            list.addNull();
        }
        if (list.size() == index) {
            return array ? list.addArray() : list.addObject();
        }
        return list.get(index);
    }

    private static JsonNode leafNode(ValueType type, byte[] value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (type == null) {
            return nodes.nullNode();
        }
        String text = new String(value, StandardCharsets.UTF_8);
        return switch (type) {
            case INT -> nodes.numberNode(Long.parseLong(text));
            case FLOAT -> text.equals("NaN") || text.endsWith("Inf") ? nodes.textNode(text)
                    : nodes.numberNode(new BigDecimal(text));
            case BOOL -> nodes.booleanNode(Boolean.parseBoolean(text));
            default -> nodes.textNode(text);
        };
    }

    /** One field of a JSON object value: text as is, anything else as compact JSON. */
    static byte[] property(byte[] value, SecretReference reference) {
        JsonNode tree;
        try {
            tree = JSON.readTree(value);
        } catch (IOException e) {
            tree = null;
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidInputException(reference.storeId(), reference.name(),
                    "the value is not a JSON object, so it has no "
                    + "property '" + reference.property() + "'");
        }
        JsonNode field = tree.get(reference.property());
        if (field == null) {
            throw new SecretNotFoundException(reference.storeId(), reference.name(), "the value has no property '"
                    + reference.property() + "'");
        }
        if (field.isTextual()) {
            return field.textValue().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return JSON.writeValueAsBytes(field);
        } catch (IOException e) {
            throw new IllegalStateException("JSON rendering failed", e);
        }
    }
}
