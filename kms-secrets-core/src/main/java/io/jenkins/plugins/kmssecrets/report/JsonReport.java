package io.jenkins.plugins.kmssecrets.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Reports as indented JSON, one document ending with a newline. Callers pass maps and lists of names and states
 * only; never a value.
 *
 * @since 0.2.0
 */
public final class JsonReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    /** {@code root} as indented JSON. */
    public static String render(Object root, String what) {
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + what + " as JSON", e);
        }
    }
}
