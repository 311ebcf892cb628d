package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.SecretBinding;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a command checks before it uses the stores of the selected environment: every secret it needs can be given
 * there. A secret whose store the environment sets to {@code none} is an input error (exit 2) naming the environment,
 * the variable and the store, never a silently missing value.
 */
final class EnvironmentChecks {

    private EnvironmentChecks() {
    }

    /** For {@code exec} and {@code mask}: the manifest's secrets, or the {@code --only} subset. */
    static void requireVariables(Manifest manifest, List<String> only) {
        manifest.requireSatisfiable(manifest.secrets().stream()
                .filter(binding -> only.isEmpty() || only.contains(binding.env())).toList());
    }

    /** For {@code check}: the references given, or every secret of the manifest when none are. */
    static void requireReferences(Manifest manifest, List<SecretReference> given) {
        if (given.isEmpty()) {
            manifest.requireSatisfiable(manifest.secrets());
            return;
        }
        List<String> problems = new ArrayList<>();
        for (SecretReference reference : given) {
            String why = manifest.unsatisfiable(reference);
            if (why != null) {
                problems.add("environment '" + manifest.environmentName() + "' cannot give " + reference + ": "
                        + why);
            }
        }
        if (!problems.isEmpty()) {
            throw new CommandFailedException(ExitCode.INPUT, String.join("\nerror: ", problems));
        }
    }

    /** For {@code list}: the store must be usable in the environment. */
    static void requireStore(Manifest manifest, String storeId) {
        if (manifest.environment() != null && manifest.environment().unavailable().containsKey(storeId)) {
            throw new CommandFailedException(ExitCode.INPUT, "store '" + storeId + "' is set to none in environment '"
                    + manifest.environmentName() + "' (" + manifest.file().getFileName() + ":"
                    + manifest.environment().unavailable().get(storeId).line() + ")");
        }
    }

    /** The store ids the references use (or the manifest's secrets when none are given). */
    static Set<String> storeIds(Manifest manifest, List<SecretReference> given) {
        Set<String> ids = new TreeSet<>();
        if (given.isEmpty()) {
            manifest.secrets().stream().map(SecretBinding::reference).map(SecretReference::storeId).forEach(ids::add);
        } else {
            given.stream().map(SecretReference::storeId).forEach(ids::add);
        }
        return ids;
    }
}
