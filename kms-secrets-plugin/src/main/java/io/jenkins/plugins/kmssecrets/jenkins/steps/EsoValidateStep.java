package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretValidator;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import io.jenkins.plugins.kmssecrets.jenkins.config.BuildAuditContext;
import io.jenkins.plugins.kmssecrets.jenkins.config.PluginClassLoaderScope;
import io.jenkins.plugins.kmssecrets.k8s.ClusterValidation;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
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
 * {@code kmsExternalSecretsValidate(files: 'deploy/**}{@code /secrets/*.yaml')}: the engine's validation of
 * ExternalSecret files (YAML, the CRD schema, ESO's admission rules, provider key syntax). Offline by default; with a
 * cluster ({@code credentialsId} or {@code inCluster: true}, as for {@code kmsExternalSecretsSync}) the schema is the
 * CRD installed there, key syntax follows the provider of the cluster's store, and each document goes through a
 * server-side dry-run and a check that its store exists and is Ready. Nothing is changed in the cluster. Prints every
 * problem with file, line and JSON path and fails when there is one. Returns the number of ExternalSecrets validated.
 */
public final class EsoValidateStep extends Step {

    static final String FUNCTION = "kmsExternalSecretsValidate";

    private String files = EsoWorkspace.DEFAULT_FILES;
    private String credentialsId;
    private String context;
    private String server;
    private boolean inCluster;

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

    public String getCredentialsId() {
        return credentialsId;
    }

    /** A kubeconfig ("secret file") or token ("secret text", with {@code server}) credential: validate connected. */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    public String getServer() {
        return server;
    }

    @DataBoundSetter
    public void setServer(String server) {
        this.server = Util.fixEmptyAndTrim(server);
    }

    public boolean isInCluster() {
        return inCluster;
    }

    @DataBoundSetter
    public void setInCluster(boolean inCluster) {
        this.inCluster = inCluster;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Integer> {

        private static final long serialVersionUID = 1L;

        private final String files;
        private final String credentialsId;
        private final String kubeContext;
        private final String server;
        private final boolean inCluster;

        Execution(StepContext context, EsoValidateStep step) {
            super(context);
            this.files = step.files;
            this.credentialsId = step.credentialsId;
            this.kubeContext = step.context;
            this.server = step.server;
            this.inCluster = step.inCluster;
        }

        /** Runs the step with its build as the audit context of every store and cluster request. */
        @Override
        protected Integer run() throws Exception {
            return BuildAuditContext.call(getContext().get(Run.class), this::runInBuild);
        }

        private Integer runInBuild() throws Exception {
            StepContext context = getContext();
            TaskListener listener = context.get(TaskListener.class);
            FilePath workspace = EsoWorkspace.workspace(context, FUNCTION);
            ValidationReport report;
            if (credentialsId == null && !inCluster) {
                report = EsoWorkspace.validate(workspace, files, listener, FUNCTION);
            } else {
                try (KubernetesClient client = EsoWorkspace.connect(context.get(Run.class), credentialsId,
                        kubeContext, server, inCluster, FUNCTION)) {
                    ClusterValidation cluster = new ClusterValidation(client);
                    ExternalSecretValidator validator = PluginClassLoaderScope.call(
                            () -> new ExternalSecretValidator(cluster.installedSchema(), cluster.providerLookup()));
                    listener.getLogger().println(FUNCTION + ": judged by the ExternalSecret CRD and stores of the "
                            + "cluster (dry-run only, nothing is changed)");
                    report = EsoWorkspace.validate(workspace, files, listener, FUNCTION, validator, cluster);
                } catch (SecretStoreException e) {
                    throw new AbortException(FUNCTION + ": " + e.getMessage());
                }
            }
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
            return Set.of(FilePath.class, TaskListener.class, Run.class);
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return StepArguments.string(namedArgs, "files");
        }
    }
}
