package io.jenkins.plugins.kmssecrets.jenkins.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a step shows next to its name in the Pipeline graph: paths and names, never a value or a reference list. */
final class StepArguments {

    private StepArguments() {
    }

    /**
     * The manifest path, or the variable names of inline bindings ({@code DB_PASSWORD, API_TOKEN}), or the store
     * id; {@code null} when none is given.
     */
    static String names(Map<String, Object> namedArgs) {
        Object manifest = namedArgs.get("manifest");
        if (manifest instanceof String path && !path.isBlank()) {
            return path;
        }
        Object secrets = namedArgs.get("secrets");
        if (secrets instanceof List<?> list && !list.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Object item : list) {
                if (item instanceof KmsSecretVariable variable && variable.getEnv() != null) {
                    names.add(variable.getEnv());
                } else if (item instanceof Map<?, ?> map && map.get("env") instanceof String env) {
                    names.add(env);
                } else if (item instanceof String name) {
                    names.add(name);
                }
            }
            return names.isEmpty() ? null : String.join(", ", names);
        }
        return string(namedArgs, "store");
    }

    /** The argument {@code key} when it is a string (a path, a glob, a store id), else {@code null}. */
    static String string(Map<String, Object> namedArgs, String key) {
        return namedArgs.get(key) instanceof String value ? value : null;
    }
}
