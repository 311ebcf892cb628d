package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import io.jenkins.plugins.kmssecrets.masking.MaskedException;
import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.FailureHandler;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Masks the block's values in an exception leaving it (its message, causes and suppressed exceptions) with the
 * engine's {@link MaskedException}; an exception that holds no value passes unchanged, keeping its type.
 * Registered both as the block's {@link FailureHandler} (applied by workflow-cps to failures inside the block) and
 * used by the step's own body callback, which also covers Pipeline versions that do not apply handlers.
 */
final class MaskingFailureHandler implements FailureHandler {

    private static final long serialVersionUID = 1L;

    private final SealedSecrets secrets;
    private transient volatile SecretMasker masker;

    MaskingFailureHandler(SealedSecrets secrets) {
        this.secrets = secrets;
    }

    @NonNull
    @Override
    public Throwable handle(@NonNull StepContext ctx, @NonNull Throwable t) {
        return mask(t);
    }

    /**
     * {@code t}, or a masked copy when a message in its chain holds a value. An {@link AbortException} stays one
     * (with its message masked), so Pipeline still prints it as a one-line {@code ERROR:} without a stack trace.
     */
    Throwable mask(Throwable t) {
        SecretMasker m = masker();
        Throwable masked = MaskedException.mask(m, t);
        if (masked != t && t instanceof AbortException && t.getCause() == null && t.getSuppressed().length == 0) {
            return new AbortException(m.mask(String.valueOf(t.getMessage())));
        }
        return masked;
    }

    private SecretMasker masker() {
        SecretMasker compiled = masker;
        if (compiled == null) {
            Map<String, SecretValue> values = secrets.open();
            try {
                compiled = SecretMasker.compile(values, StandardCharsets.UTF_8);
            } finally {
                SealedSecrets.wipe(values);
            }
            masker = compiled;
        }
        return compiled;
    }

    /** Names only. */
    @Override
    public String toString() {
        return "kms-secrets exception masking " + secrets.names();
    }
}
