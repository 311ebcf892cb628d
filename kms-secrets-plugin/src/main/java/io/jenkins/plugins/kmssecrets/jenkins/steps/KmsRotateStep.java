package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.security.ACL;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.eso.EsoStoreRef;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDeclaration;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDocument;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretsSection;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.ManifestParser;
import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.rotation.ExternalSecretReferences;
import io.jenkins.plugins.kmssecrets.rotation.NewValueSource;
import io.jenkins.plugins.kmssecrets.rotation.RotatedSecret;
import io.jenkins.plugins.kmssecrets.rotation.RotationPlan;
import io.jenkins.plugins.kmssecrets.rotation.RotationPlanner;
import io.jenkins.plugins.kmssecrets.rotation.RotationReport;
import io.jenkins.plugins.kmssecrets.rotation.RotationRollout;
import io.jenkins.plugins.kmssecrets.rotation.RotationStep;
import io.jenkins.plugins.kmssecrets.rotation.SecretKeyDigest;
import io.jenkins.plugins.kmssecrets.store.JsonProperty;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SecretWriter;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.WriteOptions;
import io.jenkins.plugins.kmssecrets.store.WrittenVersion;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code kmsRotate(ref: 'akv-prod:netbox-db#password', generate: 'length=32', apply: true, credentialsId: ...)}: the
 * Pipeline counterpart of {@code kms-secrets rotate}. By default a dry run: prints the plan (the ExternalSecrets
 * declared under {@code deploy/<app>/secrets/} in the workspace and, with a cluster, the live ones and the workloads
 * that consume them, with the restarts it would do) and writes nothing. With {@code apply: true} it writes a new
 * generated version (when {@code generate} is given; the value never passes through the script, the log or a report),
 * then, with a cluster, pushes the version now in the store to every affected ExternalSecret and waits until each
 * Secret holds it (compared by SHA-256 in memory), restarting consumers with {@code restart: true}. Returns the
 * summary line.
 *
 * <p>Writing needs two things besides {@code apply: true}: the build runs as SYSTEM (the store's identity writes), and
 * the store opts in with {@code allowRotation} (a setting of the store, global or a folder's; only administrators may
 * change either). Otherwise the step fails before any remote call. The dry run needs neither.
 */
public final class KmsRotateStep extends ClusterStep<String> {

    static final String FUNCTION = "kmsRotate";

    private final String ref;
    private String generate;
    private boolean apply;
    private boolean restart;
    private int parallel = 1;
    private int timeoutSeconds = 300;
    private String namespaces;
    private String deployDir = "deploy";
    private String manifest = ManifestParser.DEFAULT_FILE;
    private boolean disablePrevious;
    private String reportFile;
    private String junitFile;

    @DataBoundConstructor
    public KmsRotateStep(String ref) {
        this.ref = Util.fixEmptyAndTrim(ref);
    }

    public String getRef() {
        return ref;
    }

    public String getGenerate() {
        return generate;
    }

    /** {@code length=N[,charset=alnum|hex|base64url|printable]}: write a new generated version (with apply). */
    @DataBoundSetter
    public void setGenerate(String generate) {
        this.generate = Util.fixEmptyAndTrim(generate);
    }

    public boolean isApply() {
        return apply;
    }

    @DataBoundSetter
    public void setApply(boolean apply) {
        this.apply = apply;
    }

    public boolean isRestart() {
        return restart;
    }

    @DataBoundSetter
    public void setRestart(boolean restart) {
        this.restart = restart;
    }

    public int getParallel() {
        return parallel;
    }

    @DataBoundSetter
    public void setParallel(int parallel) {
        this.parallel = Math.max(1, parallel);
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = Math.max(1, timeoutSeconds);
    }

    public String getNamespaces() {
        return namespaces;
    }

    /** Comma-separated namespaces of the cluster to look at; all the credential may list when empty. */
    @DataBoundSetter
    public void setNamespaces(String namespaces) {
        this.namespaces = Util.fixEmptyAndTrim(namespaces);
    }

    public String getDeployDir() {
        return deployDir;
    }

    @DataBoundSetter
    public void setDeployDir(String deployDir) {
        this.deployDir = StepParameters.trimmedOr(deployDir, "deploy");
    }

    public String getManifest() {
        return manifest;
    }

    @DataBoundSetter
    public void setManifest(String manifest) {
        this.manifest = StepParameters.trimmedOr(manifest, ManifestParser.DEFAULT_FILE);
    }

    public boolean isDisablePrevious() {
        return disablePrevious;
    }

    @DataBoundSetter
    public void setDisablePrevious(boolean disablePrevious) {
        this.disablePrevious = disablePrevious;
    }

    public String getReportFile() {
        return reportFile;
    }

    @DataBoundSetter
    public void setReportFile(String reportFile) {
        this.reportFile = Util.fixEmptyAndTrim(reportFile);
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
        if (ref == null) {
            throw call.abort("'ref' is required (<store>:<name>[#property])");
        }
        SecretReference reference = SecretReference.parse(ref);
        if (reference.version() != null) {
            throw call.abort("rotate works on the current version; drop @" + reference.version() + " from " + ref);
        }
        if (restart && !hasCluster()) {
            throw call.abort("'restart' needs a cluster ('credentialsId' or 'inCluster: true')");
        }
        if (disablePrevious && generate == null) {
            throw call.abort("'disablePrevious' needs 'generate' (a new version to write)");
        }
        boolean writing = apply && generate != null;
        if (writing && !ACL.SYSTEM2.equals(Jenkins.getAuthentication2())) {
            throw call.abort("writing uses the store's identity, so only builds that run as SYSTEM may write; "
                    + "this build runs as " + Jenkins.getAuthentication2().getName());
        }
        ConfiguredStores configured = KmsSecretsConfiguration.runtimeFor(call.run().getParent().getParent());
        if (!configured.ids().contains(reference.storeId())) {
            throw call.abort("store '" + reference.storeId() + "' is not configured in "
                    + StepBindings.JENKINS_CONFIGURATION);
        }
        if (writing && !configured.allowsRotation(reference.storeId())) {
            String scope = configured.scopeOf(reference.storeId());
            throw call.abort("store '" + reference.storeId() + "' does not allow rotation (allowRotation is off in "
                    + (scope == null ? StepBindings.JENKINS_CONFIGURATION : "folder '" + scope + "'")
                    + "); nothing was written. Check 'Allow kmsRotate to write new versions' on the store there, "
                    + "or drop apply: true for a dry run");
        }
        call.pending(ref);
        FilePath workspace = call.workspace();
        List<ExternalSecretDocument> declared = declared(call, workspace);
        ExternalSecretReferences references = new ExternalSecretReferences(storeMapping(workspace));
        try (StoreSet stores = configured.storeSet(List.of(reference.storeId()))) {
            SecretStore store = stores.get(reference.storeId());
            SecretMetadata metadata = store.describe(reference.secret());
            RotatedSecret secret = new RotatedSecret(reference.storeId(), reference.name(), reference.property(),
                    metadata.tags());
            RotationPlanner planner = new RotationPlanner(references);
            // The store set's stores are views without write methods; the writer is behind the configured store's cache.
            SecretWriter writer = generate == null ? null : SecretWriter.of(configured.store(reference.storeId()));
            if (!apply) {
                if (generate != null) {
                    NewValueSource.generate(generate, new SecureRandom()).close();
                    call.log().println(FUNCTION + ": dry run: would write a new generated version of "
                            + secret.describe() + " (current version: " + version(metadata.version()) + ")"
                            + (disablePrevious ? " and disable the current version" : "") + "; nothing is written");
                }
                RotationPlan plan;
                if (hasCluster()) {
                    try (KubernetesClient client = connect(call)) {
                        plan = planner.plan(secret, declared, client, namespaceSet());
                    }
                } else {
                    plan = planner.plan(secret, declared, null);
                }
                return Outcome.of(FUNCTION + ": planned (dry run; apply: true to write and push)")
                        .table(plan.toTable()).report(reportFile, plan.toJson())
                        .note(junitFile == null ? FUNCTION + ": dry run, nothing was changed"
                                : FUNCTION + ": dry run, nothing was changed (no JUnit report for a plan)");
            }
            List<RotationStep> steps = new ArrayList<>();
            WrittenVersion written = null;
            byte[] digest = null;
            SecretMasker masker = null;
            if (writing) {
                Instant start = Instant.now();
                try (SecretValue value = NewValueSource.generate(generate, new SecureRandom())) {
                    masker = SecretMasker.compile(Map.of("new value", value));
                    written = writer.write(reference, value, new WriteOptions(disablePrevious));
                    byte[] bytes = value.bytes();
                    try {
                        digest = SecretKeyDigest.sha256(bytes);
                    } finally {
                        Arrays.fill(bytes, (byte) 0);
                    }
                }
                String detail = written.transition() + (written.previousDisabled() ? ", previous version disabled"
                        : "") + (written.newVersion() == null ? ", value replaced in place (no versions)" : "");
                call.log().println(secret.describe() + ": written, " + detail);
                steps.add(new RotationStep("Secret", "-", secret.describe(), RotationStep.Outcome.WRITTEN, detail,
                        Duration.between(start, Instant.now())));
            }
            List<String> warnings = new ArrayList<>();
            if (hasCluster()) {
                try (KubernetesClient client = connect(call)) {
                    RotationPlan plan = planner.plan(secret, declared, client, namespaceSet());
                    warnings.addAll(plan.warnings());
                    byte[] expected = digest != null ? digest : digestOf(store, reference);
                    PrintStream log = call.log();
                    SecretMasker progressMask = masker;
                    RotationRollout rollout = new RotationRollout(client, new RotationRollout.Options(
                            Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(2), Duration.ofSeconds(15),
                            restart, parallel), Clock.systemUTC(), line -> {
                                synchronized (log) {
                                    log.println(progressMask == null ? line : progressMask.mask(line));
                                }
                            });
                    steps.addAll(rollout.push(plan, (consumer, use) ->
                            java.util.Objects.equals(use.property(), reference.property()) ? expected : null));
                }
            } else {
                warnings.add("not pushed: no cluster given; ExternalSecrets read the new version at their next "
                        + "refresh");
            }
            RotationReport report = written == null
                    ? new RotationReport(secret.describe(), metadata.version(), metadata.version(), steps, warnings)
                    : new RotationReport(secret.describe(), written.previousVersion(), written.newVersion(), steps,
                            warnings);
            SecretMasker finalMask = masker;
            java.util.function.UnaryOperator<String> masked = text -> finalMask == null ? text
                    : finalMask.mask(text);
            return Outcome.of(FUNCTION + ": " + (report.isSuccess() ? "rotated " : "failed to rotate ")
                    + secret.describe())
                    .table(masked.apply(report.toTable()))
                    .report(reportFile, masked.apply(report.toJson()))
                    .report(junitFile, masked.apply(report.toJunitXml()))
                    .failIf(!report.isSuccess(), "not every step succeeded");
        }
    }

    private Set<String> namespaceSet() {
        Set<String> set = new LinkedHashSet<>();
        if (namespaces != null) {
            for (String namespace : namespaces.split(",")) {
                if (!namespace.isBlank()) {
                    set.add(namespace.trim());
                }
            }
        }
        return set;
    }

    /**
     * Every ExternalSecret under {@code <deployDir>/<app>/secrets/}; none when there is no such file (or no workspace
     * directory yet: {@code deleteDir()} removes it, and listing a missing directory fails).
     */
    private List<ExternalSecretDocument> declared(Call call, FilePath workspace) throws Exception {
        String glob = deployDir + "/*/secrets/*.yaml";
        if (!workspace.exists() || workspace.list(glob).length == 0) {
            return List.of();
        }
        ValidationReport validation = EsoWorkspace.validate(workspace, glob, call.listener(), FUNCTION);
        if (!validation.isValid()) {
            throw call.abort("not planning: " + validation.problems().size() + " problem(s) in " + glob);
        }
        return validation.documents();
    }

    /** ESO store names to store ids, from the manifest's {@code externalSecrets} section when the file exists. */
    private ExternalSecretReferences.StoreMapping storeMapping(FilePath workspace) throws Exception {
        FilePath file = workspace.child(manifest);
        if (!file.exists()) {
            return ExternalSecretReferences.StoreMapping.none();
        }
        Manifest parsed = new ManifestParser(StoreTypes.installed()).parse(Path.of(manifest), file.readToString(),
                manifest);
        Set<String> storeIds = new TreeSet<>();
        parsed.stores().forEach(s -> storeIds.add(s.id()));
        Map<String, String> byName = new HashMap<>();
        for (ExternalSecretDeclaration declaration : ExternalSecretsSection.parse(parsed.externalSecrets(),
                storeIds)) {
            if (declaration.storeId() != null) {
                byName.put(key(declaration.store()), declaration.storeId());
            }
        }
        return storeRef -> byName.get(key(storeRef));
    }

    private static String key(EsoStoreRef storeRef) {
        return storeRef.kind() + "/" + storeRef.name();
    }

    /** SHA-256 of the value the reference names (its property selected as exec does); the value is wiped. */
    private static byte[] digestOf(SecretStore store, SecretReference reference) {
        try (SecretValue whole = store.fetch(reference.secret());
             SecretValue selected = reference.property() == null ? null
                     : JsonProperty.select(whole, reference.property(), reference.storeId(), reference.name())) {
            byte[] bytes = (selected == null ? whole : selected).bytes();
            try {
                return SecretKeyDigest.sha256(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private static String version(String version) {
        return version == null ? "none" : version;
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends OperationDescriptor {

        /** The graph shows the reference (a store and secret name, never a value). */
        public DescriptorImpl() {
            super(FUNCTION, true, "ref");
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.KmsRotateStep_displayName();
        }
    }
}
