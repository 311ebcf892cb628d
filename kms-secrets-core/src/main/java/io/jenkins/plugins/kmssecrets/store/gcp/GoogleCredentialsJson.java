package io.jenkins.plugins.kmssecrets.store.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The secret parts of a Google credentials JSON (a service-account key, an authorized user, a workload identity
 * federation configuration), for masking: a command that prints the key file, or only its private key, must show
 * neither. Knows the file format only; it never signs in.
 *
 * @since 0.2.0
 */
public final class GoogleCredentialsJson {

    /** Fields that hold key material or long-lived tokens. */
    private static final List<String> SECRET_FIELDS = List.of("private_key", "client_secret",
            "refresh_token", "access_token");
    /** A service-account key is about 2.4 kB; anything far larger is not one. */
    private static final int MAX_SIZE = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private GoogleCredentialsJson() {
    }

    /**
     * The whole text and each secret field of {@code json}, when it is a Google credentials JSON (an object with a
     * {@code type}); nothing otherwise. The caller owns and wipes the values.
     */
    public static List<SecretValue> secretParts(String json) {
        List<SecretValue> parts = new ArrayList<>();
        if (json == null || json.isBlank() || json.length() > MAX_SIZE) {
            return parts;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (IOException e) {
            return parts;
        }
        if (tree == null || !tree.isObject() || !tree.path("type").isTextual()) {
            return parts;
        }
        parts.add(SecretValue.ofString(json));
        for (String field : SECRET_FIELDS) {
            JsonNode value = tree.path(field);
            if (value.isTextual() && !value.asText().isEmpty()) {
                parts.add(SecretValue.ofString(value.asText()));
            }
        }
        return parts;
    }

    /**
     * {@link #secretParts(String)} of the file at {@code path}; nothing when it cannot be read or is not such a
     * file (the store reports that, not the masker).
     */
    public static List<SecretValue> secretPartsOfFile(Path path) {
        try {
            if (!Files.isRegularFile(path) || Files.size(path) > MAX_SIZE) {
                return List.of();
            }
            try (InputStream in = Files.newInputStream(path)) {
                return secretParts(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
