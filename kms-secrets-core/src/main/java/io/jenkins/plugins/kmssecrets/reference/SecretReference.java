package io.jenkins.plugins.kmssecrets.reference;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference to one secret: {@code <storeId>:<name>[@<version>][#<property>]}.
 *
 * <ul>
 *   <li>{@code storeId}: a store declared in the manifest or the Jenkins configuration; lower-case letters, digits,
 *       {@code -} and {@code _}, starting with a letter.</li>
 *   <li>{@code name}: the secret's name in that store. Its syntax belongs to the store: an Azure Key Vault or
 *       Google Secret Manager secret name, a Vault path ({@code apps/netbox}), a dotted key path in a SOPS file
 *       ({@code api.token}).</li>
 *   <li>{@code version} (optional): pins a version; absent means latest.</li>
 *   <li>{@code property} (optional): one field of the value: a JSON field of a JSON-valued secret, a key of a Vault
 *       KV secret's data. Nested keys are separated by dots ({@code #pool.max}); a dot inside a key is written
 *       {@code \.} (see {@link PropertyPath}).</li>
 * </ul>
 * Examples: {@code akv-prod:netbox-db-password}, {@code akv-prod:netbox-db@3f2c1a#password},
 * {@code vault:apps/netbox#db_password}, {@code local:api.token}.
 *
 * @since 0.1.0
 */
public record SecretReference(String storeId, String name, String version, String property) {

    private static final Pattern STORE_ID = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final int MAX_LENGTH = 1024;

    public SecretReference {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(name, "name");
    }

    /** A reference to the latest version of {@code name}, without property. */
    public static SecretReference of(String storeId, String name) {
        return new SecretReference(storeId, name, null, null);
    }

    /** Whether {@code id} is a valid store id. */
    public static boolean isValidStoreId(String id) {
        return id != null && STORE_ID.matcher(id).matches();
    }

    /**
     * Parses {@code text}. Errors say which character is wrong and what was expected; they quote the reference,
     * which is a name and never a value.
     *
     * @throws InvalidInputException when the text is not a reference
     */
    public static SecretReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "a reference is empty; expected <storeId>:<name>[@version][#property]");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidInputException(null, null,
                    "reference is " + text.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw invalid(text, "unexpected whitespace or control character at column " + (i + 1));
            }
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw invalid(text, "missing ':' after the store id; expected <storeId>:<name>");
        }
        String storeId = text.substring(0, colon);
        if (!isValidStoreId(storeId)) {
            throw invalid(text, "store id '" + storeId + "' at column 1 is not valid; expected a lower-case letter "
                    + "followed by lower-case letters, digits, '-' or '_'");
        }
        String rest = text.substring(colon + 1);
        String property = null;
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            property = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
            if (property.isEmpty()) {
                throw invalid(text, "empty property after '#' at column " + (colon + 1 + hash + 2));
            }
            if (property.indexOf('#') >= 0) {
                throw invalid(text, "more than one '#'; expected at most one property");
            }
            try {
                PropertyPath.parse(property);
            } catch (IllegalArgumentException e) {
                throw invalid(text, e.getMessage());
            }
        }
        String version = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            version = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (version.isEmpty()) {
                throw invalid(text, "empty version after '@' at column " + (colon + 1 + at + 2));
            }
        }
        if (rest.isEmpty()) {
            throw invalid(text, "empty secret name after '" + storeId + ":' at column " + (colon + 2));
        }
        return new SecretReference(storeId, rest, version, property);
    }

    private static InvalidInputException invalid(String text, String detail) {
        return new InvalidInputException(null, null,
                "malformed reference '" + (text == null ? "" : text) + "': " + detail);
    }

    /** The property as a path of keys, or {@code null} without property. */
    public PropertyPath propertyPath() {
        return property == null ? null : PropertyPath.parse(property);
    }

    /** The value this reference reads: store, name and version, without property. */
    public SecretReference withoutProperty() {
        return property == null ? this : new SecretReference(storeId, name, version, null);
    }

    /** A copy of this reference without version or property: the secret itself. */
    public SecretReference secret() {
        return version == null && property == null ? this : new SecretReference(storeId, name, null, null);
    }

    /** The canonical text form, which {@link #parse(String)} reads back to an equal reference. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(storeId).append(':').append(name);
        if (version != null) {
            sb.append('@').append(version);
        }
        if (property != null) {
            sb.append('#').append(property);
        }
        return sb.toString();
    }
}
