package io.jenkins.plugins.kmssecrets.jenkins.steps;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.manifest.InlineSecrets;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.ManifestParser;
import io.jenkins.plugins.kmssecrets.manifest.SecretBinding;
import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The secrets a step asks for: from a manifest in the workspace or from inline bindings, validated by the engine,
 * restricted to stores the administrator configured. A manifest's own store settings are not used in Jenkins: a job
 * must not be able to point the controller's identity at a store of its choosing.
 */
final class StepBindings {

    /** How problems name the Jenkins configuration. */
    static final String JENKINS_CONFIGURATION = "the Jenkins configuration (Manage Jenkins > System > KMS Secrets)";

    private StepBindings() {
    }

    /**
     * Reads and validates the bindings; when there are several problems each is printed (one line each), and the step
     * fails with the first.
     *
     * @throws AbortException with a one-line message naming file, line and secret names, never values
     */
    static List<SecretBinding> read(StepContext context, String manifest, List<KmsSecretVariable> inline,
            ConfiguredStores stores, TaskListener listener, String step) throws IOException, InterruptedException {
        boolean hasManifest = manifest != null && !manifest.isBlank();
        boolean hasInline = inline != null && !inline.isEmpty();
        if (hasManifest == hasInline) {
            throw new AbortException(step + ": give either 'manifest' or 'secrets'");
        }
        try {
            List<SecretBinding> bindings = hasManifest ? fromManifest(context, manifest.trim(), listener, step)
                    : fromInline(inline, step);
            InlineSecrets.requireStores(bindings, stores.ids(), JENKINS_CONFIGURATION);
            return bindings;
        } catch (ProblemsException e) {
            // The step fails with the first problem (and a count); print them all only when there is more than one.
            if (e.problems().size() > 1) {
                for (Problem problem : e.problems()) {
                    listener.error(problem.toString());
                }
            }
            throw new AbortException(prefixed(step, e.getMessage()));
        } catch (SecretStoreException e) {
            throw new AbortException(prefixed(step, e.getMessage()));
        }
    }

    /**
     * {@code step: message}, unless the message already starts with the step's name: problems in inline bindings are
     * located at the step itself ({@code withKmsSecrets: store 'x' of A is not configured ...}).
     */
    static String prefixed(String step, String message) {
        return message != null && message.startsWith(step + ":") ? message : step + ": " + message;
    }

    private static List<SecretBinding> fromInline(List<KmsSecretVariable> inline, String step) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (KmsSecretVariable variable : inline) {
            pairs.add(new AbstractMap.SimpleImmutableEntry<>(variable.getEnv(), variable.getRef()));
        }
        return InlineSecrets.parse(step, pairs);
    }

    private static List<SecretBinding> fromManifest(StepContext context, String manifest, TaskListener listener,
            String step) throws IOException, InterruptedException {
        FilePath workspace = context.get(FilePath.class);
        if (workspace == null) {
            throw new AbortException(step + ": 'manifest' needs a workspace; call the step inside node { }");
        }
        FilePath file = workspace.child(manifest);
        if (!file.exists()) {
            throw new AbortException(step + ": manifest " + manifest + " does not exist in the workspace");
        }
        if (file.length() > YamlInput.DEFAULT_MAX_BYTES) {
            throw new AbortException(step + ": manifest " + manifest + " is larger than "
                    + YamlInput.DEFAULT_MAX_BYTES + " bytes");
        }
        Manifest parsed = new ManifestParser(StoreTypes.installed()).parse(Path.of(manifest), file.readToString(),
                manifest);
        if (!parsed.stores().isEmpty()) {
            listener.getLogger().println(step + ": stores come from " + JENKINS_CONFIGURATION + "; the settings of "
                    + "the manifest's stores are not used");
        }
        return parsed.secrets();
    }
}
