package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDeclaration;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretFiles;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretRenderer;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretsSection;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.ManifestParser;
import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kmsExternalSecretsDeclare(manifest: 'kms-secrets.yaml')}: renders the manifest's {@code externalSecrets}
 * section into {@code deploy/<app>/secrets/externalsecret-<name>.yaml} in the workspace, deterministically (an
 * unchanged file is not rewritten). Names and references only; no store is contacted. Returns the number of files
 * that changed.
 */
public final class EsoDeclareStep extends Step {

    static final String FUNCTION = "kmsExternalSecretsDeclare";

    private String manifest = ManifestParser.DEFAULT_FILE;

    @DataBoundConstructor
    public EsoDeclareStep() {
    }

    public String getManifest() {
        return manifest;
    }

    @DataBoundSetter
    public void setManifest(String manifest) {
        this.manifest = StepParameters.trimmedOr(manifest, ManifestParser.DEFAULT_FILE);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, manifest);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Integer> {

        private static final long serialVersionUID = 1L;

        private final String manifest;

        Execution(StepContext context, String manifest) {
            super(context);
            this.manifest = manifest;
        }

        @Override
        protected Integer run() throws Exception {
            TaskListener listener = getContext().get(TaskListener.class);
            FilePath workspace = EsoWorkspace.workspace(getContext(), FUNCTION);
            FilePath file = workspace.child(manifest);
            if (!file.exists() || file.length() > YamlInput.DEFAULT_MAX_BYTES) {
                throw new AbortException(FUNCTION + ": manifest " + manifest + " is missing or larger than "
                        + YamlInput.DEFAULT_MAX_BYTES + " bytes");
            }
            List<ExternalSecretDeclaration> declarations;
            try {
                Manifest parsed = new ManifestParser(StoreTypes.installed()).parse(Path.of(manifest),
                        file.readToString(), manifest);
                Set<String> storeIds = new TreeSet<>();
                parsed.stores().stream().map(StoreDefinition::id).forEach(storeIds::add);
                declarations = ExternalSecretsSection.parse(parsed.externalSecrets(), storeIds);
            } catch (ProblemsException e) {
                for (Problem problem : e.problems()) {
                    listener.error(problem.toString());
                }
                throw new AbortException(FUNCTION + ": " + e.getMessage());
            } catch (SecretStoreException e) {
                throw new AbortException(FUNCTION + ": " + e.getMessage());
            }
            int changed = 0;
            for (ExternalSecretDeclaration declaration : declarations) {
                String relative = ExternalSecretFiles.relativePath(declaration).toString().replace('\\', '/');
                if (relative.contains("..")) {
                    throw new AbortException(FUNCTION + ": refusing to write outside the workspace: " + relative);
                }
                refuseLinks(workspace, relative);
                FilePath target = workspace.child(relative);
                String content = ExternalSecretRenderer.toYaml(declaration);
                if (target.exists() && content.equals(target.readToString())) {
                    listener.getLogger().println("unchanged " + relative);
                    continue;
                }
                // Written beside the target, then moved into place, so a reader never sees half a file.
                FilePath parent = target.getParent();
                parent.mkdirs();
                FilePath temporary = parent.child("." + target.getName() + ".tmp");
                temporary.write(content, StandardCharsets.UTF_8.name());
                temporary.renameTo(target);
                listener.getLogger().println("wrote " + relative);
                changed++;
            }
            listener.getLogger().println(FUNCTION + ": " + declarations.size() + " ExternalSecret(s), " + changed
                    + " file(s) changed");
            return changed;
        }
    }

    /**
     * Refuses to write when the target or a directory on the way to it is a symbolic link: the workspace comes from
     * the repository, and a link could point the write at a file outside it (on the controller, for the built-in
     * node).
     */
    static void refuseLinks(FilePath workspace, String relative) throws java.io.IOException, InterruptedException {
        FilePath current = workspace;
        for (String part : relative.split("/")) {
            current = current.child(part);
            if (current.readLink() != null) {
                throw new AbortException(FUNCTION + ": refusing to write through the symbolic link " + relative);
            }
            if (!current.exists()) {
                return;
            }
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EsoDeclareStep_displayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class);
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return StepArguments.string(namedArgs, "manifest");
        }
    }
}
