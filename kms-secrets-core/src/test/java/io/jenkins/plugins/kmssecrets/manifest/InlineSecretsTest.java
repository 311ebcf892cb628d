package io.jenkins.plugins.kmssecrets.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InlineSecretsTest {

    @Test
    void validPairsBecomeBindingsInOrder() {
        List<SecretBinding> bindings = InlineSecrets.parse("withKmsSecrets", List.of(
                Map.entry("DB_PASSWORD", "akv-prod:netbox-db-password"), Map.entry(" TOKEN ", "local:api.token")));
        assertThat(bindings).extracting(SecretBinding::env).containsExactly("DB_PASSWORD", "TOKEN");
        assertThat(bindings.get(1).reference().toString()).isEqualTo("local:api.token");
        assertThat(bindings.get(0).location().path()).isEqualTo("$.secrets[0]");
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> InlineSecrets.parse("step",
                List.of(Map.entry("1BAD", "a:b"), Map.entry("OK", "no-colon"), Map.entry("OK", "a:c"))));
        assertThat(e.problems()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "step: '1BAD' is not a valid environment variable name; use letters, digits and '_', not starting "
                        + "with a digit (at $.secrets[0].env)",
                "step: malformed reference 'no-colon': missing ':' after the store id; expected <storeId>:<name> "
                        + "(at $.secrets[1].ref)",
                "step: duplicate env 'OK' (first given at $.secrets[1]) (at $.secrets[2].env)");
    }

    @Test
    void missingFieldsAreProblems() {
        java.util.AbstractMap.SimpleEntry<String, String> empty = new java.util.AbstractMap.SimpleEntry<>(null, " ");
        ProblemsException e = catchThrowableOfType(ProblemsException.class,
                () -> InlineSecrets.parse("step", List.of(empty)));
        assertThat(e.problems()).extracting(Problem::message).containsExactlyInAnyOrder("missing 'env'",
                "missing 'ref'");
    }

    @Test
    void noPairsIsAProblem() {
        assertThat(catchThrowableOfType(ProblemsException.class, () -> InlineSecrets.parse("step", List.of())))
                .hasMessage("step: no secrets given (at $.secrets)");
    }

    @Test
    void bindingsToUnconfiguredStoresAreRejectedByName() {
        List<SecretBinding> bindings = InlineSecrets.parse("step", List.of(Map.entry("A", "known:x"),
                Map.entry("B", "rogue:y")));
        ProblemsException e = catchThrowableOfType(ProblemsException.class,
                () -> InlineSecrets.requireStores(bindings, Set.of("known", "other"), "the Jenkins configuration"));
        assertThat(e.problems()).extracting(Problem::message).containsExactly("store 'rogue' of B is not configured "
                + "in the Jenkins configuration; configured stores: known, other");
    }

    @Test
    void bindingsToConfiguredStoresPass() {
        List<SecretBinding> bindings = InlineSecrets.parse("step", List.of(Map.entry("A", "known:x")));
        InlineSecrets.requireStores(bindings, Set.of("known"), "here");
    }
}
