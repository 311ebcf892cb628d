package io.jenkins.plugins.kmssecrets.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.eso.ExternalSecretValidator;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.ManifestParser;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.testing.MemoryStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests and ExternalSecret files far larger than the fixtures, alias chains that stay under the alias limit but
 * would expand exponentially, and deep nesting: each is a correct result or a one-line problem with its location,
 * within the documented bounds (1 MiB a file, 50 aliases, depth 64, and at most {@link YamlInput#MAX_EXPANDED_NODES}
 * nodes once aliases are expanded).
 */
class YamlAtScaleTest {

    private final ManifestParser parser = new ManifestParser(StoreTypes.of(new MemoryStoreProvider(new HashMap<>())));

    @TempDir
    Path temp;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(temp.resolve(name), text);
    }

    private static String manifest(int bindings) {
        StringBuilder yaml = new StringBuilder("stores:\n  - id: akv-prod\n    type: memory\n  - id: local\n"
                + "    type: memory\nsecrets:\n");
        for (int i = 0; i < bindings; i++) {
            yaml.append(String.format(Locale.ROOT, "  - env: VAR_%05d\n    ref: %s:secret-%05d%s\n", i,
                    i % 2 == 0 ? "akv-prod" : "local", i, i % 3 == 0 ? "#password" : ""));
        }
        return yaml.toString();
    }

    private static String externalSecrets(int documents, int keys) {
        StringBuilder yaml = new StringBuilder();
        for (int d = 0; d < documents; d++) {
            yaml.append(String.format(Locale.ROOT, """
                    ---
                    apiVersion: external-secrets.io/v1
                    kind: ExternalSecret
                    metadata:
                      name: app-%04d
                      namespace: team-%d
                    spec:
                      refreshInterval: 1h
                      secretStoreRef:
                        name: azure-store
                        kind: ClusterSecretStore
                      target:
                        name: app-%04d
                      data:
                    """, d, d % 7, d));
            for (int k = 0; k < keys; k++) {
                yaml.append(String.format(Locale.ROOT, "    - secretKey: key-%02d\n      remoteRef:\n"
                        + "        key: app-%04d-secret-%02d\n", k, d, k));
            }
        }
        return yaml.toString();
    }

    /** {@code levels} anchors, each a list of two aliases of the one before: 2^levels leaves once expanded. */
    private static String aliasChain(String indent, int levels) {
        StringBuilder yaml = new StringBuilder(indent + "l0: &l0 [leaf, leaf]\n");
        for (int i = 1; i <= levels; i++) {
            yaml.append(indent).append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1)
                    .append(", *l").append(i - 1).append("]\n");
        }
        return yaml.toString();
    }

    @Test
    void aManifestWithFiveThousandBindingsParsesInOrder() throws Exception {
        Path file = write("big.yaml", manifest(5_000));
        assertThat(Files.size(file)).isLessThan(YamlInput.DEFAULT_MAX_BYTES);

        Manifest parsed = parser.parse(file, "big.yaml");

        assertThat(parsed.secrets()).hasSize(5_000);
        assertThat(parsed.secrets().get(4_999).env()).isEqualTo("VAR_04999");
        assertThat(parsed.secrets().get(4_999).location().line()).isEqualTo(6 + 2 * 4_999 + 1);
    }

    @Test
    void aManifestOverTheSizeLimitIsRefusedBeforeParsing() throws Exception {
        Path file = write("huge.yaml", manifest(25_000));
        assertThat(Files.size(file)).isGreaterThan(YamlInput.DEFAULT_MAX_BYTES);

        assertThatThrownBy(() -> parser.parse(file, "huge.yaml")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("huge.yaml: file is " + Files.size(file) + " bytes; the limit is 1048576 bytes");
    }

    @Test
    void aThousandExternalSecretsInOneFileValidate() throws Exception {
        Path file = write("es.yaml", externalSecrets(1_000, 10));
        assertThat(Files.size(file)).isLessThan(YamlInput.DEFAULT_MAX_BYTES);

        ValidationReport report = ExternalSecretValidator.builtIn().validateFile(file, "es.yaml");

        assertThat(report.problems()).isEmpty();
        assertThat(report.documents()).hasSize(1_000);
    }

    @Test
    void anAliasChainThatWouldExpandExponentiallyIsRefusedInAManifest() throws Exception {
        // 48 aliases, under the alias limit (50), but 2^24 leaves once expanded.
        Path file = write("chain.yaml", "stores:\n  - id: s\n    type: memory\n    nested:\n" + aliasChain("      ", 24)
                + "secrets: []\n");

        assertThatThrownBy(() -> parser.parse(file, "chain.yaml")).isInstanceOf(ProblemsException.class)
                .hasMessageContaining("chain.yaml")
                .hasMessageContaining("aliases expand to more than " + YamlInput.MAX_EXPANDED_NODES + " nodes");
    }

    @Test
    void anAliasChainThatWouldExpandExponentiallyIsRefusedInAnExternalSecret() throws Exception {
        Path file = write("chain-es.yaml", externalSecrets(1, 1) + "  bomb:\n" + aliasChain("    ", 24));

        ValidationReport report = ExternalSecretValidator.builtIn().validateFile(file, "chain-es.yaml");

        assertThat(report.isValid()).isFalse();
        assertThat(report.problems()).singleElement().asString().contains("chain-es.yaml")
                .contains("aliases expand to more than " + YamlInput.MAX_EXPANDED_NODES + " nodes");
    }

    @Test
    void aShortAliasChainIsStillAccepted() throws Exception {
        Path file = write("short.yaml", "stores:\n  - id: s\n    type: memory\n    nested:\n" + aliasChain("      ", 4)
                + "secrets: []\n");

        assertThat(parser.parse(file, "short.yaml").stores()).hasSize(1);
    }

    @Test
    void deepNestingIsAProblemWithItsLocation() throws Exception {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        Path manifestFile = write("deep.yaml", "stores:\n  - id: s\n    type: memory\n    nested: " + deep + "\n");
        assertThatThrownBy(() -> parser.parse(manifestFile, "deep.yaml")).isInstanceOf(ProblemsException.class)
                .hasMessageContaining("deep.yaml:").hasMessageContaining("YAML syntax:")
                .hasMessageContaining("Nesting Depth exceeded");

        Path esFile = write("deep-es.yaml", externalSecrets(1, 1) + "  deep: " + deep + "\n");
        ValidationReport report = ExternalSecretValidator.builtIn().validateFile(esFile, "deep-es.yaml");
        assertThat(report.problems()).singleElement().asString().contains("deep-es.yaml:")
                .contains("Nesting Depth exceeded");
    }
}
