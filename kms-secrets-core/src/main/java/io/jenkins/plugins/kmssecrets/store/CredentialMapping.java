package io.jenkins.plugins.kmssecrets.store;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a secret maps to a Jenkins credential, read from its tags or labels (never from its value):
 * <ul>
 *   <li>{@value #TYPE_TAG}: one of {@code string} (default), {@code usernamePassword}, {@code file},
 *       {@code sshUserPrivateKey}, {@code certificate};</li>
 *   <li>{@value #USERNAME_TAG}: the username, required for {@code usernamePassword}, optional for
 *       {@code sshUserPrivateKey};</li>
 *   <li>{@value #FILENAME_TAG}: the file name, required for {@code file};</li>
 *   <li>{@value #PROPERTY_TAG}: the JSON property of the value that the credential carries (for example
 *       {@code value} for a Vault secret written as {@code vault kv put path value=...}, or {@code private_key});
 *       optional, nested properties as in references ({@code a.b}).</li>
 * </ul>
 * A mapping that cannot be honoured still carries a type (the one asked for, or {@code string}) and explains why in
 * {@link #problem()}, so a listing can show the secret with the reason instead of dropping it.
 *
 * @param type     the credential type
 * @param username the username tag, or {@code null}
 * @param filename the file name tag, or {@code null}
 * @param property the property tag, or {@code null} for the whole value
 * @param problem  why the tags do not describe a usable credential, or {@code null} when they do
 * @since 0.1.0
 */
public record CredentialMapping(CredentialType type, String username, String filename, String property,
                                String problem) {

    /** Tag or label naming the credential type. */
    public static final String TYPE_TAG = "jenkins-credentials-type";
    /** Tag or label holding the username. */
    public static final String USERNAME_TAG = "jenkins-credentials-username";
    /** Tag or label holding the file name. */
    public static final String FILENAME_TAG = "jenkins-credentials-filename";
    /** Tag or label naming the JSON property that holds the credential's value. */
    public static final String PROPERTY_TAG = "jenkins-credentials-property";

    /** The mapping without a property (the whole value). */
    public CredentialMapping(CredentialType type, String username, String filename, String problem) {
        this(type, username, filename, null, problem);
    }

    /** Whether the tags describe a usable credential. */
    public boolean isUsable() {
        return problem == null;
    }

    /** Reads the mapping from a secret's tags or labels; {@code null} tags mean none. */
    public static CredentialMapping fromTags(Map<String, String> tags) {
        Map<String, String> safe = tags == null ? Map.of() : tags;
        String declared = blankToNull(safe.get(TYPE_TAG));
        String username = blankToNull(safe.get(USERNAME_TAG));
        String filename = blankToNull(safe.get(FILENAME_TAG));
        String property = blankToNull(safe.get(PROPERTY_TAG));
        if (property != null) {
            try {
                io.jenkins.plugins.kmssecrets.reference.PropertyPath.parse(property);
            } catch (IllegalArgumentException e) {
                return new CredentialMapping(CredentialType.STRING, username, filename, property,
                        "tag " + PROPERTY_TAG + " '" + property + "' is not a property path: " + e.getMessage());
            }
        }
        if (declared == null) {
            return new CredentialMapping(CredentialType.STRING, username, filename, property, null);
        }
        CredentialType type = CredentialType.fromTagValue(declared);
        if (type == null) {
            return new CredentialMapping(CredentialType.STRING, username, filename, property,
                    "tag " + TYPE_TAG + " has unknown value '" + declared + "'; expected one of " + known());
        }
        String problem = switch (type) {
            case USERNAME_PASSWORD -> username == null ? missing(USERNAME_TAG, type) : null;
            case FILE -> filename == null ? missing(FILENAME_TAG, type) : null;
            default -> null;
        };
        return new CredentialMapping(type, username, filename, property, problem);
    }

    private static String missing(String tag, CredentialType type) {
        return "tag " + tag + " is required when " + TYPE_TAG + " is " + type.tagValue();
    }

    private static String known() {
        return Arrays.stream(CredentialType.values()).map(CredentialType::tagValue).collect(Collectors.joining(", "));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
