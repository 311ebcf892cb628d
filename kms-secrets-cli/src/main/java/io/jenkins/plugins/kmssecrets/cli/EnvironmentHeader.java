package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.manifest.ManifestEnvironment;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * The lines {@code check} and {@code list} print above their table when an environment is selected: which store
 * definition is in effect for each store id they use, and where it was declared. Store settings never hold secret
 * material, so the identifying ones (vault URL, file, project, address) are shown.
 */
final class EnvironmentHeader {

    /** Settings that say which backend a store talks to, in the order shown. */
    private static final List<String> IDENTIFYING = List.of("vaultUrl", "project", "location", "address", "namespace",
            "mount", "prefix", "file", "endpoint");

    private EnvironmentHeader() {
    }

    /** Nothing without an environment; else one line naming it, then one line per store id. */
    static String lines(Manifest manifest, Collection<String> storeIds) {
        ManifestEnvironment environment = manifest.environment();
        if (environment == null) {
            return "";
        }
        StringBuilder out = new StringBuilder("environment: ").append(environment.name()).append(" (")
                .append(manifest.file().getFileName()).append(':').append(environment.location().line())
                .append(")\n");
        for (String id : new TreeSet<>(storeIds)) {
            out.append("  store ").append(id).append(": ").append(describe(manifest, environment, id)).append('\n');
        }
        return out.toString();
    }

    private static String describe(Manifest manifest, ManifestEnvironment environment, String id) {
        if (environment.unavailable().containsKey(id)) {
            return "none in this environment (line " + environment.unavailable().get(id).line() + ")";
        }
        StoreDefinition store = manifest.store(id).orElse(null);
        if (store == null) {
            return "not declared";
        }
        String origin = environment.stores().containsKey(id) ? "from the environment" : "base definition";
        int line = store.location() == null ? 0 : store.location().line();
        return store.type() + settings(store.settings()) + " (" + origin + ", line " + line + ")";
    }

    private static String settings(Map<String, Object> settings) {
        StringJoiner joined = new StringJoiner(", ", " [", "]").setEmptyValue("");
        for (String key : IDENTIFYING) {
            Object value = settings.get(key);
            if (value instanceof String || value instanceof Number) {
                joined.add(key + "=" + value);
            }
        }
        return joined.toString();
    }
}
