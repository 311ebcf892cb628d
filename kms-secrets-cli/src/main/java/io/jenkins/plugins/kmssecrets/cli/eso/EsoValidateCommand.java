package io.jenkins.plugins.kmssecrets.cli.eso;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.cli.CliContext;
import io.jenkins.plugins.kmssecrets.cli.ExitCode;
import io.jenkins.plugins.kmssecrets.eso.CrdSchema;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretSchemas;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretValidator;
import io.jenkins.plugins.kmssecrets.eso.ProviderKeySyntax;
import io.jenkins.plugins.kmssecrets.eso.RemoteKeyCheck;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import io.jenkins.plugins.kmssecrets.k8s.ClusterValidation;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.ManifestParser;
import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/** {@code kms-secrets eso validate}: every problem of every ExternalSecret file, with file, line and JSON path. */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Validate ExternalSecret files: YAML syntax, the CRD schema, ESO's webhook rules, names and provider "
                    + "key syntax. Every problem is reported at once (file:line:column, JSON path).",
            "With a cluster option, also uses the CRD installed there, dry-runs each resource server-side and checks "
                    + "that its store exists and is Ready. With --check-remote, asks the kms-secrets stores whether "
                    + "each remote key exists (metadata only).",
            "Exit code 1 when any problem is found."
        })
final class EsoValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    EsoCommand parent;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories (searched for *.yaml).")
    List<Path> paths;

    @Option(names = {"-f", "--manifest"}, paramLabel = "FILE",
            description = "kms-secrets.yaml: maps store ids to provider key syntax; needed for --check-remote "
                    + "(default: ./kms-secrets.yaml when it exists).")
    Path manifest;

    @Option(names = "--check-remote",
            description = "Check that every remoteRef.key exists and is enabled, with value-free describe calls.")
    boolean checkRemote;

    @Option(names = "--store", paramLabel = "ID",
            description = "kms-secrets store for ExternalSecrets without the kms-secrets.io/store annotation.")
    String defaultStore;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Manifest parsed = manifest();
        if (checkRemote && parsed == null) {
            throw new InvalidInputException(null, null, "--check-remote needs the manifest (--manifest FILE)");
        }
        CliContext context = parent.context();
        KubernetesClient client = cluster.given() ? cluster.access(context).connect() : null;
        try {
            ClusterValidation connected = client == null ? null : new ClusterValidation(client);
            CrdSchema schema = connected == null ? ExternalSecretSchemas.builtIn() : connected.installedSchema();
            ExternalSecretValidator.ProviderLookup fromCluster = connected == null ? null : connected.providerLookup();
            ExternalSecretValidator.ProviderLookup lookup = (store, namespace, storeId) -> {
                ProviderKeySyntax syntax = fromCluster == null ? null : fromCluster.providerFor(store, namespace, storeId);
                if (syntax == null && parsed != null) {
                    String id = storeId != null ? storeId : defaultStore;
                    syntax = id == null ? null : parsed.store(id).map(StoreDefinition::type)
                            .map(ProviderKeySyntax::forStoreType).orElse(null);
                }
                return syntax;
            };
            ExternalSecretValidator validator = new ExternalSecretValidator(schema, lookup);
            ValidationReport report = new ValidationReport();
            List<Path> files = EsoFiles.expand(context.workingDirectory(), paths);
            for (Path file : files) {
                report.addAll(validator.validateFile(file, EsoFiles.display(context.workingDirectory(), file)));
            }
            if (connected != null) {
                report.addProblems(connected.check(report.documents()));
            }
            if (checkRemote) {
                report.addProblems(remoteProblems(context, parsed, report));
            }
            for (Problem problem : report.problems()) {
                err.println("error: " + problem);
            }
            report.notes().forEach(out::println);
            out.println("validated " + report.documents().size() + " ExternalSecret(s) in " + files.size()
                    + " file(s) against the " + schema.origin() + ": " + (report.isValid() ? "no problems"
                    : report.problems().size() + " problem(s)"));
            out.flush();
            err.flush();
            return report.isValid() ? ExitCode.OK : ExitCode.FAILED;
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }

    private List<Problem> remoteProblems(CliContext context, Manifest parsed, ValidationReport report) {
        Set<String> ids = new TreeSet<>();
        parsed.stores().forEach(s -> ids.add(s.id()));
        try (StoreSet stores = context.stores(parsed)) {
            return new RemoteKeyCheck(stores, ids, defaultStore, context.clock()).check(report.documents());
        }
    }

    private Manifest manifest() {
        CliContext context = parent.context();
        Path file = manifest;
        if (file == null) {
            Path fallback = Path.of(ManifestParser.DEFAULT_FILE);
            if (!Files.isRegularFile(context.workingDirectory().resolve(fallback))) {
                return null;
            }
            file = fallback;
        }
        return parent.manifest(file.toString());
    }
}
