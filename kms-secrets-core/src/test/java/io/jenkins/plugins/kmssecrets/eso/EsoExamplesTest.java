package io.jenkins.plugins.kmssecrets.eso;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import io.jenkins.plugins.kmssecrets.yaml.YamlInput;
import io.jenkins.plugins.kmssecrets.yaml.YamlNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The upstream ESO documentation examples in shared/testdata validate as PROVENANCE.md documents. */
class EsoExamplesTest {

    static String example(String name) throws IOException {
        return Files.readString(TestData.path("eso/examples/" + name));
    }

    /** Drops the mkdocs {@code {% raw %}} / {@code {% endraw %}} marker lines. */
    static String withoutRawMarkers(String text) {
        return String.join("\n", text.lines().filter(l -> !l.strip().equals("{% raw %}")
                && !l.strip().equals("{% endraw %}")).toList()) + "\n";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "azkv-external-secret.yaml, AZURE_KEY_VAULT",
        "gcpsm-external-secret.yaml, GOOGLE_SECRET_MANAGER",
        "gcpsm-data-from-external-secret.yaml, GOOGLE_SECRET_MANAGER",
    })
    void externalSecretExampleIsValidIncludingProviderKeys(String file, ProviderKeySyntax provider)
            throws IOException {
        ExternalSecretValidator validator = new ExternalSecretValidator(ExternalSecretSchemas.builtIn(),
                (store, namespace, storeId) -> provider);

        ValidationReport report = validator.validate(example(file), file);

        assertThat(report.problems()).isEmpty();
        assertThat(report.documents()).hasSize(1);
    }

    @Test
    void templatedExampleIsNotYamlWithItsRawMarkers() throws IOException {
        List<Problem> problems = ExternalSecretValidator.builtIn()
                .validate(example("gcpsm-tls-externalsecret.yaml"), "gcpsm-tls-externalsecret.yaml").problems();

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.message()).startsWith("YAML syntax:");
            assertThat(p.location().line()).isEqualTo(1);
        });
    }

    @Test
    void templatedExampleIsValidWithoutRawMarkers() throws IOException {
        String text = withoutRawMarkers(example("gcpsm-tls-externalsecret.yaml"));

        assertThat(ExternalSecretValidator.builtIn().validate(text, "tls").problems()).isEmpty();
    }

    @Test
    void fullExampleHasADuplicateDataFromKey() throws IOException {
        String text = withoutRawMarkers(example("full-external-secret.yaml"));

        List<Problem> problems = ExternalSecretValidator.builtIn().validate(text, "full").problems();

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.message()).isEqualTo("duplicate key 'dataFrom' (first at line 115)");
            assertThat(p.location().line()).isEqualTo(122);
            assertThat(p.location().path()).isEqualTo("$.spec.dataFrom");
        });
    }

    @Test
    void fullExampleIsSchemaValidWithLastWinsDuplicates() throws IOException {
        LoaderOptions lastWins = new LoaderOptions();
        lastWins.setAllowDuplicateKeys(true);
        Object loaded = new Yaml(lastWins).load(withoutRawMarkers(example("full-external-secret.yaml")));
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String text = new Yaml(block).dump(loaded);

        assertThat(ExternalSecretValidator.builtIn().validate(text, "full").problems()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "azkv-secret-store-mi.yaml, 0",
        "azkv-secret-store-spn-secret.yaml, 0",
        "azkv-workload-identity.yaml, 0",
    })
    void secretStoreExamplesAreValidAgainstTheStoreCrd(String file, int expected) throws IOException {
        assertThat(storeProblems(file)).hasSize(expected);
    }

    @Test
    void gcpStoreExampleBreaksTheSchemaWithASequenceProjectId() throws IOException {
        assertThat(storeProblems("gcpsm-sa-secret-store.yaml")).singleElement().satisfies(p -> {
            assertThat(p.location().path()).isEqualTo("$.spec.provider.gcpsm.projectID");
            assertThat(p.message()).isEqualTo("must be a string, found array");
        });
    }

    @Test
    void fullStoreExampleBreaksMaxPropertiesAndNamespacePatterns() throws IOException {
        List<Problem> problems = storeProblems("full-secret-store.yaml");

        assertThat(problems).anySatisfy(p -> {
            assertThat(p.location().path()).isEqualTo("$.spec.provider");
            assertThat(p.message()).startsWith("must have at most 1 field(s), found 3");
        });
        assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("does not match the pattern"));
    }

    /** Our schema interpreter on the real SecretStore CRD (a much larger schema than ExternalSecret's). */
    private static List<Problem> storeProblems(String file) throws IOException {
        CrdSchema schema = ExternalSecretSchemas.fromCrd(
                BuiltInSchemaAgreesWithCrdTest.crd("external-secrets.io_secretstores.yaml"), "testdata");
        List<Problem> problems = new ArrayList<>();
        for (YamlNode document : YamlInput.parseAll(withoutRawMarkers(example(file)), file)) {
            YamlNode kind = document.get("kind");
            if (kind != null && "SecretStore".equals(kind.text())) {
                schema.validate(document, problems);
            }
        }
        return problems;
    }

    @Test
    void nonEsoExamplesAreSkipped() throws IOException {
        ValidationReport report = ExternalSecretValidator.builtIn()
                .validate(example("azkv-credentials-secret.yaml"), "secret");

        assertThat(report.problems()).isEmpty();
        assertThat(report.documents()).isEmpty();
    }
}
