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
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code kms-secrets rotate}: find every consumer of a secret and, with {@code --push}, make the version now in the
 * store reach them.
 */
@Command(name = "rotate",
        mixinStandardHelpOptions = true,
        description = {
            "Find everything a secret reaches: the ExternalSecrets declared under deploy/*/secrets/ and, with a "
                    + "cluster, the live ExternalSecrets in every namespace the context can list (through data, "
                    + "dataFrom.extract and dataFrom.find name/tag filters), and the Deployments, StatefulSets, "
                    + "DaemonSets and CronJobs whose pods consume the Secrets they generate.",
            "Without --push this is a dry run: it prints the plan and changes nothing.",
            "With --push the version now in the store is pushed: each affected ExternalSecret gets ESO's force-sync "
                    + "annotation, and the command waits until its Secret holds the new value (compared by SHA-256 "
                    + "in memory, never printed). With --restart, workloads that read the value at start "
                    + "(environment variables, subPath mounts) get a rolling restart and the command waits for each "
                    + "rollout; plain Secret volumes are updated in place by the kubelet.",
            "Writing a new version into the store is not part of this command yet: rotate in the store (portal, "
                    + "CLI or the store's own auto-rotation), then run 'rotate --push'."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kms-secrets rotate akv-prod:netbox-db#password",
            "  kms-secrets rotate --kubeconfig ~/.kube/config akv-prod:netbox-db",
            "  kms-secrets rotate --push --restart --parallel 2 --timeout 5m akv-prod:netbox-db#password",
            "  kms-secrets rotate --push --format junit --output target/rotate.xml akv-prod:netbox-db",
            "",
            "Exit codes: 0 done (or planned), 1 a push or restart failed or timed out, 2 input error, "
                    + "3 a store or the cluster could not be used."
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
            description = "table (default), json or junit (junit: the push report; a plan is table or json).")
    ReportFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (atomically) instead of standard output.")
    String output;

    @Override
    public Integer call() {
        if (restart && !push) {
            throw new CommandFailedException(ExitCode.INPUT, "--restart needs --push");
        }
        if (parallel < 1) {
            throw new CommandFailedException(ExitCode.INPUT, "--parallel must be at least 1");
        }
        if (!push && format == ReportFormat.junit) {
            throw new CommandFailedException(ExitCode.INPUT, "a plan is printed as table or json; junit needs --push");
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
            if (!push && !cluster.given()) {
                return print(context, planner.plan(secret, declared, null));
            }
            try (KubernetesClient client = cluster.access(context).connect()) {
                RotationPlan plan = planner.plan(secret, declared, client, new LinkedHashSet<>(namespaces));
                if (!push) {
                    return print(context, plan);
                }
                byte[] digest = digestOf(store, ref);
                RotationRollout rollout = new RotationRollout(client, new RotationRollout.Options(waitLimit, poll,
                        Duration.ofSeconds(15), restart, parallel), context.clock(), line -> {
                            synchronized (err) {
                                err.println(line);
                                err.flush();
                            }
                        });
                List<RotationStep> steps = rollout.push(plan, (consumer, use) ->
                        java.util.Objects.equals(use.property(), ref.property()) ? digest : null);
                RotationReport report = new RotationReport(secret.describe(), metadata.version(), metadata.version(),
                        steps, plan.warnings());
                write(context, switch (format) {
                    case table -> report.toTable();
                    case json -> report.toJson();
                    case junit -> report.toJunitXml();
                });
                return report.isSuccess() ? ExitCode.OK : ExitCode.FAILED;
            }
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
