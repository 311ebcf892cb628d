package io.jenkins.plugins.kmssecrets.manifest;

import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One entry of the manifest's {@code environments} section: where the stores come from in that environment. A store
 * the environment does not mention keeps its base definition; {@code stores} replaces a base store's definition
 * (same id, any type); {@code unavailable} lists the stores set to {@code none}, which the environment cannot use at
 * all. References elsewhere in the manifest stay as they are.
 *
 * @param name        the environment name, as selected with {@code --env}
 * @param stores      replacement definitions by base store id; each carries the base id
 * @param unavailable store ids set to {@code none}, with where that was said
 * @param location    where the environment was declared
 * @since 0.2.0
 */
public record ManifestEnvironment(String name, Map<String, StoreDefinition> stores,
                                  Map<String, SourceLocation> unavailable, SourceLocation location) {

    public ManifestEnvironment {
        Objects.requireNonNull(name, "name");
        stores = Collections.unmodifiableMap(new TreeMap<>(stores));
        unavailable = Collections.unmodifiableMap(new TreeMap<>(unavailable));
    }
}
