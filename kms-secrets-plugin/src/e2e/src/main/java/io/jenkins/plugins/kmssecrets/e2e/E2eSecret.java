package io.jenkins.plugins.kmssecrets.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One secret the suite seeds into a store.
 *
 * @param store    store type key ({@code sops}, {@code akv}, {@code gsm}, {@code vault})
 * @param key      the corpus key pipelines refer to ({@code password}, {@code multiline}, {@code userpass},
 *                 {@code file}, {@code ssh}, {@code cert})
 * @param name     the secret's name in the store
 * @param value    the value (the bytes a credential's getter returns; for a certificate, base64 of a PKCS#12 file)
 * @param type     {@code jenkins-credentials-type}, or {@code null} for secret text
 * @param username {@code jenkins-credentials-username}, or {@code null}
 * @param filename {@code jenkins-credentials-filename}, or {@code null}
 */
public record E2eSecret(String store, String key, String name, String value, String type, String username,
        String filename) {

    /** The tags (Azure), labels (Google) or custom metadata (Vault) that carry the credential type. */
    public Map<String, String> tags(boolean lowerCaseLabels) {
        Map<String, String> tags = new TreeMap<>();
        tags.put("jenkins", "true");
        if (type != null) {
            tags.put("jenkins-credentials-type", lowerCaseLabels ? type.toLowerCase(java.util.Locale.ROOT) : type);
        }
        if (username != null) {
            tags.put("jenkins-credentials-username", username);
        }
        if (filename != null) {
            tags.put("jenkins-credentials-filename", filename);
        }
        return tags;
    }

    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "E2eSecret[" + store + ":" + name + "]";
    }
}
