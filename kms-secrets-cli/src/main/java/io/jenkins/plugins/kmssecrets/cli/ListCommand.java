package io.jenkins.plugins.kmssecrets.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.report.TextTable;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kms-secrets list}: a store's secrets, metadata only. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        description = "List the secrets of one store: names, versions, state, dates and tags. Never reads a value.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  kms-secrets list akv-prod",
            "  kms-secrets list --manifest deploy/kms-secrets.yaml --format json local",
        })
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    KmsSecretsCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    ManifestOption manifestOption;

    @Parameters(index = "0", paramLabel = "STORE", description = "The store id, as declared in the manifest.")
    String storeId;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json.")
    ReportFormat format;

    @Override
    public Integer call() throws IOException {
        if (format == ReportFormat.junit) {
            throw new CommandFailedException(ExitCode.INPUT, "list supports --format table or json");
        }
        CliContext context = root.context();
        Manifest manifest = root.manifest(manifestOption.path);
        EnvironmentChecks.requireStore(manifest, storeId);
        List<SecretMetadata> secrets;
        try (StoreSet stores = context.stores(manifest)) {
            secrets = stores.get(storeId).list().stream()
                    .sorted(Comparator.comparing(SecretMetadata::name)).toList();
        }
        Instant now = context.clock().instant();
        String rendered = format == ReportFormat.json ? json(secrets, now, manifest.environmentName())
                : EnvironmentHeader.lines(manifest, List.of(storeId)) + table(secrets, now);
        spec.commandLine().getOut().print(rendered);
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    private static String table(List<SecretMetadata> secrets, Instant now) {
        TextTable table = new TextTable("NAME", "VERSION", "STATE", "UPDATED", "EXPIRES", "TAGS");
        for (SecretMetadata s : secrets) {
            table.row(s.name(), s.version(), s.stateAt(now), s.updated(), s.expiresOn(),
                    s.tags().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(",")));
        }
        return table.render() + secrets.size() + " secret" + (secrets.size() == 1 ? "" : "s") + "\n";
    }

    private static String json(List<SecretMetadata> secrets, Instant now, String environment) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = mapper.createArrayNode();
        for (SecretMetadata s : secrets) {
            ObjectNode node = array.addObject();
            node.put("store", s.storeId());
            if (environment != null) {
                node.put("environment", environment);
            }
            node.put("name", s.name());
            node.put("version", s.version());
            // Where the backend cannot tell (Vault KV 1), "enabled" is null and "state" says "unknown".
            if (s.state() == SecretMetadata.State.UNKNOWN) {
                node.putNull("enabled");
            } else {
                node.put("enabled", s.enabled());
            }
            node.put("state", s.state().label());
            node.put("usable", s.unusableReason(now) == null);
            node.put("created", s.created() == null ? null : s.created().toString());
            node.put("updated", s.updated() == null ? null : s.updated().toString());
            node.put("notBefore", s.notBefore() == null ? null : s.notBefore().toString());
            node.put("expiresOn", s.expiresOn() == null ? null : s.expiresOn().toString());
            node.put("contentType", s.contentType());
            ObjectNode tags = node.putObject("tags");
            s.tags().forEach(tags::put);
        }
        return mapper.writeValueAsString(array) + "\n";
    }
}
