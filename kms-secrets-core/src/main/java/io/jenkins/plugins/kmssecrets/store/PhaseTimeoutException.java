package io.jenkins.plugins.kmssecrets.store;

import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A request that exceeded one of its {@link NetworkLimits}. Its message is built only from the phase, the limit and
 * the setting name ({@code body timed out after 2 s (setting 'bodyTimeout')}), never from anything the server sent.
 * It is an {@link HttpTimeoutException}, so callers that retry timeouts keep doing so.
 *
 * @since 0.3.0
 */
public final class PhaseTimeoutException extends HttpTimeoutException {

    private static final long serialVersionUID = 1L;

    private final transient NetworkLimits.Phase phase;
    private final transient Duration limit;

    public PhaseTimeoutException(NetworkLimits.Phase phase, NetworkLimits limits) {
        super(phase.label() + " timed out after " + NetworkLimits.text(limits.limit(phase)) + " (setting '"
                + limits.setting(phase) + "')");
        this.phase = phase;
        this.limit = limits.limit(phase);
    }

    /** Which wait was exceeded. */
    public NetworkLimits.Phase phase() {
        return phase;
    }

    /** The limit that was exceeded. */
    public Duration limit() {
        return limit;
    }
}
