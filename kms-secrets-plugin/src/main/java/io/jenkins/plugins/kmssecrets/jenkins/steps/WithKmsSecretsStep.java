package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kmssecrets.check.CheckResult;
import io.jenkins.plugins.kmssecrets.check.CheckTarget;
import io.jenkins.plugins.kmssecrets.check.SecretCheck;
import io.jenkins.plugins.kmssecrets.jenkins.config.BuildAuditContext;
import io.jenkins.plugins.kmssecrets.jenkins.config.ConfiguredStores;
import io.jenkins.plugins.kmssecrets.jenkins.config.KmsSecretsConfiguration;
import io.jenkins.plugins.kmssecrets.jenkins.config.PluginClassLoaderScope;
import io.jenkins.plugins.kmssecrets.manifest.SecretBinding;
import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.ResolvedSecrets;
import io.jenkins.plugins.kmssecrets.store.SecretResolver;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.log.TaskListenerDecorator;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FailureHandler;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code withKmsSecrets(manifest: 'kms-secrets.yaml') { ... }} or
 * {@code withKmsSecrets(secrets: [[env: 'DB_PASSWORD', ref: 'akv-prod:netbox-db-password']]) { ... }}: fetches the
 * values on the controller (concurrently, all or nothing), runs the block with them as environment variables,
 * masks them and their encoded forms in the block's log and in exceptions leaving it, and records which secrets were
 * used on the build.
 */
public final class WithKmsSecretsStep extends Step {

    static final String FUNCTION = "withKmsSecrets";

    private String manifest;
    private List<KmsSecretVariable> secrets;
    private int timeout = StepTimeout.NONE;

    @DataBoundConstructor
    public WithKmsSecretsStep() {
    }

    /** Workspace-relative path of a {@code kms-secrets.yaml}, or {@code null}. */
    public String getManifest() {
        return manifest;
    }

    @DataBoundSetter
    public void setManifest(String manifest) {
        this.manifest = Util.fixEmptyAndTrim(manifest);
    }

    /** Inline bindings, or {@code null}. */
    public List<KmsSecretVariable> getSecrets() {
        return secrets == null ? null : Collections.unmodifiableList(new ArrayList<>(secrets));
    }

    @DataBoundSetter
    public void setSecrets(List<KmsSecretVariable> secrets) {
        this.secrets = secrets == null || secrets.isEmpty() ? null : new ArrayList<>(secrets);
    }

    /**
     * Seconds fetching the values may take in all, before the block runs ({@code 0}, the default: no overall limit
     * beyond the stores' per-request limits); the block itself is not limited by it.
     */
    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = StepTimeout.checked(timeout);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, manifest, secrets, timeout);
    }

    /** Runs the fetch off the CPS thread, then starts the body with the secrets in its context. */
    static final class Execution extends GeneralNonBlockingStepExecution {

        private static final long serialVersionUID = 1L;

        private final String manifest;
        private final ArrayList<KmsSecretVariable> secrets;
        private final int timeout;

        Execution(StepContext context, String manifest, List<KmsSecretVariable> secrets, int timeout) {
            super(context);
            this.manifest = manifest;
            this.secrets = secrets == null ? null : new ArrayList<>(secrets);
            this.timeout = timeout;
        }

        @Override
        public boolean start() {
            run(this::fetchAndStartBody);
            return false;
        }

        private void fetchAndStartBody() throws Exception {
            StepContext context = getContext();
            Run<?, ?> run = context.get(Run.class);
            // Every store request of this fetch names the build in the stores' audit logs.
            BuildAuditContext.call(run, () -> {
                fetchAndStartBody(context, run);
                return null;
            });
        }

        private void fetchAndStartBody(StepContext context, Run<?, ?> run) throws Exception {
            TaskListener listener = context.get(TaskListener.class);
            ConfiguredStores stores = KmsSecretsConfiguration.runtimeFor(run.getParent().getParent());
            List<SecretBinding> bindings = StepBindings.read(context, manifest, secrets, stores, listener, FUNCTION);

            Map<String, SecretReference> references = new LinkedHashMap<>();
            Set<String> storeIds = new LinkedHashSet<>();
            for (SecretBinding binding : bindings) {
                references.put(binding.env(), binding.reference());
                storeIds.add(binding.reference().storeId());
            }
            String pending = pending(references);
            Fetched fetched;
            try {
                // On a worker: the timeout, and an abort of the build (which interrupts this thread), interrupt the
                // store calls; a result arriving after either is dropped, never injected.
                fetched = StepTimeout.call(FUNCTION, StepTimeout.limit(timeout), () -> pending, late -> { },
                        () -> BuildAuditContext.call(run, () -> fetch(stores, storeIds, references, bindings, run)));
            } catch (SecretStoreException e) {
                // The engine's messages name store and secret, never a value; no stack trace is needed.
                for (Throwable other : e.getSuppressed()) {
                    listener.error(FUNCTION + ": " + other.getMessage());
                }
                throw new AbortException(FUNCTION + ": " + e.getMessage());
            }
            SealedSecrets sealed = fetched.sealed();
            SecretMasker masker = fetched.masker();
            Instant fetchedAt = fetched.fetchedAt();
            Map<String, String> versions = fetched.versions();

            for (String name : masker.tooShortToMask()) {
                listener.getLogger().println(Messages.WithKmsSecretsStep_tooShort(FUNCTION, name));
            }
            List<KmsSecretsAction.Entry> audit = new ArrayList<>();
            List<String> described = new ArrayList<>();
            for (SecretBinding binding : bindings) {
                SecretReference ref = binding.reference();
                audit.add(new KmsSecretsAction.Entry(binding.env(), ref.storeId(), ref.name(),
                        versions.get(binding.env()), fetchedAt));
                described.add(binding.env() + " (" + ref + ")");
            }
            KmsSecretsAction.record(run, audit);
            listener.getLogger().println(Messages.WithKmsSecretsStep_injected(FUNCTION, String.join(", ", described)));

            MaskingFailureHandler failures = new MaskingFailureHandler(sealed);
            context.newBodyInvoker()
                    .withContext(EnvironmentExpander.merge(context.get(EnvironmentExpander.class),
                            new SecretEnvironment(sealed)))
                    .withContext(TaskListenerDecorator.merge(context.get(TaskListenerDecorator.class),
                            new MaskingDecorator(sealed, run.getCharset().name())))
                    .withContext(FailureHandler.merge(context.get(FailureHandler.class), failures))
                    .withCallback(new Callback(failures))
                    .start();
        }

        /** {@code DB_PASSWORD (akv-prod:netbox-db), ...}: names and references, never values. */
        static String pending(Map<String, SecretReference> references) {
            StringBuilder sb = new StringBuilder();
            references.forEach((env, reference) -> sb.append(sb.length() == 0 ? "" : ", ").append(env).append(" (")
                    .append(reference).append(')'));
            return sb.toString();
        }

        /** What the fetch hands to the body: the values sealed, their masker, and the audit record's facts. */
        private record Fetched(SealedSecrets sealed, SecretMasker masker, Instant fetchedAt,
                               Map<String, String> versions) {
        }

        /** Fetches the values (all or nothing) and the versions for the audit record. */
        private static Fetched fetch(ConfiguredStores stores, Set<String> storeIds,
                                     Map<String, SecretReference> references, List<SecretBinding> bindings,
                                     Run<?, ?> run) throws Exception {
            try (StoreSet storeSet = stores.storeSet(storeIds)) {
                SealedSecrets sealed;
                SecretMasker masker;
                Instant fetchedAt;
                try (ResolvedSecrets resolved = PluginClassLoaderScope.call(() -> new SecretResolver(storeSet,
                        SecretResolver.DEFAULT_PARALLELISM).resolve(references))) {
                    String unfit = unfitForEnvironment(resolved.values());
                    if (unfit != null) {
                        throw new AbortException(unfit);
                    }
                    fetchedAt = Instant.now();
                    masker = SecretMasker.compile(resolved.values(), run.getCharset());
                    sealed = SealedSecrets.of(resolved.values());
                }
                Map<String, String> versions = PluginClassLoaderScope.call(() -> versions(storeSet, bindings));
                return new Fetched(sealed, masker, fetchedAt, versions);
            }
        }

        /**
         * Why a value cannot be an environment variable, naming its variable (not UTF-8 text, which the environment
         * would carry mangled, or a NUL character, which ends a C string), or {@code null} when all can.
         */
        static String unfitForEnvironment(Map<String, io.jenkins.plugins.kmssecrets.store.SecretValue> values) {
            for (Map.Entry<String, io.jenkins.plugins.kmssecrets.store.SecretValue> entry : values.entrySet()) {
                if (!entry.getValue().isText()) {
                    return Messages.WithKmsSecretsStep_notText(FUNCTION, entry.getKey());
                }
                byte[] bytes = entry.getValue().bytes();
                try {
                    for (byte b : bytes) {
                        if (b == 0) {
                            return Messages.WithKmsSecretsStep_nul(FUNCTION, entry.getKey());
                        }
                    }
                } finally {
                    java.util.Arrays.fill(bytes, (byte) 0);
                }
            }
            return null;
        }

        /**
         * The version of each binding for the audit record: the pinned one, or the current one from a value-free
         * describe; {@code null} when the store has no versions or cannot say.
         */
        private static Map<String, String> versions(StoreSet storeSet, List<SecretBinding> bindings) {
            Map<String, String> versions = new HashMap<>();
            List<CheckTarget> unpinned = new ArrayList<>();
            for (SecretBinding binding : bindings) {
                if (binding.reference().version() != null) {
                    versions.put(binding.env(), binding.reference().version());
                } else {
                    unpinned.add(CheckTarget.of(binding));
                }
            }
            if (!unpinned.isEmpty()) {
                for (CheckResult result : new SecretCheck(storeSet, Clock.systemUTC(), 0,
                        SecretResolver.DEFAULT_PARALLELISM).run(unpinned).results()) {
                    versions.put(result.label(), result.version());
                }
            }
            return versions;
        }
    }

    /** Completes the step with the body's outcome, masking values in a failure. */
    private static final class Callback extends BodyExecutionCallback {

        private static final long serialVersionUID = 1L;

        private final MaskingFailureHandler failures;

        Callback(MaskingFailureHandler failures) {
            this.failures = failures;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            context.onSuccess(result);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            context.onFailure(failures.mask(t));
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
            return Messages.WithKmsSecretsStep_displayName();
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** Variable names (or the manifest path) only. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return StepArguments.names(namedArgs);
        }
    }
}
