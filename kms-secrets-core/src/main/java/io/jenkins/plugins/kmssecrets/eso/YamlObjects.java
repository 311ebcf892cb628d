package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/** Converts YAML nodes into plain Java values (maps in document order, lists, strings, numbers, booleans). */
final class YamlObjects {

    private YamlObjects() {
    }

    static Object toJava(YamlNode node) {
        if (node.isMapping()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.entries().forEach((k, v) -> map.put(k, toJava(v)));
            return map;
        }
        if (node.isSequence()) {
            return node.items().stream().map(YamlObjects::toJava).toList();
        }
        String text = node.text();
        return switch (node.jsonType()) {
            case "null" -> null;
            case "boolean" -> Boolean.valueOf(text.equalsIgnoreCase("true") || text.equalsIgnoreCase("yes")
                    || text.equalsIgnoreCase("on") || text.equalsIgnoreCase("y"));
            case "integer" -> integer(text);
            case "number" -> number(text);
            default -> text;
        };
    }

    private static Object integer(String text) {
        try {
            String digits = text.replace("_", "");
            BigInteger value = digits.startsWith("0x") ? new BigInteger(digits.substring(2), 16)
                    : new BigInteger(digits);
            return value.bitLength() < 63 ? (Object) value.longValue() : value;
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static Object number(String text) {
        try {
            return Double.valueOf(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return text;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(YamlNode node) {
        return (Map<String, Object>) toJava(node);
    }
}
