package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;

/**
 * Puts the block's values into the environment of the steps inside it, and reports their names as sensitive so
 * that Pipeline warns when one is interpolated into a Groovy string. Expanded on the controller.
 */
final class SecretEnvironment extends EnvironmentExpander {

    private static final long serialVersionUID = 1L;

    private final SealedSecrets secrets;

    SecretEnvironment(SealedSecrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public void expand(@NonNull EnvVars env) {
        Map<String, SecretValue> values = secrets.open();
        try {
            values.forEach((name, value) -> env.override(name, value.asString()));
        } finally {
            SealedSecrets.wipe(values);
        }
    }

    @NonNull
    @Override
    public Set<String> getSensitiveVariables() {
        return secrets.names();
    }

    /** Names only. */
    @Override
    public String toString() {
        return "kms-secrets environment " + secrets.names();
    }
}
