package io.jenkins.plugins.kmssecrets.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One secret the suite seeds into a store.
 *
 * @param store      store type key ({@code sops}, {@code akv}, {@code gsm}, {@code vault})
 * @param key        the corpus key pipelines refer to ({@code password}, {@code multiline}, {@code userpass},
 *                   {@code file}, {@code ssh}, {@code cert} ...)
 * @param name       the secret's name in the store
 * @param value      the value (for a certificate, base64 of a PKCS#12 file or PEM text; for a JSON secret, the JSON)
 * @param type       {@code jenkins-credentials-type}, or {@code null} for secret text
 * @param username   the username the credential has: the {@code jenkins-credentials-username} tag, unless
 *                   {@code extra} names a username property (then it is read from the JSON value)
 * @param filename   {@code jenkins-credentials-filename}, or {@code null}
 * @param extra      further tags (property tags, passphrase, explicit id, scope)
 * @param credential what the credential's secret getter returns, or {@code null} for {@code value}
 * @param data       for a JSON secret, its properties (Vault stores them as the data object), else {@code null}
 */
public record E2eSecret(String store, String key, String name, String value, String type, String username,
        String filename, Map<String, String> extra, String credential, Map<String, String> data) {

    /** A secret typed by the type, username and file name tags only. */
    public E2eSecret(String store, String key, String name, String value, String type, String username,
            String filename) {
        this(store, key, name, value, type, username, filename, Map.of(), null, null);
    }

    /** The tags (Azure), labels (Google) or custom metadata (Vault) that carry the credential type. */
    public Map<String, String> tags(boolean lowerCaseLabels) {
        Map<String, String> tags = new TreeMap<>();
        tags.put("jenkins", "true");
        if (type != null) {
            tags.put("jenkins-credentials-type", lowerCaseLabels ? type.toLowerCase(java.util.Locale.ROOT) : type);
        }
        if (username != null && !extra.containsKey("jenkins-credentials-username-property")) {
            tags.put("jenkins-credentials-username", username);
        }
        if (filename != null) {
            tags.put("jenkins-credentials-filename", filename);
        }
        tags.putAll(extra);
        return tags;
    }

    /** What a credential of this secret holds. */
    public String credentialValue() {
        return credential == null ? value : credential;
    }

    /** The credential id given by tag, or {@code null} for the derived one. */
    public String explicitId() {
        return extra.get("jenkins-credentials-id");
    }

    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "E2eSecret[" + store + ":" + name + "]";
    }
}
