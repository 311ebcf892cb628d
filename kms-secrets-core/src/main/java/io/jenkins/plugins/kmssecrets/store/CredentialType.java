package io.jenkins.plugins.kmssecrets.store;

import java.util.Locale;

/**
 * The kind of Jenkins credential a secret stands for, declared on the secret itself with the tag (Azure) or label
 * (Google) {@value CredentialMapping#TYPE_TAG}. Store-independent: every store that has tags or labels maps them the
 * same way through {@link CredentialMapping#fromTags(java.util.Map)}.
 *
 * @since 0.1.0
 */
public enum CredentialType {

    /** Secret text; the default when the tag is absent. */
    STRING("string"),
    /** Username (from a tag) and password (the value). */
    USERNAME_PASSWORD("usernamePassword"),
    /** A file (name from a tag) whose content is the value. */
    FILE("file"),
    /** An SSH private key (the value), with an optional username tag. */
    SSH_USER_PRIVATE_KEY("sshUserPrivateKey"),
    /** A certificate (PKCS#12 or PEM, the value). */
    CERTIFICATE("certificate");

    private final String tagValue;

    CredentialType(String tagValue) {
        this.tagValue = tagValue;
    }

    /** The canonical tag value, for example {@code usernamePassword}. */
    public String tagValue() {
        return tagValue;
    }

    /**
     * The type a tag value names, or {@code null} when it names none. Case, {@code -} and {@code _} are ignored so
     * that Google labels, which must be lower case, can say {@code username-password} or {@code usernamepassword}.
     */
    public static CredentialType fromTagValue(String value) {
        if (value == null) {
            return null;
        }
        String wanted = normalise(value);
        for (CredentialType type : values()) {
            if (normalise(type.tagValue).equals(wanted)) {
                return type;
            }
        }
        return null;
    }

    private static String normalise(String text) {
        return text.trim().replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }
}
