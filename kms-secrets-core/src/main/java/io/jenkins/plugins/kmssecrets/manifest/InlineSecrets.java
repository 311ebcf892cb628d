package io.jenkins.plugins.kmssecrets.manifest;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Secret bindings given inline rather than in a manifest file (a Jenkins step's {@code secrets} argument, a command
 * line), validated with the same rules as the manifest's {@code secrets} section, and the check that bindings only
 * use stores a host has configured.
 *
 * @since 0.1.0
 */
public final class InlineSecrets {

    private InlineSecrets() {
    }

    /**
     * Validates {@code env}/{@code ref} pairs; every problem is reported together, located as
     * {@code source} with the JSON path {@code $.secrets[i].env} or {@code .ref}.
     *
     * @param source how messages name the input, for example {@code withKmsSecrets}
     * @param pairs  environment variable name to reference text, in order; either may be {@code null}
     * @throws ProblemsException listing every problem
     * @since 0.1.0
     */
    public static List<SecretBinding> parse(String source, List<Map.Entry<String, String>> pairs) {
        List<Problem> problems = new ArrayList<>();
        List<SecretBinding> bindings = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        if (pairs.isEmpty()) {
            problems.add(new Problem(new SourceLocation(source, 0, 0, "$.secrets"), "no secrets given"));
        }
        for (int i = 0; i < pairs.size(); i++) {
            String env = trimToNull(pairs.get(i).getKey());
            String ref = trimToNull(pairs.get(i).getValue());
            SourceLocation envAt = new SourceLocation(source, 0, 0, "$.secrets[" + i + "].env");
            SourceLocation refAt = new SourceLocation(source, 0, 0, "$.secrets[" + i + "].ref");
            if (env == null) {
                problems.add(new Problem(envAt, "missing 'env'"));
            } else if (EnvironmentNames.problem(env) != null) {
                problems.add(new Problem(envAt, EnvironmentNames.problem(env)));
                env = null;
            } else {
                Integer first = seen.putIfAbsent(env, i);
                if (first != null) {
                    problems.add(new Problem(envAt, "duplicate env '" + env + "' (first given at $.secrets[" + first
                            + "])"));
                    env = null;
                }
            }
            SecretReference reference = null;
            if (ref == null) {
                problems.add(new Problem(refAt, "missing 'ref'"));
            } else {
                try {
                    reference = SecretReference.parse(ref);
                } catch (InvalidInputException e) {
                    problems.add(new Problem(refAt, e.getMessage()));
                }
            }
            if (env != null && reference != null) {
                bindings.add(new SecretBinding(env, reference, envAt.withPath("$.secrets[" + i + "]")));
            }
        }
        if (!problems.isEmpty()) {
            throw new ProblemsException(problems);
        }
        return List.copyOf(bindings);
    }

    /**
     * Checks that every binding refers to one of {@code storeIds}.
     *
     * @param where how messages name the configured stores, for example {@code the Jenkins configuration}
     * @throws ProblemsException naming each binding whose store is not configured, at the binding's location
     * @since 0.1.0
     */
    public static void requireStores(List<SecretBinding> bindings, Collection<String> storeIds, String where) {
        List<Problem> problems = new ArrayList<>();
        String known = storeIds.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(storeIds));
        for (SecretBinding binding : bindings) {
            String storeId = binding.reference().storeId();
            if (!storeIds.contains(storeId)) {
                SourceLocation at = binding.location() == null ? new SourceLocation(null, 0, 0, null)
                        : binding.location();
                problems.add(new Problem(at, "store '" + storeId + "' of " + binding.env() + " is not configured in "
                        + where + "; configured stores: " + known));
            }
        }
        if (!problems.isEmpty()) {
            throw new ProblemsException(problems);
        }
    }

    private static String trimToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
