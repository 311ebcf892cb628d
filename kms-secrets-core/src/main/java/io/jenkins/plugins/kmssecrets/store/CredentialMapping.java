package io.jenkins.plugins.kmssecrets.store;

import io.jenkins.plugins.kmssecrets.reference.PropertyPath;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a secret maps to a Jenkins credential, read from its tags or labels (never from its value):
 * <ul>
 *   <li>{@value #TYPE_TAG}: one of {@code string} (default), {@code usernamePassword}, {@code file},
 *       {@code sshUserPrivateKey}, {@code certificate}, or a type another plugin adds;</li>
 *   <li>{@value #USERNAME_TAG}: the username (for {@code usernamePassword} this or {@value #USERNAME_PROPERTY_TAG}
 *       is required; optional for {@code sshUserPrivateKey});</li>
 *   <li>{@value #USERNAME_PROPERTY_TAG}: the JSON property of the value that holds the username, for one JSON
 *       secret carrying both username and password;</li>
 *   <li>{@value #FILENAME_TAG}: the file name, required for {@code file};</li>
 *   <li>{@value #PROPERTY_TAG}: the JSON property of the value that the credential carries as its secret (the
 *       password, key, text, file content or certificate), for example {@code value} for a Vault secret written as
 *       {@code vault kv put path value=...}; optional, nested properties as in references ({@code a.b});</li>
 *   <li>{@value #PASSPHRASE_PROPERTY_TAG} or {@value #PASSPHRASE_SECRET_TAG}: the passphrase of an SSH key or the
 *       password of a certificate's key store, from a JSON property of the value or from another secret of the same
 *       store ({@code name}, or {@code name#property} for one JSON property of it);</li>
 *   <li>{@value #ID_TAG}: the credential id, used as given instead of the derived {@code <prefix><name>};</li>
 *   <li>{@value #DESCRIPTION_TAG}: the credential's description;</li>
 *   <li>{@value #SCOPE_TAG}: {@code GLOBAL} (default) or {@code SYSTEM}.</li>
 * </ul>
 * A mapping that cannot be honoured still carries a type (the one asked for, or {@code string}) and explains why in
 * {@link #problem()}, so a listing can show the secret with the reason instead of dropping it.
 *
 * @param type               the credential type ({@code STRING} when the tag names a type this engine does not know)
 * @param declaredType       the type tag as written, or {@code null}; lets another plugin claim a type of its own
 * @param username           the username tag, or {@code null}
 * @param usernameProperty   the username property tag, or {@code null}
 * @param filename           the file name tag, or {@code null}
 * @param property           the property tag, or {@code null} for the whole value
 * @param passphraseProperty the passphrase property tag, or {@code null}
 * @param passphraseSecret   the passphrase secret tag, or {@code null}
 * @param id                 the explicit id tag, or {@code null}
 * @param description        the description tag, or {@code null}
 * @param scope              the scope ({@code GLOBAL} unless the tag says {@code SYSTEM})
 * @param problem            why the tags do not describe a usable credential, or {@code null} when they do
 * @since 0.1.0
 */
public record CredentialMapping(CredentialType type, String declaredType, String username, String usernameProperty,
                                String filename, String property, String passphraseProperty, String passphraseSecret,
                                String id, String description, CredentialScope scope, String problem) {

    /** Tag or label naming the credential type. */
    public static final String TYPE_TAG = "jenkins-credentials-type";
    /** Tag or label holding the username. */
    public static final String USERNAME_TAG = "jenkins-credentials-username";
    /** Tag or label naming the JSON property that holds the username. */
    public static final String USERNAME_PROPERTY_TAG = "jenkins-credentials-username-property";
    /** Tag or label holding the file name. */
    public static final String FILENAME_TAG = "jenkins-credentials-filename";
    /** Tag or label naming the JSON property that holds the credential's value. */
    public static final String PROPERTY_TAG = "jenkins-credentials-property";
    /** Tag or label naming the JSON property that holds the passphrase (SSH key) or key store password. */
    public static final String PASSPHRASE_PROPERTY_TAG = "jenkins-credentials-passphrase-property";
    /** Tag or label naming another secret of the same store that holds the passphrase or key store password. */
    public static final String PASSPHRASE_SECRET_TAG = "jenkins-credentials-passphrase-secret";
    /** Tag or label holding an explicit credential id. */
    public static final String ID_TAG = "jenkins-credentials-id";
    /** Tag or label holding the credential's description. */
    public static final String DESCRIPTION_TAG = "jenkins-credentials-description";
    /** Tag or label holding the credential's scope. */
    public static final String SCOPE_TAG = "jenkins-credentials-scope";

    /** The mapping of a type with a username and file name only (the whole value, global, no problem). */
    public CredentialMapping(CredentialType type, String username, String filename, String problem) {
        this(type, type.tagValue(), username, null, filename, null, null, null, null, null, CredentialScope.GLOBAL,
                problem);
    }

    /** Whether the tags describe a usable credential. */
    public boolean isUsable() {
        return problem == null;
    }

    /** Whether the type tag names a type this engine knows (or is absent). */
    public boolean isKnownType() {
        return declaredType == null || CredentialType.fromTagValue(declaredType) != null;
    }

    /** The name of the passphrase secret ({@value #PASSPHRASE_SECRET_TAG} up to a {@code #}), or {@code null}. */
    public String passphraseSecretName() {
        if (passphraseSecret == null) {
            return null;
        }
        int hash = passphraseSecret.indexOf('#');
        return hash < 0 ? passphraseSecret : passphraseSecret.substring(0, hash);
    }

    /**
     * The property of the passphrase secret's value ({@value #PASSPHRASE_SECRET_TAG} after a {@code #}, as in
     * references: {@code deploy-key-passphrase#value} for a Vault secret), or {@code null} for its whole value.
     */
    public String passphraseSecretProperty() {
        int hash = passphraseSecret == null ? -1 : passphraseSecret.indexOf('#');
        return hash < 0 ? null : passphraseSecret.substring(hash + 1);
    }

    /** Whether the secret protects its key with a passphrase (from a property or another secret). */
    public boolean hasPassphrase() {
        return passphraseProperty != null || passphraseSecret != null;
    }

    /** Reads the mapping from a secret's tags or labels; {@code null} tags mean none. */
    public static CredentialMapping fromTags(Map<String, String> tags) {
        Map<String, String> safe = tags == null ? Map.of() : tags;
        String declared = tag(safe, TYPE_TAG);
        String username = tag(safe, USERNAME_TAG);
        String usernameProperty = tag(safe, USERNAME_PROPERTY_TAG);
        String filename = tag(safe, FILENAME_TAG);
        String property = tag(safe, PROPERTY_TAG);
        String passphraseProperty = tag(safe, PASSPHRASE_PROPERTY_TAG);
        String passphraseSecret = tag(safe, PASSPHRASE_SECRET_TAG);
        String id = tag(safe, ID_TAG);
        String description = tag(safe, DESCRIPTION_TAG);
        String scopeTag = tag(safe, SCOPE_TAG);
        CredentialScope scope = scopeTag == null ? CredentialScope.GLOBAL : CredentialScope.fromTagValue(scopeTag);
        CredentialType known = declared == null ? CredentialType.STRING : CredentialType.fromTagValue(declared);
        CredentialType type = known == null ? CredentialType.STRING : known;
        String problem = problem(known, declared, username, usernameProperty, filename, property, passphraseProperty,
                passphraseSecret, id, scopeTag, scope);
        return new CredentialMapping(type, declared, username, usernameProperty, filename, property,
                passphraseProperty, passphraseSecret, id, description, scope == null ? CredentialScope.GLOBAL : scope,
                problem);
    }

    private static String problem(CredentialType known, String declared, String username, String usernameProperty,
            String filename, String property, String passphraseProperty, String passphraseSecret, String id,
            String scopeTag, CredentialScope scope) {
        String secretProperty = passphraseSecret == null || passphraseSecret.indexOf('#') < 0 ? null
                : passphraseSecret.substring(passphraseSecret.indexOf('#') + 1);
        for (String[] path : new String[][] {{PROPERTY_TAG, property}, {USERNAME_PROPERTY_TAG, usernameProperty},
                {PASSPHRASE_PROPERTY_TAG, passphraseProperty}, {PASSPHRASE_SECRET_TAG, secretProperty}}) {
            String bad = badPath(path[0], path[1]);
            if (bad != null) {
                return bad;
            }
        }
        if (id != null && !isValidId(id)) {
            return "tag " + ID_TAG + " '" + id + "' is not a credential id (letters, digits, _ . - only)";
        }
        if (scope == null) {
            return "tag " + SCOPE_TAG + " has unknown value '" + scopeTag + "'; expected GLOBAL or SYSTEM";
        }
        if (passphraseProperty != null && passphraseSecret != null) {
            return "tags " + PASSPHRASE_PROPERTY_TAG + " and " + PASSPHRASE_SECRET_TAG + " exclude each other";
        }
        if (known == null) {
            return "tag " + TYPE_TAG + " has unknown value '" + declared + "'; expected one of " + knownTypes();
        }
        return switch (known) {
            case USERNAME_PASSWORD -> username == null && usernameProperty == null
                    ? "tag " + USERNAME_TAG + " or " + USERNAME_PROPERTY_TAG + " is required when " + TYPE_TAG
                            + " is " + known.tagValue()
                    : null;
            case FILE -> filename == null ? missing(FILENAME_TAG, known) : null;
            default -> null;
        };
    }

    private static String badPath(String tag, String path) {
        if (path == null) {
            return null;
        }
        try {
            PropertyPath.parse(path);
            return null;
        } catch (IllegalArgumentException e) {
            return "tag " + tag + " '" + path + "' is not a property path: " + e.getMessage();
        }
    }

    private static boolean isValidId(String id) {
        return id.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '_' || c == '.' || c == '-');
    }

    private static String missing(String tag, CredentialType type) {
        return "tag " + tag + " is required when " + TYPE_TAG + " is " + type.tagValue();
    }

    private static String knownTypes() {
        return Arrays.stream(CredentialType.values()).map(CredentialType::tagValue).collect(Collectors.joining(", "));
    }

    private static String tag(Map<String, String> tags, String name) {
        String text = tags.get(name);
        return text == null || text.isBlank() ? null : text.trim();
    }
}
