package io.jenkins.plugins.kmssecrets.store;

import java.time.Duration;

/**
 * The overall limit of {@link OverallTimeout} passed before the work finished. The message names the limit and what
 * was still pending (names and references, never values); {@link #message(String)} adds the setting that set it.
 *
 * @since 0.3.0
 */
public final class OverallTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Duration limit;
    private final String pending;

    public OverallTimeoutException(Duration limit, String pending) {
        super("did not finish within " + NetworkLimits.text(limit) + "; still pending: " + pending);
        this.limit = limit;
        this.pending = pending;
    }

    /** The limit that passed. */
    public Duration limit() {
        return limit;
    }

    /** What was still pending, e.g. {@code DB_PASSWORD (vault:ci/db#password)}. */
    public String pending() {
        return pending;
    }

    /** {@code did not finish within 2 s (<setting>); still pending: ...}. */
    public String message(String setting) {
        return "did not finish within " + NetworkLimits.text(limit) + " (" + setting + "); still pending: " + pending;
    }
}
