package io.jenkins.plugins.kmssecrets.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;

/**
 * One field of a JSON-valued secret, for references with a {@code #property}. Store-independent: Azure Key Vault
 * and Google Secret Manager values are opaque strings that are often JSON documents.
 *
 * <p>Errors never echo the document: the JSON parser's messages quote the input, so they are replaced by a summary
 * and the parser exception is not chained.
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
     * @throws InvalidInputException   when the value is not a JSON object
     * @throws SecretNotFoundException when the object has no such field
     */
    public static SecretValue select(SecretValue document, String property, String storeId, String secretName) {
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
        JsonNode field = root.get(property);
        if (field == null || field.isMissingNode()) {
            throw new SecretNotFoundException(storeId, secretName, "the JSON value has no property '" + property
                    + "'");
        }
        return SecretValue.ofString(field.isTextual() ? field.textValue() : field.toString());
    }

    private static InvalidInputException notAnObject(String property, String storeId, String secretName) {
        return new InvalidInputException(storeId, secretName, "property '" + property
                + "' was requested but the value is not a JSON object");
    }
}
