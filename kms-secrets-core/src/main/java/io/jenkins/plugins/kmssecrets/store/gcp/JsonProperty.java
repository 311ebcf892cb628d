package io.jenkins.plugins.kmssecrets.store.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One field of a JSON-object secret value ({@code name#property}). Jackson's parse errors quote the input, so they
 * are replaced by a fixed message and never chained.
 */
final class JsonProperty {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonProperty() {
    }

    /** The field's text (a string field as is, any other JSON value as compact JSON), UTF-8 encoded. */
    static byte[] extract(String storeId, String secretName, byte[] value, String property) {
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            root = null;
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(storeId, secretName, "the value is not a JSON object, so property '"
                    + property + "' cannot be read; drop '#" + property + "' from the reference");
        }
        JsonNode field = root.get(property);
        if (field == null || field.isMissingNode()) {
            throw new SecretNotFoundException(storeId, secretName, "the value has no property '" + property + "'");
        }
        String text = field.isTextual() ? field.textValue() : field.toString();
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
