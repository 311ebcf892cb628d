package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kmsExternalSecretsValidate(files: 'deploy/**}{@code /secrets/*.yaml')}: the engine's offline validation of
 * ExternalSecret files (YAML, the CRD schema, ESO's admission rules, provider key syntax). Prints every problem with
 * file, line and JSON path and fails when there is one. Returns the number of ExternalSecrets validated.
 */
public final class EsoValidateStep extends Step {

    static final String FUNCTION = "kmsExternalSecretsValidate";

    private String files = EsoWorkspace.DEFAULT_FILES;

    @DataBoundConstructor
    public EsoValidateStep() {
    }

    public String getFiles() {
        return files;
    }

    /** An Ant-style glob, relative to the workspace; comma-separated for several. */
    @DataBoundSetter
    public void setFiles(String files) {
        this.files = StepParameters.trimmedOr(files, EsoWorkspace.DEFAULT_FILES);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, files);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Integer> {

        private static final long serialVersionUID = 1L;

        private final String files;

        Execution(StepContext context, String files) {
            super(context);
            this.files = files;
        }

        @Override
        protected Integer run() throws Exception {
            TaskListener listener = getContext().get(TaskListener.class);
            FilePath workspace = EsoWorkspace.workspace(getContext(), FUNCTION);
            ValidationReport report = EsoWorkspace.validate(workspace, files, listener, FUNCTION);
            if (!report.isValid()) {
                throw new AbortException(FUNCTION + ": " + report.problems().size() + " problem(s)");
            }
            return report.documents().size();
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
            return Messages.EsoValidateStep_displayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class);
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return StepArguments.string(namedArgs, "files");
        }
    }
}
