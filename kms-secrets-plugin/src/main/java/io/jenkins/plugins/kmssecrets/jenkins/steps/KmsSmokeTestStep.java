package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.kmssecrets.check.CheckReport;
import io.jenkins.plugins.kmssecrets.check.CheckReportFormat;
import io.jenkins.plugins.kmssecrets.check.CheckTarget;
import io.jenkins.plugins.kmssecrets.check.SecretCheck;
import io.jenkins.plugins.kmssecrets.jenkins.config.BuildAuditContext;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.jenkins.config.PluginClassLoaderScope;
import io.jenkins.plugins.kmssecrets.manifest.InlineSecrets;
import io.jenkins.plugins.kmssecrets.manifest.SecretBinding;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretResolver;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * {@code kmsSmokeTest(store: 'akv-prod', secrets: ['netbox-db-password'])} or {@code kmsSmokeTest(manifest: ...)}:
 * the engine's value-free check (exists, enabled, valid now, days to expiry), printed as a table; fails the build,
 * or marks it unstable, when a secret fails or expires within {@code warnDays}; optionally writes JUnit XML for the
 * {@code junit} step. Never reads a value. Returns the summary line.
 */
public final class KmsSmokeTestStep extends Step {

    static final String FUNCTION = "kmsSmokeTest";

    private String store;
    private List<String> secrets;
    private String manifest;
    private int warnDays = SecretCheck.DEFAULT_WARN_DAYS;
    private boolean unstable;
    private boolean failOnWarning = true;
    private String junitFile;

    @DataBoundConstructor
    public KmsSmokeTestStep() {
    }

    public String getStore() {
        return store;
    }

    @DataBoundSetter
    public void setStore(String store) {
        this.store = Util.fixEmptyAndTrim(store);
    }

    public List<String> getSecrets() {
        return secrets == null ? null : Collections.unmodifiableList(new ArrayList<>(secrets));
    }

    @DataBoundSetter
    public void setSecrets(List<String> secrets) {
        this.secrets = secrets == null || secrets.isEmpty() ? null : new ArrayList<>(secrets);
    }

    /** The secret names one per line, for the form's text area (not a Pipeline argument). */
    public String getSecretNamesText() {
        return secrets == null ? "" : String.join("\n", secrets);
    }

    public String getManifest() {
        return manifest;
    }

    @DataBoundSetter
    public void setManifest(String manifest) {
        this.manifest = Util.fixEmptyAndTrim(manifest);
    }

    public int getWarnDays() {
        return warnDays;
    }

    @DataBoundSetter
    public void setWarnDays(int warnDays) {
        this.warnDays = Math.max(0, warnDays);
    }

    public boolean isUnstable() {
        return unstable;
    }

    @DataBoundSetter
    public void setUnstable(boolean unstable) {
        this.unstable = unstable;
    }

    public boolean isFailOnWarning() {
        return failOnWarning;
    }

    @DataBoundSetter
    public void setFailOnWarning(boolean failOnWarning) {
        this.failOnWarning = failOnWarning;
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

    /** Runs the check off the CPS thread. */
    static final class Execution extends SynchronousNonBlockingStepExecution<String> {

        private static final long serialVersionUID = 1L;

        private final String store;
        private final ArrayList<String> secrets;
        private final String manifest;
        private final int warnDays;
        private final boolean unstable;
        private final boolean failOnWarning;
        private final String junitFile;

        Execution(StepContext context, KmsSmokeTestStep step) {
            super(context);
            this.store = step.store;
            this.secrets = step.secrets == null ? null : new ArrayList<>(step.secrets);
            this.manifest = step.manifest;
            this.warnDays = step.warnDays;
            this.unstable = step.unstable;
            this.failOnWarning = step.failOnWarning;
            this.junitFile = step.junitFile;
        }

        /** Runs the step with its build as the audit context of every store and cluster request. */
        @Override
        protected String run() throws Exception {
            return BuildAuditContext.call(getContext().get(Run.class), this::runInBuild);
        }

        private String runInBuild() throws Exception {
            StepContext context = getContext();
            TaskListener listener = context.get(TaskListener.class);
            ConfiguredStores stores =
                    KmsSecretsConfiguration.runtimeFor(context.get(Run.class).getParent().getParent());
            List<CheckTarget> targets = targets(context, stores, listener);
            Set<String> storeIds = new LinkedHashSet<>();
            targets.forEach(t -> storeIds.add(t.reference().storeId()));
            CheckReport report;
            try (StoreSet storeSet = stores.storeSet(storeIds)) {
                report = PluginClassLoaderScope.call(() -> new SecretCheck(storeSet, Clock.systemUTC(), warnDays,
                        SecretResolver.DEFAULT_PARALLELISM).run(targets));
            } catch (SecretStoreException e) {
                throw new AbortException(FUNCTION + ": " + e.getMessage());
            }
            listener.getLogger().print(CheckReportFormat.TABLE.render(report));
            if (junitFile != null) {
                FilePath workspace = context.get(FilePath.class);
                if (workspace == null) {
                    throw new AbortException(FUNCTION + ": 'junitFile' needs a workspace; call the step inside node");
                }
                workspace.child(junitFile).write(CheckReportFormat.JUNIT.render(report),
                        StandardCharsets.UTF_8.name());
            }
            boolean bad = report.failed() || failOnWarning && report.warned();
            if (bad) {
                if (!unstable) {
                    throw new AbortException(FUNCTION + ": " + report.summary());
                }
                Run<?, ?> run = context.get(Run.class);
                run.setResult(Result.UNSTABLE);
                FlowNode node = context.get(FlowNode.class);
                if (node != null) {
                    node.addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(report.summary()));
                }
            }
            return report.summary();
        }

        private List<CheckTarget> targets(StepContext context, ConfiguredStores stores, TaskListener listener)
                throws Exception {
            boolean hasManifest = manifest != null;
            boolean hasList = store != null || secrets != null;
            if (hasManifest == hasList) {
                throw new AbortException(FUNCTION + ": give either 'manifest' or 'store' with 'secrets'");
            }
            List<CheckTarget> targets = new ArrayList<>();
            if (hasManifest) {
                for (SecretBinding binding : StepBindings.read(context, manifest, null, stores, listener, FUNCTION)) {
                    targets.add(CheckTarget.of(binding));
                }
                return targets;
            }
            if (store == null || secrets == null) {
                throw new AbortException(FUNCTION + ": 'store' and 'secrets' go together");
            }
            if (!SecretReference.isValidStoreId(store)) {
                throw new AbortException(FUNCTION + ": '" + store + "' is not a valid store id");
            }
            for (String name : secrets) {
                if (name == null || name.isBlank()) {
                    throw new AbortException(FUNCTION + ": a secret name is empty");
                }
                targets.add(CheckTarget.of(SecretReference.of(store, name.trim())));
            }
            List<SecretBinding> asBindings = new ArrayList<>();
            for (CheckTarget target : targets) {
                asBindings.add(new SecretBinding(target.label(), target.reference(), null));
            }
            try {
                InlineSecrets.requireStores(asBindings, stores.ids(), StepBindings.JENKINS_CONFIGURATION);
            } catch (SecretStoreException e) {
                throw new AbortException(FUNCTION + ": " + e.getMessage());
            }
            return targets;
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
            return Messages.KmsSmokeTestStep_displayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** The manifest path or the store id only. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            String manifest = StepArguments.string(namedArgs, "manifest");
            return manifest != null ? manifest : StepArguments.string(namedArgs, "store");
        }

        /**
         * The form has the secret names in one text area ({@code secretNames}, one per line), because a
         * {@code List<String>} has no form control; Pipeline scripts pass {@code secrets: [...]} directly.
         */
        @Override
        public Step newInstance(@Nullable StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            KmsSmokeTestStep step = new KmsSmokeTestStep();
            step.setManifest(formData.optString("manifest", null));
            step.setStore(formData.optString("store", null));
            List<String> names = new ArrayList<>();
            for (String line : formData.optString("secretNames", "").split("[\\r\\n,]+")) {
                if (!line.isBlank()) {
                    names.add(line.trim());
                }
            }
            step.setSecrets(names);
            step.setWarnDays(formData.optInt("warnDays", SecretCheck.DEFAULT_WARN_DAYS));
            step.setFailOnWarning(formData.optBoolean("failOnWarning", true));
            step.setUnstable(formData.optBoolean("unstable", false));
            step.setJunitFile(formData.optString("junitFile", null));
            return step;
        }

        public FormValidation doCheckWarnDays(@QueryParameter int value) {
            return value < 0 ? FormValidation.error(Messages.KmsSmokeTestStep_badWarnDays()) : FormValidation.ok();
        }
    }
}
