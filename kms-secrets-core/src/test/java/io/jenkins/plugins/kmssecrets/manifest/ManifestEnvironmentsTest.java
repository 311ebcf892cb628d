package io.jenkins.plugins.kmssecrets.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.sops.SopsStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.MemoryStoreProvider;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

class ManifestEnvironmentsTest {

    private final ManifestParser parser = new ManifestParser(
            StoreTypes.of(new MemoryStoreProvider(new HashMap<>()), new SopsStoreProvider()));

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(ManifestEnvironmentsTest.class.getResource("ManifestEnvironmentsTest/" + name).toURI());
    }

    private Manifest environments() throws URISyntaxException {
        return parser.parse(fixture("environments.yaml"), "environments.yaml");
    }

    @Test
    void withoutAnEnvironmentTheBaseStoresAreInEffect() throws Exception {
        Manifest manifest = environments();

        assertThat(manifest.environments()).containsOnlyKeys("dev", "staging");
        assertThat(manifest.environment()).isNull();
        assertThat(manifest.select(null)).isSameAs(manifest);
        assertThat(manifest.select("")).isSameAs(manifest);
        assertThat(manifest.stores()).extracting(s -> s.id() + "/" + s.type())
                .containsExactly("akv-prod/memory", "vault-ci/memory");
        assertThat(manifest.unsatisfiable(manifest.secrets())).isEmpty();
    }

    @Test
    void anEnvironmentReplacesStoreDefinitionsUnderTheSameId() throws Exception {
        Manifest dev = environments().select("dev");

        assertThat(dev.environmentName()).isEqualTo("dev");
        assertThat(dev.stores()).extracting(s -> s.id() + "/" + s.type()).containsExactly("akv-prod/sops");
        StoreDefinition akv = dev.store("akv-prod").orElseThrow();
        assertThat(akv.string("file")).isEqualTo("secrets/dev.enc.yaml");
        assertThat(akv.location().line()).isEqualTo(21);
        assertThat(dev.secrets()).extracting(SecretBinding::env).containsExactly("DB_PASSWORD", "DB_USER", "DEPLOY_KEY");

        Manifest staging = environments().select("staging");
        assertThat(staging.stores()).extracting(s -> s.id() + "=" + s.string("vaultUrl")).containsExactly(
                "akv-prod=https://hybridops-staging.vault.azure.net", "vault-ci=https://vault.ci.example");
    }

    @Test
    void unknownEnvironmentNamesTheKnownOnes() throws Exception {
        Manifest manifest = environments();
        assertThatThrownBy(() -> manifest.select("qa")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown environment 'qa'; environments in environments.yaml: dev, staging");
    }

    @Test
    void aStoreSetToNoneOrAPinnedVersionInAVersionlessStoreCannotBeGiven() throws Exception {
        Manifest dev = environments().select("dev");

        assertThat(dev.unsatisfiable(dev.secrets())).extracting(Problem::toString).containsExactly(
                "environments.yaml:12:5: environment 'dev' cannot give DB_USER: store 'akv-prod' is a sops store "
                        + "here (line 21), which keeps no versions, and the reference pins @3f2c (at $.secrets[1])",
                "environments.yaml:14:5: environment 'dev' cannot give DEPLOY_KEY: store 'vault-ci' is set to none "
                        + "in this environment (line 23) (at $.secrets[2])");
        assertThat(dev.unsatisfiable(dev.secrets().subList(0, 1))).isEmpty();
        ProblemsException e = catchThrowableOfType(ProblemsException.class,
                () -> dev.requireSatisfiable(dev.secrets()));
        assertThat(e.problems()).hasSize(2);
        assertThat(environments().select("staging").unsatisfiable(dev.secrets())).isEmpty();
    }

    @Test
    void everyProblemOfTheSectionIsReportedWithLineAndPath() throws Exception {
        ProblemsException e = catchThrowableOfType(ProblemsException.class,
                () -> parser.parse(fixture("environmentProblems.yaml"), "environmentProblems.yaml"));

        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "environmentProblems.yaml:9:5: unknown key 'colour'; expected one of: description, stores "
                        + "(at $.environments.dev.colour)",
                "environmentProblems.yaml:11:7: environment 'dev' maps store 'akv-prdo', which 'stores' does not "
                        + "declare; declared stores: akv-prod (at $.environments.dev.stores.akv-prdo)",
                "environmentProblems.yaml:14:15: unknown store type 'sopps'; known types: memory, sops "
                        + "(at $.environments.dev.stores.akv-prod.type)",
                "environmentProblems.yaml:15:3: environment name 'Bad_Name' is not valid; use a lower-case letter "
                        + "followed by lower-case letters, digits, '-' or '_' (at $.environments.Bad_Name)",
                "environmentProblems.yaml:21:9: unknown key 'vaultUrl'; expected one of: ageKeyFile, file, type "
                        + "(at $.environments.staging.stores.akv-prod.vaultUrl)",
                "environmentProblems.yaml:24:17: store 'akv-prod' must be a store definition (a mapping with 'type' "
                        + "and its settings) or none, found string (at $.environments.qa.stores.akv-prod)",
                "environmentProblems.yaml:25:10: environment 'empty' has no 'stores'; map base store ids to a store "
                        + "definition or none (at $.environments.empty.stores)");
    }
}
