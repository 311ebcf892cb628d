package io.jenkins.plugins.kmssecrets.eso;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Validates ExternalSecret files offline: YAML syntax, the CRD's structural schema, ESO's admission-webhook rules,
 * resource and key names, and the key syntax of the provider behind each store. Every problem is reported at once
 * with file, line and JSON path. Documents of other kinds in the same file are skipped.
 *
 * @since 0.1.0
 */
public final class ExternalSecretValidator {

    /**
     * Finds the key syntax of the vault behind an ExternalSecret's store: from the cluster's SecretStore, or from
     * the kms-secrets store named in the {@code kms-secrets.io/store} annotation.
     */
    @FunctionalInterface
    public interface ProviderLookup {

        /** The syntax, or {@code null} when unknown (the key is then not checked). */
        ProviderKeySyntax providerFor(EsoStoreRef store, String namespace, String storeIdAnnotation);

        /** A lookup that knows nothing. */
        static ProviderLookup none() {
            return (store, namespace, storeId) -> null;
        }
    }

    private final CrdSchema schema;
    private final ProviderLookup providers;

    public ExternalSecretValidator(CrdSchema schema, ProviderLookup providers) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.providers = providers == null ? ProviderLookup.none() : providers;
    }

    /** A validator with the built-in schema and no provider knowledge. */
    public static ExternalSecretValidator builtIn() {
        return new ExternalSecretValidator(ExternalSecretSchemas.builtIn(), ProviderLookup.none());
    }

    /** Reads and validates a file; unreadable files become a problem too. */
    public ValidationReport validateFile(Path file, String displayName) {
        try {
            return validate(YamlInput.readText(file, displayName, YamlInput.DEFAULT_MAX_BYTES), displayName);
        } catch (InvalidInputException e) {
            ValidationReport report = new ValidationReport();
            report.addProblems(List.of(new Problem(new SourceLocation(displayName, 0, 0, null), e.getMessage())));
            return report;
        }
    }

    /** Validates YAML text holding one or more documents. */
    public ValidationReport validate(String text, String displayName) {
        ValidationReport report = new ValidationReport();
        List<YamlNode> documents;
        try {
            documents = YamlInput.parseAll(text, displayName);
        } catch (ProblemsException e) {
            report.addProblems(e.problems());
            return report;
        }
        if (documents.isEmpty()) {
            report.addProblems(List.of(new Problem(new SourceLocation(displayName, 1, 1, "$"),
                    "the file holds no YAML document")));
        }
        for (YamlNode document : documents) {
            validateDocument(document, report);
        }
        return report;
    }

    private void validateDocument(YamlNode document, ValidationReport report) {
        List<Problem> problems = new ArrayList<>();
        if (!document.isMapping()) {
            problems.add(new Problem(document.location(), "expected a Kubernetes resource (a mapping), found "
                    + document.jsonType()));
            report.addProblems(problems);
            return;
        }
        String kind = text(document.get("kind"));
        String apiVersion = text(document.get("apiVersion"));
        if (kind == null || !kind.equals(EsoNames.KIND)) {
            if (kind == null) {
                problems.add(new Problem(document.location(), "missing 'kind'; expected ExternalSecret"));
            }
            report.addProblems(problems);
            return;
        }
        Map<String, Object> resource = YamlObjects.toMap(document);
        if (EsoNames.API_VERSION_V1BETA1.equals(apiVersion)) {
            problems.add(new Problem(document.get("apiVersion").location(), "apiVersion " + apiVersion + " is no "
                    + "longer served by External Secrets Operator; use " + EsoNames.API_VERSION
                    + " (the v1 equivalent is shown below)"));
            Map<String, Object> converted = new LinkedHashMap<>(resource);
            converted.put("apiVersion", EsoNames.API_VERSION);
            resource = converted;
            report.addNote("v1 equivalent of " + document.location().position() + ":\n"
                    + ExternalSecretRenderer.dump(converted));
        } else if (!EsoNames.API_VERSION.equals(apiVersion)) {
            YamlNode at = document.get("apiVersion");
            problems.add(new Problem(at == null ? document.location() : at.location(), "apiVersion must be "
                    + EsoNames.API_VERSION + ", found " + (apiVersion == null ? "nothing" : "'" + apiVersion + "'")));
        }
        schema.validate(document, problems);
        YamlNode metadata = document.get("metadata");
        String name = checkMetadata(document, metadata, problems);
        String namespace = metadata != null ? text(metadata.get("namespace")) : null;
        YamlNode spec = document.get("spec");
        if (spec == null) {
            problems.add(new Problem(document.location(), "missing 'spec'"));
        }
        WebhookRules.check(spec, problems);
        List<ExternalSecretDocument.RemoteKey> remoteKeys = remoteKeys(spec);
        ExternalSecretDocument result = new ExternalSecretDocument(document.location().withPath("$"), namespace,
                name, resource, remoteKeys);
        checkProviderKeys(result, problems);
        report.addProblems(problems);
        report.addDocument(result);
    }

    private static String checkMetadata(YamlNode document, YamlNode metadata, List<Problem> problems) {
        if (metadata == null || !metadata.isMapping()) {
            problems.add(new Problem(document.location(), "missing 'metadata' with a name"));
            return null;
        }
        YamlNode nameNode = metadata.get("name");
        String name = text(nameNode);
        if (name == null) {
            problems.add(new Problem(metadata.location(), "missing 'metadata.name'"));
        } else if (!EsoNames.isResourceName(name)) {
            problems.add(new Problem(nameNode.location(), "'" + name + "' is not a valid resource name; use an "
                    + "RFC 1123 name (at most 253 lower-case letters, digits, '-' and '.')"));
        }
        YamlNode namespaceNode = metadata.get("namespace");
        String namespace = text(namespaceNode);
        if (namespace != null && !EsoNames.isLabel(namespace)) {
            problems.add(new Problem(namespaceNode.location(), "'" + namespace + "' is not a valid namespace; use "
                    + "an RFC 1123 label (at most 63 lower-case letters, digits and '-')"));
        }
        return name;
    }

    private static List<ExternalSecretDocument.RemoteKey> remoteKeys(YamlNode spec) {
        List<ExternalSecretDocument.RemoteKey> keys = new ArrayList<>();
        if (spec == null || !spec.isMapping()) {
            return keys;
        }
        YamlNode data = spec.get("data");
        if (data != null) {
            for (YamlNode entry : data.items()) {
                YamlNode ref = entry.isMapping() ? entry.get("remoteRef") : null;
                addKey(ref, keys);
            }
        }
        YamlNode dataFrom = spec.get("dataFrom");
        if (dataFrom != null) {
            for (YamlNode entry : dataFrom.items()) {
                addKey(entry.isMapping() ? entry.get("extract") : null, keys);
            }
        }
        return keys;
    }

    private static void addKey(YamlNode ref, List<ExternalSecretDocument.RemoteKey> keys) {
        if (ref == null || !ref.isMapping()) {
            return;
        }
        YamlNode key = ref.get("key");
        if (key != null && key.isScalar() && !key.isNull()) {
            keys.add(new ExternalSecretDocument.RemoteKey(key.text(), text(ref.get("version")), key.location()));
        }
    }

    private void checkProviderKeys(ExternalSecretDocument document, List<Problem> problems) {
        EsoStoreRef store = document.storeRef();
        if (store == null) {
            return;
        }
        ProviderKeySyntax syntax = providers.providerFor(store, document.namespace(),
                document.annotation(EsoNames.STORE_ANNOTATION));
        if (syntax == null) {
            return;
        }
        for (ExternalSecretDocument.RemoteKey key : document.remoteKeys()) {
            String problem = syntax.problem(key.key());
            if (problem != null) {
                problems.add(new Problem(key.location(), problem));
            }
        }
    }

    private static String text(YamlNode node) {
        return node != null && node.isScalar() && !node.isNull() ? node.text() : null;
    }
}
