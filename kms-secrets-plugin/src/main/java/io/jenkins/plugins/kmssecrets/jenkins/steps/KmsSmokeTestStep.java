package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.Extension;
import hudson.Util;
import hudson.util.FormValidation;
import io.jenkins.plugins.kmssecrets.check.CheckReport;
import io.jenkins.plugins.kmssecrets.check.CheckReportFormat;
import io.jenkins.plugins.kmssecrets.check.CheckTarget;
import io.jenkins.plugins.kmssecrets.check.SecretCheck;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.manifest.InlineSecrets;
import io.jenkins.plugins.kmssecrets.manifest.SecretBinding;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretResolver;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
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
public final class KmsSmokeTestStep extends OperationStep<String> {

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
    protected Outcome<String> call(Call call) throws Exception {
        ConfiguredStores stores = KmsSecretsConfiguration.runtimeFor(call.run().getParent().getParent());
        List<CheckTarget> targets = targets(call, stores);
        Set<String> storeIds = new LinkedHashSet<>();
        targets.forEach(t -> storeIds.add(t.reference().storeId()));
        call.pending(String.join(", ", targets.stream().map(t -> t.label() == null
                ? String.valueOf(t.reference()) : t.label() + " (" + t.reference() + ")").toList()));
        CheckReport report;
        try (StoreSet storeSet = stores.storeSet(storeIds)) {
            report = new SecretCheck(storeSet, Clock.systemUTC(), warnDays, SecretResolver.DEFAULT_PARALLELISM)
                    .run(targets);
        }
        boolean bad = report.failed() || failOnWarning && report.warned();
        return Outcome.of(report.summary())
                .table(CheckReportFormat.TABLE.render(report))
                .report(junitFile, CheckReportFormat.JUNIT.render(report))
                .unstableIf(bad && unstable, report.summary())
                .failIf(bad && !unstable, report.summary());
    }

    private List<CheckTarget> targets(Call call, ConfiguredStores stores) throws Exception {
        boolean hasManifest = manifest != null;
        boolean hasList = store != null || secrets != null;
        if (hasManifest == hasList) {
            throw call.abort("give either 'manifest' or 'store' with 'secrets'");
        }
        List<CheckTarget> targets = new ArrayList<>();
        if (hasManifest) {
            for (SecretBinding binding : StepBindings.read(call.context(), manifest, null, stores, call.listener(),
                    FUNCTION)) {
                targets.add(CheckTarget.of(binding));
            }
            return targets;
        }
        if (store == null || secrets == null) {
            throw call.abort("'store' and 'secrets' go together");
        }
        if (!SecretReference.isValidStoreId(store)) {
            throw call.abort("'" + store + "' is not a valid store id");
        }
        for (String name : secrets) {
            if (name == null || name.isBlank()) {
                throw call.abort("a secret name is empty");
            }
            targets.add(CheckTarget.of(SecretReference.of(store, name.trim())));
        }
        List<SecretBinding> asBindings = new ArrayList<>();
        for (CheckTarget target : targets) {
            asBindings.add(new SecretBinding(target.label(), target.reference(), null));
        }
        InlineSecrets.requireStores(asBindings, stores.ids(), StepBindings.JENKINS_CONFIGURATION);
        return targets;
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends OperationDescriptor {

        /** The graph shows the manifest path or the store id only. */
        public DescriptorImpl() {
            super(FUNCTION, false, "manifest", "store");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsSmokeTestStep_displayName();
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
            step.setSecrets(lines(formData.optString("secretNames", "")));
            step.setWarnDays(formData.optInt("warnDays", SecretCheck.DEFAULT_WARN_DAYS));
            step.setFailOnWarning(formData.optBoolean("failOnWarning", true));
            step.setUnstable(formData.optBoolean("unstable", false));
            step.setJunitFile(formData.optString("junitFile", null));
            step.setTimeout(formData.optInt("timeout", StepTimeout.NONE));
            return step;
        }

        public FormValidation doCheckWarnDays(@QueryParameter int value) {
            return value < 0 ? FormValidation.error(Messages.KmsSmokeTestStep_badWarnDays()) : FormValidation.ok();
        }
    }
}
