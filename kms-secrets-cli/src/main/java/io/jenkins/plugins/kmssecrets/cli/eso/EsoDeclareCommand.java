package io.jenkins.plugins.kmssecrets.cli.eso;

import io.jenkins.plugins.kmssecrets.cli.ExitCode;
import io.jenkins.plugins.kmssecrets.eso.EsoStoreRef;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDeclaration;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretFiles;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretsSection;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.ManifestParser;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kms-secrets eso declare}: writes deploy/&lt;app&gt;/secrets/externalsecret-&lt;name&gt;.yaml. */
@Command(name = "declare",
        mixinStandardHelpOptions = true,
        description = {
            "Write ExternalSecret manifests to deploy/<app>/secrets/externalsecret-<name>.yaml, from the "
                    + "externalSecrets section of kms-secrets.yaml or from --name/--app/--namespace/--store/--key.",
            "Output is deterministic (re-running gives no diff) and written atomically inside --dir."
        })
final class EsoDeclareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    EsoCommand parent;

    @Option(names = {"-f", "--manifest"}, paramLabel = "FILE", defaultValue = ManifestParser.DEFAULT_FILE,
            description = "The manifest (default: ${DEFAULT-VALUE}).")
    Path manifest;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
            description = "Working directory; files are written under DIR/deploy (default: current directory).")
    Path dir;

    @Option(names = "--only-app", paramLabel = "APP", description = "Only declare the ExternalSecrets of this app.")
    String onlyApp;

    @Option(names = "--name", paramLabel = "NAME", description = "Declare one ExternalSecret from arguments.")
    String name;

    @Option(names = "--app", paramLabel = "APP", description = "With --name: the app.")
    String app;

    @Option(names = "--namespace", paramLabel = "NS", description = "With --name: the namespace.")
    String namespace;

    @Option(names = "--store", paramLabel = "NAME", description = "With --name: the ESO store name.")
    String store;

    @Option(names = "--store-kind", paramLabel = "KIND", defaultValue = EsoStoreRef.SECRET_STORE,
            description = "With --name: SecretStore or ClusterSecretStore (default: ${DEFAULT-VALUE}).")
    String storeKind;

    @Option(names = "--target", paramLabel = "NAME", description = "With --name: the Secret to create.")
    String target;

    @Option(names = "--refresh-interval", paramLabel = "DURATION", description = "With --name: e.g. 1h.")
    String refreshInterval;

    @Option(names = "--key", paramLabel = "KEY=REF",
            description = "With --name, repeatable: a Secret key and its reference <storeId>:<name>[@version][#prop].")
    Map<String, String> keys = new LinkedHashMap<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ExternalSecretDeclaration> declarations = name != null ? fromArguments() : fromManifest();
        if (onlyApp != null) {
            declarations = declarations.stream().filter(d -> d.app().equals(onlyApp)).toList();
        }
        if (declarations.isEmpty()) {
            throw new InvalidInputException(null, null, "nothing to declare: no externalSecrets"
                    + (onlyApp == null ? "" : " for app '" + onlyApp + "'") + " in " + manifest);
        }
        Path directory = parent.context().workingDirectory().resolve(dir);
        for (ExternalSecretFiles.WrittenFile file : new ExternalSecretFiles(directory).write(declarations)) {
            out.println((file.changed() ? "wrote " : "unchanged ") + file.path().toString().replace('\\', '/'));
        }
        out.flush();
        return ExitCode.OK;
    }

    private List<ExternalSecretDeclaration> fromManifest() {
        Manifest parsed = parent.manifest(manifest.toString());
        Set<String> storeIds = new TreeSet<>();
        parsed.stores().stream().map(StoreDefinition::id).forEach(storeIds::add);
        return ExternalSecretsSection.parse(parsed.externalSecrets(), storeIds);
    }

    /** Builds the same YAML the manifest section holds, so arguments get exactly the manifest's checks. */
    private List<ExternalSecretDeclaration> fromArguments() {
        StringBuilder yaml = new StringBuilder("externalSecrets:\n  - name: ").append(quote(name)).append('\n');
        append(yaml, "app", app);
        append(yaml, "namespace", namespace);
        if (store != null) {
            yaml.append("    store: {name: ").append(quote(store)).append(", kind: ").append(quote(storeKind))
                    .append("}\n");
        }
        append(yaml, "target", target);
        append(yaml, "refreshInterval", refreshInterval);
        if (!keys.isEmpty()) {
            yaml.append("    keys:\n");
            keys.forEach((k, v) -> yaml.append("      ").append(quote(k)).append(": ").append(quote(v)).append('\n'));
        }
        YamlNode root = YamlInput.parseOne(yaml.toString(), "arguments");
        return new ArrayList<>(ExternalSecretsSection.parse(root.get("externalSecrets"), null));
    }

    private static void append(StringBuilder yaml, String key, String value) {
        if (value != null) {
            yaml.append("    ").append(key).append(": ").append(quote(value)).append('\n');
        }
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
