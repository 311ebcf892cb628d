package io.jenkins.plugins.kmssecrets.store;

import java.util.Locale;

/**
 * Where a credential made from a secret may be used, declared with the tag or label {@value CredentialMapping#SCOPE_TAG}:
 * {@code GLOBAL} (the default: jobs and the system) or {@code SYSTEM} (only the system itself, never a job).
 *
 * @since 0.1.0
 */
public enum CredentialScope {

    /** Usable by jobs and by the system; the default. */
    GLOBAL,
    /** Usable by the system only (agent launchers, plugins acting for Jenkins), never by a job. */
    SYSTEM;

    /** The scope a tag value names (case ignored), or {@code null}. */
    public static CredentialScope fromTagValue(String value) {
        if (value == null) {
            return null;
        }
        String wanted = value.trim().toUpperCase(Locale.ROOT);
        for (CredentialScope scope : values()) {
            if (scope.name().equals(wanted)) {
                return scope;
            }
        }
        return null;
    }
}
