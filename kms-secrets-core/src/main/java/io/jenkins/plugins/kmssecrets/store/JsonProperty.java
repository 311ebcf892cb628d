package io.jenkins.plugins.kmssecrets.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.kmssecrets.reference.PropertyPath;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One field of a JSON-valued secret, for references with a {@code #property}. Store-independent: Azure Key Vault
 * and Google Secret Manager values are opaque strings that are often JSON documents, a Vault KV secret's data is a
 * JSON object, and the resolver selects properties the same way for every store.
 *
 * <p>The property is a {@link PropertyPath}: {@code pool.max} is the key {@code max} of the object under
 * {@code pool}; {@code tls\.crt} is the key {@code tls.crt}. A property that is, as written, a key of the top-level
 * object is that key (so {@code #tls.crt} still finds {@code {"tls.crt": …}}).
 *
 * <p>Every failure is a {@link SecretNotFoundException} naming the property: the value lacks what the reference asks
 * for, whether it is not JSON at all or has no such key. Errors never echo the document: the JSON parser's messages
 * quote the input, so they are replaced by a summary and the parser exception is not chained.
 *
 * @since 0.1.0
 */
public final class JsonProperty {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonProperty() {
    }

    /**
     * The field {@code property} of the JSON object in {@code document}: its text when it is a string, its JSON form
     * otherwise. {@code document} is left untouched; the caller still owns and wipes it.
     *
     * @throws SecretNotFoundException when the value is not a JSON object or has no such field
     * @throws InvalidInputException   when {@code property} is not a valid property path
     */
    public static SecretValue select(SecretValue document, String property, String storeId, String secretName) {
        JsonNode field = field(document, property, storeId, secretName);
        return SecretValue.ofString(field.isTextual() ? field.textValue() : field.toString());
    }

    /**
     * The JSON type of the field {@code property} ({@code string}, {@code number}, {@code boolean}, {@code object},
     * {@code array} or {@code null}), for checks that must not keep the value.
     *
     * @throws SecretNotFoundException as {@link #select}
     */
    public static String type(SecretValue document, String property, String storeId, String secretName) {
        return field(document, property, storeId, secretName).getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code document} with the field {@code property} (an existing field, found as {@link #select} finds it) set to
     * {@code value} as a JSON string; every other field keeps its value and the fields keep their order. Numbers are
     * kept exactly (no floating-point rounding); whitespace is not kept (the result is compact JSON). Both inputs stay
     * untouched and owned by the caller; the caller owns (and wipes) the result.
     *
     * @throws SecretNotFoundException when the value is not a JSON object or has no such field
     * @throws InvalidInputException   when {@code property} is not a valid property path or {@code value} is not text
     * @since 0.2.0
     */
    public static SecretValue replace(SecretValue document, String property, SecretValue value, String storeId,
            String secretName) {
        PropertyPath path;
        try {
            path = PropertyPath.parse(property);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(storeId, secretName, "property '" + property + "': " + e.getMessage());
        }
        if (!value.isText()) {
            throw new InvalidInputException(storeId, secretName, "the new value of property '" + property
                    + "' is not UTF-8 text; a JSON property holds text");
        }
        ObjectMapper exact = JSON.copy()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
        JsonNode root;
        byte[] bytes = document.bytes();
        try {
            root = exact.readTree(bytes);
        } catch (java.io.IOException e) {
            throw notAnObject(property, storeId, secretName);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        if (root == null || !root.isObject()) {
            throw notAnObject(property, storeId, secretName);
        }
        com.fasterxml.jackson.databind.node.ObjectNode parent = (com.fasterxml.jackson.databind.node.ObjectNode) root;
        String key = property;
        if (root.get(property) == null) {
            List<String> keys = path.keys();
            for (int i = 0; i < keys.size() - 1; i++) {
                JsonNode next = parent.get(keys.get(i));
                if (next == null || !next.isObject()) {
                    throw new SecretNotFoundException(storeId, secretName, "the JSON value has no property '"
                            + property + "'");
                }
                parent = (com.fasterxml.jackson.databind.node.ObjectNode) next;
            }
            key = keys.get(keys.size() - 1);
            if (parent.get(key) == null) {
                throw new SecretNotFoundException(storeId, secretName, "the JSON value has no property '" + property
                        + "'; a rotation replaces an existing property");
            }
        }
        parent.put(key, value.asString());
        byte[] out = null;
        try {
            out = exact.writeValueAsBytes(root);
            return SecretValue.ofBytes(out);
        } catch (java.io.IOException e) {
            throw new InvalidInputException(storeId, secretName, "cannot encode the JSON value");
        } finally {
            if (out != null) {
                Arrays.fill(out, (byte) 0);
            }
        }
    }

    private static JsonNode field(SecretValue document, String property, String storeId, String secretName) {
        PropertyPath path;
        try {
            path = PropertyPath.parse(property);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(storeId, secretName, "property '" + property + "': " + e.getMessage());
        }
        JsonNode root;
        byte[] bytes = document.bytes();
        try {
            root = JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            // Includes JsonProcessingException, whose message quotes the document: never passed on.
            throw notAnObject(property, storeId, secretName);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        if (root == null || !root.isObject()) {
            throw notAnObject(property, storeId, secretName);
        }
        JsonNode literal = root.get(property);
        if (literal != null) {
            return literal;
        }
        JsonNode node = root;
        StringBuilder walked = new StringBuilder();
        for (String key : path.keys()) {
            if (!node.isObject()) {
                throw new SecretNotFoundException(storeId, secretName, "the JSON value has no property '" + property
                        + "': '" + walked + "' is " + article(node) + ", not an object");
            }
            JsonNode next = node.get(key);
            if (next == null) {
                throw new SecretNotFoundException(storeId, secretName, "the JSON value has no property '" + property
                        + "'" + (walked.isEmpty() ? "" : " (no key '" + key + "' under '" + walked + "')"));
            }
            walked.append(walked.isEmpty() ? "" : ".").append(key.replace("\\", "\\\\").replace(".", "\\."));
            node = next;
        }
        return node;
    }

    private static String article(JsonNode node) {
        String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
        return (type.startsWith("a") || type.startsWith("o") ? "an " : "a ") + type;
    }

    private static SecretNotFoundException notAnObject(String property, String storeId, String secretName) {
        return new SecretNotFoundException(storeId, secretName, "property '" + property
                + "' was requested but the value is not a JSON object");
    }
}
