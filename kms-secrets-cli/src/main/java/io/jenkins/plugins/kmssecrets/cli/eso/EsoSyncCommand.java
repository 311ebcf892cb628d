package io.jenkins.plugins.kmssecrets.cli.eso;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.cli.CliContext;
import io.jenkins.plugins.kmssecrets.cli.DurationOption;
import io.jenkins.plugins.kmssecrets.cli.ExitCode;
import io.jenkins.plugins.kmssecrets.eso.EsoNames;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDocument;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretValidator;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import io.jenkins.plugins.kmssecrets.k8s.ClusterAccess;
import io.jenkins.plugins.kmssecrets.k8s.ExternalSecretSync;
import io.jenkins.plugins.kmssecrets.k8s.SyncReport;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kms-secrets eso sync}: server-side apply, force a refresh, and wait until ESO has synced each resource. */
@Command(name = "sync",
        mixinStandardHelpOptions = true,
        description = {
            "Server-side apply ExternalSecrets (field manager kms-secrets), force ESO to refresh them, and wait "
                    + "until each reports a fresh Ready=True. Never reads Secret data.",
            "Files are validated offline first; an invalid file stops the sync before anything is applied.",
            "Exit code 1 when any ExternalSecret failed or timed out."
        })
final class EsoSyncCommand implements Callable<Integer> {

    enum Format { TABLE, JSON, JUNIT }

    @Spec
    CommandSpec spec;

    @ParentCommand
    EsoCommand parent;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories (searched for *.yaml).")
    List<Path> paths;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m",
            description = "How long to wait for each ExternalSecret, e.g. 90s, 5m; also the most any one request to the "
                    + "API server may take (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Namespaces synced at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "1s", hidden = true,
            description = "How often to read the status while waiting (default: ${DEFAULT-VALUE}).")
    String pollInterval;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "Final report: table, json or junit (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--prune", description = "Delete ExternalSecrets managed by kms-secrets for --app that are no "
            + "longer in the given files.")
    boolean prune;

    @Option(names = "--app", paramLabel = "APP",
            description = "The app --prune works on (default: the kms-secrets.io/app label all files share).")
    String app;

    @Option(names = "--dry-run", description = "Server-side dry-run only; with --prune, list what would be deleted.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ValidationReport validation = new ValidationReport();
        ExternalSecretValidator validator = ExternalSecretValidator.builtIn();
        CliContext context = parent.context();
        for (Path file : EsoFiles.expand(context.workingDirectory(), paths)) {
            validation.addAll(validator.validateFile(file, EsoFiles.display(context.workingDirectory(), file)));
        }
        if (!validation.isValid()) {
            throw new ProblemsException(validation.problems());
        }
        List<ExternalSecretDocument> documents = validation.documents();
        if (documents.isEmpty()) {
            throw new InvalidInputException(null, null, "no ExternalSecret found in " + paths);
        }
        String pruneApp = prune ? pruneApp(documents) : app;
        Duration waitLimit = DurationOption.parse("--timeout", timeout);
        ExternalSecretSync.Options options = new ExternalSecretSync.Options(pruneApp, waitLimit,
                parallel, DurationOption.parse("--poll-interval", pollInterval), Duration.ofSeconds(10), prune, dryRun);
        SyncReport report;
        // No single request may outlast --timeout either (a body that stalls after its headers included).
        try (KubernetesClient client = cluster.access(context).connect(ClusterAccess.limitsWithin(waitLimit))) {
            report = new ExternalSecretSync(client, options, context.clock(), line -> {
                synchronized (err) {
                    err.println(line);
                    err.flush();
                }
            }).sync(documents);
        }
        out.print(switch (format) {
            case TABLE -> report.toTable();
            case JSON -> report.toJson();
            case JUNIT -> report.toJunitXml();
        });
        out.flush();
        return report.isSuccess() ? ExitCode.OK : ExitCode.FAILED;
    }

    private String pruneApp(List<ExternalSecretDocument> documents) {
        if (app != null) {
            return app;
        }
        Set<String> apps = new TreeSet<>();
        documents.forEach(d -> apps.add(Objects.toString(d.label(EsoNames.APP_LABEL), "(none)")));
        if (apps.size() != 1 || apps.contains("(none)")) {
            throw new InvalidInputException(null, null, "--prune needs --app: the files' " + EsoNames.APP_LABEL
                    + " labels are " + apps);
        }
        return apps.iterator().next();
    }
}
