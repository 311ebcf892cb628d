package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDocument;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import io.jenkins.plugins.kmssecrets.jenkins.config.BuildAuditContext;
import io.jenkins.plugins.kmssecrets.jenkins.config.PluginClassLoaderScope;
import io.jenkins.plugins.kmssecrets.k8s.ExternalSecretSync;
import io.jenkins.plugins.kmssecrets.k8s.SyncReport;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
 * {@code kmsExternalSecretsSync(credentialsId: 'kubeconfig-prod', files: ...)}: validates the ExternalSecret files,
 * server-side applies them and waits until the External Secrets Operator reports a fresh sync of each (the engine's
 * {@link ExternalSecretSync}; it reads generated Secrets' metadata only, never their data). Prints the engine's
 * progress and table; fails unless every resource synced. Returns the number of resources synced.
 */
public final class EsoSyncStep extends Step {

    static final String FUNCTION = "kmsExternalSecretsSync";

    private String files = EsoWorkspace.DEFAULT_FILES;
    private String credentialsId;
    private String context;
    private String server;
    private boolean inCluster;
    private String app;
    private int timeoutSeconds = 300;
    private int parallelism = 4;
    private boolean prune;
    private boolean dryRun;
    private String junitFile;

    @DataBoundConstructor
    public EsoSyncStep() {
    }

    public String getFiles() {
        return files;
    }

    @DataBoundSetter
    public void setFiles(String files) {
        this.files = StepParameters.trimmedOr(files, EsoWorkspace.DEFAULT_FILES);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

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

    public String getApp() {
        return app;
    }

    @DataBoundSetter
    public void setApp(String app) {
        this.app = Util.fixEmptyAndTrim(app);
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = Math.max(1, timeoutSeconds);
    }

    public int getParallelism() {
        return parallelism;
    }

    @DataBoundSetter
    public void setParallelism(int parallelism) {
        this.parallelism = Math.max(1, parallelism);
    }

    public boolean isPrune() {
        return prune;
    }

    @DataBoundSetter
    public void setPrune(boolean prune) {
        this.prune = prune;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    public String getJunitFile() {
        return junitFile;
    }

    @DataBoundSetter
    public void setJunitFile(String junitFile) {
        this.junitFile = Util.fixEmptyAndTrim(junitFile);
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
        private final String app;
        private final int timeoutSeconds;
        private final int parallelism;
        private final boolean prune;
        private final boolean dryRun;
        private final String junitFile;

        Execution(StepContext context, EsoSyncStep step) {
            super(context);
            this.files = step.files;
            this.credentialsId = step.credentialsId;
            this.kubeContext = step.context;
            this.server = step.server;
            this.inCluster = step.inCluster;
            this.app = step.app;
            this.timeoutSeconds = step.timeoutSeconds;
            this.parallelism = step.parallelism;
            this.prune = step.prune;
            this.dryRun = step.dryRun;
            this.junitFile = step.junitFile;
        }

        /** Runs the step with its build as the audit context of every store and cluster request. */
        @Override
        protected Integer run() throws Exception {
            return BuildAuditContext.call(getContext().get(Run.class), this::runInBuild);
        }

        private Integer runInBuild() throws Exception {
            StepContext context = getContext();
            TaskListener listener = context.get(TaskListener.class);
            Run<?, ?> run = context.get(Run.class);
            FilePath workspace = EsoWorkspace.workspace(context, FUNCTION);
            if (prune && app == null) {
                throw new AbortException(FUNCTION + ": 'prune' needs 'app' (only that app's resources are pruned)");
            }
            ValidationReport validation = EsoWorkspace.validate(workspace, files, listener, FUNCTION);
            if (!validation.isValid()) {
                throw new AbortException(FUNCTION + ": not syncing: " + validation.problems().size()
                        + " problem(s)");
            }
            List<ExternalSecretDocument> documents = validation.documents();
            if (documents.isEmpty()) {
                throw new AbortException(FUNCTION + ": no ExternalSecret found in " + files);
            }
            ExternalSecretSync.Options options = new ExternalSecretSync.Options(app,
                    Duration.ofSeconds(timeoutSeconds), parallelism, Duration.ofSeconds(2), Duration.ofSeconds(10),
                    prune, dryRun);
            PrintStream log = listener.getLogger();
            SyncReport report;
            try (KubernetesClient client = EsoWorkspace.connect(run, credentialsId, kubeContext, server, inCluster,
                    FUNCTION)) {
                report = PluginClassLoaderScope.call(() -> new ExternalSecretSync(client, options, Clock.systemUTC(),
                        line -> {
                            synchronized (log) {
                                log.println(line);
                            }
                        }).sync(documents));
            } catch (SecretStoreException e) {
                throw new AbortException(FUNCTION + ": " + e.getMessage());
            }
            log.print(report.toTable());
            report.warnings().forEach(w -> log.println("WARNING: " + w));
            if (junitFile != null) {
                workspace.child(junitFile).write(report.toJunitXml(), StandardCharsets.UTF_8.name());
            }
            if (!report.isSuccess()) {
                throw new AbortException(FUNCTION + ": not every ExternalSecret synced");
            }
            return report.results().size();
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
            return Messages.EsoSyncStep_displayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class, Run.class);
        }

        /** The file glob only (a credential id is a name, but the graph does not need it). */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return StepArguments.string(namedArgs, "files");
        }
    }
}
