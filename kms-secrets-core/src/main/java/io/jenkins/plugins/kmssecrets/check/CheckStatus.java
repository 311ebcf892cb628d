package io.jenkins.plugins.kmssecrets.check;

/**
 * Outcome of checking one secret.
 *
 * @since 0.1.0
 */
public enum CheckStatus {
    /** Exists, enabled, valid now, and not expiring within the warning threshold. */
    OK,
    /** Usable now, but expires within the warning threshold. */
    WARN,
    /** Missing, disabled, expired, not yet valid, or the store could not answer. */
    FAIL
}
