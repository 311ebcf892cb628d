package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.masking.WholeLinesOutputStream;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.Map;
import org.jenkinsci.plugins.workflow.log.TaskListenerDecorator;

/**
 * Masks the block's values, and their encoded forms, in everything the block writes to the build log, with the
 * engine's streaming {@link SecretMasker}. The decorator is serialized into {@code program.dat} and to agents
 * (see {@link SealedSecrets} for what each form holds); the compiled masker is rebuilt in whichever JVM decorates a
 * stream, so {@link #decorate} never needs Jenkins.
 */
final class MaskingDecorator extends TaskListenerDecorator {

    private static final long serialVersionUID = 1L;

    private final SealedSecrets secrets;
    private final String charsetName;
    private transient volatile SecretMasker masker;

    MaskingDecorator(SealedSecrets secrets, String charsetName) {
        this.secrets = secrets;
        this.charsetName = charsetName;
    }

    @NonNull
    @Override
    public OutputStream decorate(@NonNull OutputStream logger) {
        // Whole lines to the log: parallel branches share it, and a shell step's output can arrive a byte at a time.
        return masker().wrap(new WholeLinesOutputStream(logger));
    }

    private SecretMasker masker() {
        SecretMasker compiled = masker;
        if (compiled == null) {
            Map<String, SecretValue> values = secrets.open();
            try {
                compiled = SecretMasker.compile(values, Charset.forName(charsetName));
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
        return "kms-secrets masking " + secrets.names();
    }
}
