package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDocument;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import io.jenkins.plugins.kmssecrets.k8s.ExternalSecretSync;
import io.jenkins.plugins.kmssecrets.k8s.SyncReport;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kmsExternalSecretsSync(credentialsId: 'kubeconfig-prod', files: ...)}: validates the ExternalSecret files,
 * server-side applies them and waits until the External Secrets Operator reports a fresh sync of each (the engine's
 * {@link ExternalSecretSync}; it reads generated Secrets' metadata only, never their data). Prints the engine's
 * progress and table; fails unless every resource synced. Returns the number of resources synced.
 */
public final class EsoSyncStep extends ClusterStep<Integer> {

    static final String FUNCTION = "kmsExternalSecretsSync";

    private String files = EsoWorkspace.DEFAULT_FILES;
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
    protected Outcome<Integer> call(Call call) throws Exception {
        if (prune && app == null) {
            throw call.abort("'prune' needs 'app' (only that app's resources are pruned)");
        }
        ValidationReport validation = EsoWorkspace.validate(call.workspace(), files, call.listener(), FUNCTION);
        if (!validation.isValid()) {
            throw call.abort("not syncing: " + validation.problems().size() + " problem(s)");
        }
        List<ExternalSecretDocument> documents = validation.documents();
        if (documents.isEmpty()) {
            throw call.abort("no ExternalSecret found in " + files);
        }
        call.pending(EsoWorkspace.names(documents));
        ExternalSecretSync.Options options = new ExternalSecretSync.Options(app,
                Duration.ofSeconds(timeoutSeconds), parallelism, Duration.ofSeconds(2), Duration.ofSeconds(10),
                prune, dryRun);
        PrintStream log = call.log();
        SyncReport report;
        try (KubernetesClient client = connect(call)) {
            report = new ExternalSecretSync(client, options, Clock.systemUTC(), line -> {
                synchronized (log) {
                    log.println(line);
                }
            }).sync(documents);
        }
        Outcome<Integer> outcome = Outcome.of(report.results().size()).table(report.toTable());
        report.warnings().forEach(w -> outcome.note("WARNING: " + w));
        return outcome.report(junitFile, report.toJunitXml())
                .failIf(!report.isSuccess(), "not every ExternalSecret synced");
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends OperationDescriptor {

        /** The graph shows the file glob only (a credential id is a name, but the graph does not need it). */
        public DescriptorImpl() {
            super(FUNCTION, true, "files");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.EsoSyncStep_displayName();
        }
    }
}
