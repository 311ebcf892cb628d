package io.jenkins.plugins.kmssecrets.cli;

/**
 * Exit codes of every {@code kms-secrets} command ({@code exec} returns its command's own code once it ran).
 *
 * @since 0.1.0
 */
public final class ExitCode {

    /** Everything worked; every check passed. */
    public static final int OK = 0;
    /** A check or the command failed (a missing, disabled or expired secret; a failed sync). */
    public static final int FAILED = 1;
    /** Usage or input error: bad option, malformed manifest or reference, unknown store, bad or tampered file. */
    public static final int INPUT = 2;
    /** A store could not be used: unreachable, sign-in failed, access denied, or the secret does not exist. */
    public static final int STORE = 3;

    private ExitCode() {
    }
}
