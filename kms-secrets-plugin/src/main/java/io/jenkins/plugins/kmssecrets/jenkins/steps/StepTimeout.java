package io.jenkins.plugins.kmssecrets.jenkins.steps;

import hudson.AbortException;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.kmssecrets.store.OverallTimeout;
import io.jenkins.plugins.kmssecrets.store.OverallTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

/**
 * A step's {@code timeout:} over its store and cluster work, on the engine's {@link OverallTimeout}: the work runs on
 * a worker thread (with the build's authentication), so both the limit and an abort of the build (which interrupts
 * the step's thread) interrupt it at once; at the limit the step fails with
 * {@code <step>: did not finish within N s (timeout); still pending: <names>}.
 */
final class StepTimeout {

    /** The step parameter's name, in the message. */
    static final String PARAMETER = "timeout";

    /** The default of {@code timeout:}: no overall limit beyond the stores' and the cluster's per-request limits. */
    static final int NONE = 0;

    private StepTimeout() {
    }

    /** Work that may throw what a step throws. */
    interface Work<T> {
        T call() throws Exception;
    }

    /** The limit of {@code timeout: seconds}; {@code null} for {@link #NONE}. */
    static Duration limit(int seconds) {
        return seconds <= NONE ? null : Duration.ofSeconds(seconds);
    }

    /** The setter's check: 0 (no limit) or a positive number of seconds. */
    static int checked(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("'" + PARAMETER + "' is " + seconds
                    + "; give a number of seconds, or 0 for no overall limit");
        }
        return seconds;
    }

    /**
     * Runs {@code work} within {@code limit} ({@code null}: none, but still interruptible by an abort).
     *
     * @param pending what the work is waiting for (names and references, never values)
     * @param discard disposes of a result that arrives too late
     * @throws AbortException at the limit, with the step's one-line message
     */
    static <T> T call(String function, Duration limit, Supplier<String> pending, Consumer<? super T> discard,
                      Work<T> work) throws Exception {
        Authentication authentication = Jenkins.getAuthentication2();
        try {
            return OverallTimeout.runInterruptibly(limit, pending, discard, () -> {
                ACLContext acl = ACL.as2(authentication);
                try {
                    return work.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new Checked(e);
                } finally {
                    acl.close();
                }
            });
        } catch (Checked e) {
            throw (Exception) e.getCause();
        } catch (OverallTimeoutException e) {
            throw new AbortException(StepBindings.prefixed(function, e.message(PARAMETER)));
        }
    }

    /** Carries a checked exception of the work across the worker thread. */
    private static final class Checked extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Checked(Exception cause) {
            super(cause);
        }
    }
}
