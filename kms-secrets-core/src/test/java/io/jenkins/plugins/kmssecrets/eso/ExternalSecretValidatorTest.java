package io.jenkins.plugins.kmssecrets.eso;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Offline validation: one negative fixture per rule, each problem with line and JSON path. */
class ExternalSecretValidatorTest {

    static String fixture(String name) {
        try (InputStream in = ExternalSecretValidatorTest.class.getResourceAsStream("ExternalSecretValidatorTest/"
                + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ValidationReport validate(String name) {
        return ExternalSecretValidator.builtIn().validate(fixture(name), name);
    }

    @Test
    void validFileHasNoProblems() {
        ValidationReport report = validate("valid.yaml");

        assertThat(report.problems()).isEmpty();
        assertThat(report.documents()).singleElement().satisfies(d -> {
            assertThat(d.namespace()).isEqualTo("netbox");
            assertThat(d.name()).isEqualTo("netbox-db");
            assertThat(d.storeRef()).isEqualTo(new EsoStoreRef("azure-store", "ClusterSecretStore"));
        });
    }

    static Stream<Arguments> negativeFixtures() {
        return Stream.of(
                // ESO admission-webhook rules
                Arguments.of("webhook-no-data.yaml", 7, "$.spec", "either data or dataFrom must be set"),
                Arguments.of("webhook-delete-with-merge.yaml", 14, "$.spec.target.deletionPolicy",
                        "deletionPolicy Delete is not allowed with creationPolicy Merge"),
                Arguments.of("webhook-delete-with-none.yaml", 14, "$.spec.target.deletionPolicy",
                        "deletionPolicy Delete is not allowed with creationPolicy None"),
                Arguments.of("webhook-merge-with-none.yaml", 14, "$.spec.target.deletionPolicy",
                        "deletionPolicy Merge is not allowed with creationPolicy None"),
                Arguments.of("webhook-datafrom-two-sources.yaml", 14, "$.spec.dataFrom[0]",
                        "exactly one of extract, find or sourceRef, found 2"),
                Arguments.of("webhook-datafrom-no-source.yaml", 14, "$.spec.dataFrom[0]",
                        "exactly one of extract, find or sourceRef, found 0"),
                Arguments.of("webhook-duplicate-secretkey.yaml", 17, "$.spec.data[1].secretKey",
                        "duplicate secretKey 'password' (first at line 14); not allowed with deletionPolicy Retain"),
                // structural schema
                Arguments.of("schema-wrong-type.yaml", 7, "$.spec.refreshInterval", "must be a string, found integer"),
                Arguments.of("schema-bad-enum.yaml", 13, "$.spec.target.creationPolicy",
                        "'Sometimes' is not one of: Owner, Orphan, Merge, None, CreateOrMerge"),
                Arguments.of("schema-missing-required.yaml", 14, "$.spec.data[0]",
                        "missing required field 'remoteRef'"),
                Arguments.of("schema-bad-pattern.yaml", 14, "$.spec.data[0].secretKey",
                        "'db password' does not match the pattern ^[-._a-zA-Z0-9]+$"),
                Arguments.of("schema-unknown-field.yaml", 8, "$.spec.secretStoreRefs",
                        "unknown field 'secretStoreRefs'"),
                Arguments.of("schema-max-properties.yaml", 21, "$.spec.data[1].sourceRef",
                        "must have at most 1 field(s), found 2 (storeRef, generatorRef)"),
                Arguments.of("schema-store-name-pattern.yaml", 9, "$.spec.secretStoreRef.name",
                        "'Azure_Store' does not match the pattern"),
                // names
                Arguments.of("name-invalid.yaml", 4, "$.metadata.name", "'Netbox_DB' is not a valid resource name"),
                Arguments.of("namespace-invalid.yaml", 5, "$.metadata.namespace",
                        "'netbox.prod' is not a valid namespace"),
                // YAML and API version
                Arguments.of("yaml-syntax.yaml", 17, null, "YAML syntax:"),
                Arguments.of("v1beta1.yaml", 1, "$.apiVersion",
                        "apiVersion external-secrets.io/v1beta1 is no longer served by External Secrets Operator; "
                                + "use external-secrets.io/v1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negativeFixtures")
    void negativeFixtureReportsItsProblemWithLineAndPath(String file, int line, String path, String message) {
        ValidationReport report = validate(file);

        assertThat(report.problems()).as(file).singleElement().satisfies(problem -> {
            assertThat(problem.location().file()).isEqualTo(file);
            assertThat(problem.location().line()).isEqualTo(line);
            assertThat(problem.location().path()).isEqualTo(path);
            assertThat(problem.message()).contains(message);
        });
    }

    @Test
    void yamlSyntaxErrorHasLineAndColumn() {
        Problem problem = validate("yaml-syntax.yaml").problems().get(0);

        assertThat(problem.location().position()).matches("yaml-syntax\\.yaml:17:\\d+");
    }

    @Test
    void duplicateSecretKeyIsAllowedWhenTheSecretIsDeleted() {
        assertThat(validate("duplicate-secretkey-with-delete.yaml").problems()).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnceInLineOrder() {
        List<Problem> problems = validate("many-problems.yaml").problems();

        assertThat(problems).extracting(p -> p.location().line() + " " + p.location().path())
                .containsExactly("4 $.metadata.name", "7 $.spec.refreshInterval", "14 $.spec.data[0].secretKey");
    }

    @Test
    void v1beta1IsRejectedWithItsV1Equivalent() {
        ValidationReport report = validate("v1beta1.yaml");

        assertThat(report.notes()).singleElement().asString()
                .startsWith("v1 equivalent of v1beta1.yaml:1:1:\napiVersion: external-secrets.io/v1\n"
                        + "kind: ExternalSecret\n")
                .contains("      remoteRef:\n        key: netbox-db-password\n");
        assertThat(report.documents()).singleElement()
                .satisfies(d -> assertThat(d.resource()).containsEntry("apiVersion", "external-secrets.io/v1"));
    }

    @Test
    void azureKeyVaultKeysFollowTheVaultsNameRules() {
        ExternalSecretValidator validator = new ExternalSecretValidator(ExternalSecretSchemas.builtIn(),
                (store, namespace, storeId) -> ProviderKeySyntax.AZURE_KEY_VAULT);

        List<Problem> problems = validator.validate(fixture("provider-keys.yaml"), "provider-keys.yaml").problems();

        assertThat(problems).extracting(p -> p.location().path())
                .containsExactly("$.spec.data[4].remoteRef.key", "$.spec.data[5].remoteRef.key",
                        "$.spec.data[6].remoteRef.key");
        assertThat(problems.get(0).message()).isEqualTo("'bad_underscore' is not a valid Azure Key Vault key; "
                + "expected 1 to 127 letters, digits and '-', optionally prefixed secret/, cert/ or key/");
    }

    @Test
    void otherKindsInTheSameFileAreSkipped() {
        ValidationReport report = validate("two-documents.yaml");

        assertThat(report.problems()).isEmpty();
        assertThat(report.documents()).extracting(ExternalSecretDocument::name)
                .containsExactly("netbox-db", "netbox-api");
    }

    @Test
    void unreadableFileIsOneProblem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        ValidationReport report = ExternalSecretValidator.builtIn().validateFile(dir.resolve("missing.yaml"),
                "missing.yaml");

        assertThat(report.problems()).singleElement().asString().isEqualTo("missing.yaml: missing.yaml: no such file");
    }
}
