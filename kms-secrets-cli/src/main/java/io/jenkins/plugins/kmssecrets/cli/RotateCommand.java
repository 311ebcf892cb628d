package io.jenkins.plugins.kmssecrets.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.cli.eso.ClusterOptions;
import io.jenkins.plugins.kmssecrets.cli.eso.EsoFiles;
import io.jenkins.plugins.kmssecrets.eso.EsoStoreRef;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDeclaration;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDocument;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretValidator;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretsSection;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import io.jenkins.plugins.kmssecrets.file.AtomicFile;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.rotation.ExternalSecretReferences;
import io.jenkins.plugins.kmssecrets.rotation.RotatedSecret;
import io.jenkins.plugins.kmssecrets.rotation.RotationPlan;
import io.jenkins.plugins.kmssecrets.rotation.RotationPlanner;
import io.jenkins.plugins.kmssecrets.rotation.RotationReport;
import io.jenkins.plugins.kmssecrets.rotation.RotationRollout;
import io.jenkins.plugins.kmssecrets.rotation.RotationStep;
import io.jenkins.plugins.kmssecrets.rotation.SecretKeyDigest;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.JsonProperty;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.rotation.NewValueSource;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SecretWriter;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.WriteOptions;
import io.jenkins.plugins.kmssecrets.store.WrittenVersion;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kms-secrets rotate}: find every consumer of a secret, optionally write a new version of it (from standard
 * input, a file or a generator, or an old version for a rollback; never from an argument), and, with {@code --push},
 * make the version now in the store reach them.
 */
@Command(name = "rotate",
        mixinStandardHelpOptions = true,
        description = {
            "Find everything a secret reaches: the ExternalSecrets declared under deploy/*/secrets/ and, with a "
                    + "cluster, the live ExternalSecrets in every namespace the context can list (through data, "
                    + "dataFrom.extract and dataFrom.find name/tag filters), and the Deployments, StatefulSets, "
                    + "DaemonSets and CronJobs whose pods consume the Secrets they generate.",
            "Without --push and without a new value this is a dry run: it prints the plan and changes nothing.",
            "With --push the version now in the store is pushed: each affected ExternalSecret gets ESO's force-sync "
                    + "annotation, and the command waits until its Secret holds the new value (compared by SHA-256 "
                    + "in memory, never printed). With --restart, workloads that read the value at start "
                    + "(environment variables, subPath mounts) get a rolling restart and the command waits for each "
                    + "rollout; plain Secret volumes are updated in place by the kubelet.",
            "With --value-stdin, --value-file FILE or --generate SPEC (exactly one), a new version is written to "
                    + "the store first (Azure Key Vault, Google Secret Manager, Vault KV; SOPS: the one value is "
                    + "re-encrypted in place). With a #property only that JSON property (or SOPS leaf) changes. "
                    + "--rollback-to VERSION writes the value of an older version as a new version instead. The "
                    + "value is never an argument and never printed. Writing asks for confirmation on the terminal, "
                    + "or needs --yes; --dry-run shows what would be written and writes nothing.",
            "The previous version is kept (rollback is one command); --disable-previous disables it after the "
                    + "write (Vault KV 2: soft delete). SOPS files and Vault KV 1 keep no versions: no rollback, "
                    + "no --disable-previous (a SOPS file's history is Git)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kms-secrets rotate akv-prod:netbox-db#password",
            "  kms-secrets rotate --kubeconfig ~/.kube/config akv-prod:netbox-db",
            "  kms-secrets rotate --push --restart --parallel 2 --timeout 5m akv-prod:netbox-db#password",
            "  kms-secrets rotate --push --format junit --output target/rotate.xml akv-prod:netbox-db",
            "  kms-secrets rotate --generate length=32 --yes --push --restart akv-prod:netbox-db#password",
            "  vault read -field=pw secret/new | kms-secrets rotate --value-stdin --yes vault:apps/db#password",
            "  kms-secrets rotate --value-file new.pem --dry-run gsm:tls-key",
            "  kms-secrets rotate --rollback-to 3 --yes --push gsm:netbox-db",
            "",
            "Exit codes: 0 done (or planned), 1 a push or restart failed or timed out (or the write was not "
                    + "confirmed), 2 input error (or no --yes without a terminal), 3 a store or the cluster could "
                    + "not be used (including a concurrent write refused by Vault)."
        })
final class RotateCommand implements Callable<Integer> {

    @ParentCommand
    KmsSecretsCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    ManifestOption manifestOption;

    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "REF", arity = "1",
            description = "The secret: <storeId>:<name>[#property] (a property: one JSON key or SOPS leaf).")
    String reference;

    @Option(names = "--deploy-dir", paramLabel = "DIR", defaultValue = "deploy",
            description = "Where declared ExternalSecrets live (<DIR>/<app>/secrets/*.yaml; default: ${DEFAULT-VALUE}).")
    Path deployDirectory;

    @Option(names = "--eso-store", paramLabel = "NAME=STORE",
            description = "Map an ESO SecretStore/ClusterSecretStore name to a kms-secrets store id, for "
                    + "ExternalSecrets without the kms-secrets.io/store annotation (repeatable; the manifest's "
                    + "externalSecrets section already maps the stores it declares).")
    List<String> esoStores = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "Only these namespaces of the cluster (repeatable; default: all the context can list).")
    List<String> namespaces = new ArrayList<>();

    @Option(names = "--push", description = "Push the version now in the store to the affected ExternalSecrets.")
    boolean push;

    @Option(names = "--restart", description = "With --push: rolling restart of the workloads that keep the old "
            + "value until restarted.")
    boolean restart;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "Restarts at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long to wait for each ExternalSecret and each rollout (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "2s", hidden = true,
            description = "How often to look again while waiting (default: ${DEFAULT-VALUE}).")
    String pollInterval;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or junit (junit: the report of a write or a push; a plan is "
                    + "table or json).")
    ReportFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (atomically) instead of standard output.")
    String output;

    @Option(names = "--value-stdin", description = "Write a new version whose value is read from standard input "
            + "(one trailing newline dropped; at most 64 KiB).")
    boolean valueStdin;

    @Option(names = "--value-file", paramLabel = "FILE", description = "Write a new version whose value is the "
            + "content of FILE (one trailing newline dropped; at most 64 KiB).")
    Path valueFile;

    @Option(names = "--generate", paramLabel = "SPEC", description = "Write a new generated version: "
            + "length=N[,charset=alnum|hex|base64url|printable] (default charset alnum: letters and digits), from "
            + "SecureRandom.")
    String generate;

    @Option(names = "--rollback-to", paramLabel = "VERSION", description = "Write the value of VERSION as a new "
            + "version (Azure Key Vault, Google Secret Manager, Vault KV 2). The old value is read into memory, "
            + "never printed.")
    String rollbackTo;

    @Option(names = "--disable-previous", description = "After writing, disable the version that was current "
            + "(Azure Key Vault: enabled=false; Google: DisableSecretVersion; Vault KV 2: soft delete).")
    boolean disablePrevious;

    @Option(names = {"-y", "--yes"}, description = "Write without asking (needed when there is no terminal).")
    boolean yes;

    @Option(names = "--dry-run", description = "Print the plan and what would be written; write and push nothing.")
    boolean dryRun;

    /** Where the confirmation is asked; replaced in tests. */
    static java.util.function.Supplier<WriteConfirmation.Terminal> terminal = WriteConfirmation::system;

    @Override
    public Integer call() {
        int sources = (valueStdin ? 1 : 0) + (valueFile != null ? 1 : 0) + (generate != null ? 1 : 0)
                + (rollbackTo != null ? 1 : 0);
        if (sources > 1) {
            throw new CommandFailedException(ExitCode.INPUT, "give one of --value-stdin, --value-file, --generate "
                    + "and --rollback-to, not several");
        }
        boolean writing = sources == 1;
        if (disablePrevious && !writing) {
            throw new CommandFailedException(ExitCode.INPUT, "--disable-previous needs a new version to write "
                    + "(--value-stdin, --value-file, --generate or --rollback-to)");
        }
        if (restart && !push) {
            throw new CommandFailedException(ExitCode.INPUT, "--restart needs --push");
        }
        if (parallel < 1) {
            throw new CommandFailedException(ExitCode.INPUT, "--parallel must be at least 1");
        }
        if ((!push || dryRun) && !(writing && !dryRun) && format == ReportFormat.junit) {
            throw new CommandFailedException(ExitCode.INPUT, "a plan is printed as table or json; junit needs --push "
                    + "or a write");
        }
        CliContext context = root.context();
        PrintWriter err = spec.commandLine().getErr();
        SecretReference ref = SecretReference.parse(reference);
        if (ref.version() != null) {
            throw new CommandFailedException(ExitCode.INPUT, "rotate works on the current version; drop @"
                    + ref.version() + " from " + reference);
        }
        Manifest manifest = root.manifest(manifestOption.path);
        Duration waitLimit = DurationOption.parse("--timeout", timeout);
        Duration poll = DurationOption.parse("--poll-interval", pollInterval);
        List<ExternalSecretDocument> declared = declared(context);
        ExternalSecretReferences references = new ExternalSecretReferences(storeMapping(manifest));
        try (StoreSet stores = context.stores(manifest)) {
            SecretStore store = stores.get(ref.storeId());
            SecretMetadata metadata = store.describe(ref.secret());
            RotatedSecret secret = new RotatedSecret(ref.storeId(), ref.name(), ref.property(), metadata.tags());
            RotationPlanner planner = new RotationPlanner(references);
            SecretWriter writer = writing ? checkedWriter(store, ref) : null;
            if (writing && dryRun) {
                err.println("dry run: would write " + (rollbackTo == null ? "a new version" : "the value of version "
                        + rollbackTo + " as a new version") + " of " + secret.describe() + " (current version: "
                        + (metadata.version() == null ? "none" : metadata.version()) + ")"
                        + (disablePrevious ? " and disable the current version" : "") + "; nothing is written");
                err.flush();
            }
            RotationStep writeStep = null;
            WrittenVersion written = null;
            SecretMasker masker = null;
            if (writing && !dryRun) {
                Instant start = context.clock().instant();
                try (SecretValue value = newValue(context)) {
                    masker = value == null ? null : SecretMasker.compile(Map.of("new value", value));
                    confirm(store, ref, metadata.version(), writer.keepsVersions());
                    WriteOptions options = new WriteOptions(disablePrevious);
                    written = rollbackTo != null ? writer.rollback(ref, rollbackTo, options)
                            : writer.write(ref, value, options);
                }
                String detail = written.transition() + (written.rolledBackFrom() == null ? ""
                        : " (the value of version " + written.rolledBackFrom() + ")")
                        + (written.previousDisabled() ? ", previous version disabled" : "")
                        + (written.newVersion() == null ? ", value replaced in place (no versions)" : "");
                err.println(secret.describe() + ": written, " + detail);
                err.flush();
                writeStep = new RotationStep("Secret", "-", secret.describe(), RotationStep.Outcome.WRITTEN, detail,
                        Duration.between(start, context.clock().instant()));
            }
            if (written != null && (!push || dryRun)) {
                List<String> warnings = List.of("not pushed: ExternalSecrets read the new version at their next "
                        + "refresh; run 'kms-secrets rotate --push " + reference + "' to push it now");
                RotationReport report = new RotationReport(secret.describe(), written.previousVersion(),
                        written.newVersion(), List.of(writeStep), warnings);
                write(context, masked(masker, render(report)));
                return ExitCode.OK;
            }
            if ((!push || dryRun) && !cluster.given()) {
                return print(context, planner.plan(secret, declared, null));
            }
            try (KubernetesClient client = cluster.access(context).connect()) {
                RotationPlan plan = planner.plan(secret, declared, client, new LinkedHashSet<>(namespaces));
                if (!push || dryRun) {
                    return print(context, plan);
                }
                byte[] digest = digestOf(store, ref);
                SecretMasker progressMask = masker;
                RotationRollout rollout = new RotationRollout(client, new RotationRollout.Options(waitLimit, poll,
                        Duration.ofSeconds(15), restart, parallel), context.clock(), line -> {
                            synchronized (err) {
                                err.println(masked(progressMask, line));
                                err.flush();
                            }
                        });
                List<RotationStep> steps = new ArrayList<>();
                if (writeStep != null) {
                    steps.add(writeStep);
                }
                steps.addAll(rollout.push(plan, (consumer, use) ->
                        java.util.Objects.equals(use.property(), ref.property()) ? digest : null));
                RotationReport report = written == null
                        ? new RotationReport(secret.describe(), metadata.version(), metadata.version(), steps,
                                plan.warnings())
                        : new RotationReport(secret.describe(), written.previousVersion(), written.newVersion(), steps,
                                plan.warnings());
                write(context, masked(masker, render(report)));
                return report.isSuccess() ? ExitCode.OK : ExitCode.FAILED;
            }
        }
    }

    private String render(RotationReport report) {
        return switch (format) {
            case table -> report.toTable();
            case json -> report.toJson();
            case junit -> report.toJunitXml();
        };
    }

    /** {@code text} with the new value masked, should anything ever have put it there. */
    private static String masked(SecretMasker masker, String text) {
        return masker == null ? text : masker.mask(text);
    }

    /**
     * The store's writer, after the checks that need no value: a rollback or --disable-previous on a store without
     * versions fails here, before anything is read or asked.
     */
    private SecretWriter checkedWriter(SecretStore store, SecretReference ref) {
        SecretWriter writer = SecretWriter.of(store);
        if (!writer.keepsVersions() && rollbackTo != null) {
            throw new InvalidInputException(ref.storeId(), ref.name(), "a " + writer.type() + " store keeps no "
                    + "versions, so --rollback-to has nothing to go back to" + ("sops".equals(writer.type())
                    ? "; the file's history is in Git: git checkout <commit> -- <file>, then rotate --push" : ""));
        }
        if (!writer.keepsVersions() && disablePrevious) {
            throw new InvalidInputException(ref.storeId(), ref.name(), "a " + writer.type() + " store keeps no "
                    + "versions, so there is no previous version to disable; drop --disable-previous");
        }
        return writer;
    }

    /** The new value from the one source given, or {@code null} for a rollback (the store reads the old one). */
    private SecretValue newValue(CliContext context) {
        if (valueStdin) {
            return NewValueSource.fromStream(context.stdin(), "standard input");
        }
        if (valueFile != null) {
            return NewValueSource.fromFile(context.workingDirectory().resolve(valueFile));
        }
        if (generate != null) {
            return NewValueSource.generate(generate, new java.security.SecureRandom());
        }
        return null;
    }

    /** Asks on the terminal unless --yes; no terminal and no --yes is an input error (exit 2). */
    private void confirm(SecretStore store, SecretReference ref, String currentVersion, boolean keepsVersions) {
        if (yes) {
            return;
        }
        WriteConfirmation.Terminal console = terminal.get();
        if (console == null) {
            throw new CommandFailedException(ExitCode.INPUT, "writing a new version of " + ref.storeId() + ":"
                    + ref.name() + " needs --yes (no terminal to confirm on); nothing was written");
        }
        String answer = console.readLine(WriteConfirmation.prompt(ref.storeId(), store.type(), ref.name(),
                currentVersion, rollbackTo, disablePrevious, keepsVersions));
        if (!WriteConfirmation.confirms(answer)) {
            throw new CommandFailedException(ExitCode.FAILED, "not confirmed; nothing was written");
        }
    }

    /**
     * SHA-256 of the value the reference names, with its property selected as exec selects it (nested paths too);
     * the value is wiped.
     */
    private static byte[] digestOf(SecretStore store, SecretReference ref) {
        try (SecretValue whole = store.fetch(ref.secret());
             SecretValue selected = ref.property() == null ? null
                     : JsonProperty.select(whole, ref.property(), ref.storeId(), ref.name())) {
            byte[] bytes = (selected == null ? whole : selected).bytes();
            try {
                return SecretKeyDigest.sha256(bytes);
            } finally {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    private int print(CliContext context, RotationPlan plan) {
        write(context, format == ReportFormat.json ? plan.toJson() : plan.toTable());
        return ExitCode.OK;
    }

    private void write(CliContext context, String rendered) {
        PrintWriter out = spec.commandLine().getOut();
        if (output != null) {
            AtomicFile.write(context.workingDirectory().resolve(output), rendered);
            out.println("report written to " + output);
        } else {
            out.print(rendered);
        }
        out.flush();
    }

    /** Every ExternalSecret under {@code <deploy>/<app>/secrets/}; an invalid file stops before anything else. */
    private List<ExternalSecretDocument> declared(CliContext context) {
        Path root = context.workingDirectory().resolve(deployDirectory);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> secretsDirectories;
        try (Stream<Path> apps = Files.list(root)) {
            secretsDirectories = apps.sorted().map(app -> app.resolve("secrets")).filter(Files::isDirectory).toList();
        } catch (java.io.IOException e) {
            throw new InvalidInputException(null, null, deployDirectory + ": cannot list the directory ("
                    + e.getClass().getSimpleName() + ")");
        }
        // An app whose secrets/ holds no YAML file declares nothing; the other apps still count.
        List<Path> files = EsoFiles.find(context.workingDirectory(), secretsDirectories);
        ValidationReport validation = new ValidationReport();
        ExternalSecretValidator validator = ExternalSecretValidator.builtIn();
        for (Path file : files) {
            validation.addAll(validator.validateFile(file, EsoFiles.display(context.workingDirectory(), file)));
        }
        if (!validation.isValid()) {
            throw new ProblemsException(validation.problems());
        }
        return validation.documents();
    }

    /** ESO store names to kms-secrets store ids: the manifest's externalSecrets section, then --eso-store. */
    private ExternalSecretReferences.StoreMapping storeMapping(Manifest manifest) {
        Map<String, String> byName = new HashMap<>();
        Set<String> storeIds = new java.util.TreeSet<>();
        manifest.stores().forEach(s -> storeIds.add(s.id()));
        for (ExternalSecretDeclaration declaration : ExternalSecretsSection.parse(manifest.externalSecrets(),
                storeIds)) {
            if (declaration.storeId() != null) {
                byName.put(key(declaration.store()), declaration.storeId());
            }
        }
        for (String mapping : esoStores) {
            int equals = mapping.indexOf('=');
            if (equals <= 0 || equals == mapping.length() - 1) {
                throw new CommandFailedException(ExitCode.INPUT, "--eso-store takes NAME=STORE (or "
                        + "ClusterSecretStore/NAME=STORE), found '" + mapping + "'");
            }
            String name = mapping.substring(0, equals);
            String kind = EsoStoreRef.SECRET_STORE;
            if (name.startsWith(EsoStoreRef.CLUSTER_SECRET_STORE + "/")) {
                kind = EsoStoreRef.CLUSTER_SECRET_STORE;
                name = name.substring(EsoStoreRef.CLUSTER_SECRET_STORE.length() + 1);
            }
            byName.put(key(new EsoStoreRef(name, kind)), mapping.substring(equals + 1));
        }
        return ref -> byName.get(key(ref));
    }

    private static String key(EsoStoreRef ref) {
        return ref.kind() + "/" + ref.name();
    }
}
