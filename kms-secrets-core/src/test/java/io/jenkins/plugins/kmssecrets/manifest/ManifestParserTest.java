package io.jenkins.plugins.kmssecrets.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.testing.MemoryStoreProvider;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestParserTest {

    private final ManifestParser parser = new ManifestParser(StoreTypes.of(new MemoryStoreProvider(new HashMap<>())));

    @TempDir
    Path temp;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ManifestParserTest.class.getResource("ManifestParserTest/" + name).toURI());
    }

    private List<String> problems(String fixture) throws URISyntaxException {
        ProblemsException e = org.assertj.core.api.Assertions.catchThrowableOfType(ProblemsException.class,
                () -> parser.parse(fixture(fixture), fixture));
        assertThat(e).as("expected problems in " + fixture).isNotNull();
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void readsStoresAndSecretsInOrder() throws Exception {
        Manifest manifest = parser.parse(fixture("valid.yaml"), "valid.yaml");

        assertThat(manifest.stores()).extracting(s -> s.id() + "/" + s.type())
                .containsExactly("akv-prod/memory", "local/memory");
        assertThat(manifest.store("local").orElseThrow().string("file")).isEqualTo("secrets/dev.enc.yaml");
        assertThat(manifest.store("local").orElseThrow().settings().get("nested"))
                .isEqualTo(Map.of("timeout", "30s"));
        assertThat(manifest.secrets()).extracting(SecretBinding::env)
                .containsExactly("DB_PASSWORD", "API_TOKEN", "DB_USER");
        assertThat(manifest.secrets().get(2).reference())
                .isEqualTo(new SecretReference("akv-prod", "netbox-db", "3f2c", "username"));
        assertThat(manifest.secrets().get(1).location().line()).isEqualTo(14);
        assertThat(manifest.baseDirectory()).isEqualTo(fixture("valid.yaml").getParent());
    }

    @Test
    void reportsEveryProblemTogetherWithLineAndPath() throws Exception {
        assertThat(problems("manyProblems.yaml")).containsExactly(
                "manyProblems.yaml:5:5: unknown key 'colour'; expected one of: file, id, nested, tokenEnv, type, vaultUrl "
                        + "(at $.stores[0].colour)",
                "manyProblems.yaml:6:9: duplicate store id 'akv-prod' (first declared at line 2) "
                        + "(at $.stores[1].id)",
                "manyProblems.yaml:9:11: unknown store type 'no-such-type'; known types: memory "
                        + "(at $.stores[2].type)",
                "manyProblems.yaml:13:10: duplicate env 'DB_PASSWORD' (first declared at line 11) "
                        + "(at $.secrets[1].env)",
                "manyProblems.yaml:16:10: unknown store id 'nowhere'; declared stores: akv-prod, other "
                        + "(at $.secrets[2].ref)",
                "manyProblems.yaml:17:10: '1BAD' is not a valid environment variable name; use letters, digits "
                        + "and '_', not starting with a digit (at $.secrets[3].env)",
                "manyProblems.yaml:20:10: malformed reference 'just-a-name': missing ':' after the store id; "
                        + "expected <storeId>:<name> (at $.secrets[4].ref)",
                "manyProblems.yaml:23:5: unknown key 'value'; expected one of: env, ref (at $.secrets[5].value)",
                "manyProblems.yaml:24:1: unknown key 'extra'; expected one of: environments, externalSecrets, secrets, stores "
                        + "(at $.extra)");
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumn() throws Exception {
        assertThat(problems("syntaxError.yaml")).singleElement().asString()
                .startsWith("syntaxError.yaml:7:4: YAML syntax:");
    }

    @Test
    void duplicateKeysAreRejected() throws Exception {
        assertThat(problems("duplicateKey.yaml")).containsExactly(
                "duplicateKey.yaml:5:1: duplicate key 'stores' (first at line 1) (at $.stores)");
    }

    @Test
    void aliasBombsAreRefused() throws Exception {
        assertThat(problems("aliasBomb.yaml")).singleElement().asString()
                .contains("aliasBomb.yaml:").contains("YAML syntax:").containsIgnoringCase("alias");
    }

    @Test
    void missingStoresIsAProblem() throws Exception {
        Path file = write("secrets: []\n");
        assertThatThrownBy(() -> parser.parse(file, "m.yaml")).isInstanceOf(ProblemsException.class)
                .hasMessage("m.yaml:1:1: missing 'stores': declare at least one store (at $)");
    }

    @Test
    void nonMappingRootIsAProblem() throws Exception {
        Path file = write("- just\n- a list\n");
        assertThatThrownBy(() -> parser.parse(file, "m.yaml")).isInstanceOf(ProblemsException.class)
                .hasMessageContaining("expected a mapping with 'stores' and 'secrets', found array");
    }

    @Test
    void emptyFileIsAProblem() throws Exception {
        Path file = write("");
        assertThatThrownBy(() -> parser.parse(file, "m.yaml")).isInstanceOf(ProblemsException.class)
                .hasMessageContaining("the file is empty");
    }

    @Test
    void nonUtf8FileIsRefusedWithOffset() throws Exception {
        Path file = temp.resolve("latin1.yaml");
        Files.write(file, "stores: []\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> parser.parse(file, "latin1.yaml")).isInstanceOf(InvalidInputException.class)
                .hasMessage("latin1.yaml: not valid UTF-8 (first bad byte at offset 16); save the file as UTF-8");
    }

    @Test
    void oversizedFileIsRefusedBeforeParsing() throws Exception {
        Path file = temp.resolve("big.yaml");
        Files.write(file, ("# " + "x".repeat(100) + "\n").repeat(11_000).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> parser.parse(file, "big.yaml")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("big.yaml: file is 1133000 bytes; the limit is 1048576 bytes");
    }

    @Test
    void missingFileSaysSo() {
        assertThatThrownBy(() -> parser.parse(temp.resolve("nope.yaml"), "nope.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessage("nope.yaml: no such file");
    }

    @Test
    void keepsTheExternalSecretsSectionForTheEsoPackage() throws Exception {
        Path file = write("stores:\n  - id: a\n    type: memory\nexternalSecrets:\n  - app: netbox\n");
        assertThat(parser.parse(file, "m.yaml").externalSecrets().items()).hasSize(1);
    }

    private Path write(String text) throws Exception {
        Path file = temp.resolve("m.yaml");
        Files.writeString(file, text);
        return file;
    }
}
