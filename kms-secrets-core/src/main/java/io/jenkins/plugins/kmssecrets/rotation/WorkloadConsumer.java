package io.jenkins.plugins.kmssecrets.rotation;

import java.util.List;
import java.util.Objects;

/**
 * A workload whose pods consume a Secret that an affected ExternalSecret generates.
 *
 * @param kind          {@code Deployment}, {@code StatefulSet}, {@code DaemonSet} or {@code CronJob}
 * @param namespace     its namespace
 * @param name          its name
 * @param secret        the Secret it consumes
 * @param usages        how, one line each (for example {@code env DB_PASSWORD <- password (container app)})
 * @param needsRestart  whether a running pod keeps the old value until restarted: environment variables, and volumes
 *                      mounted with {@code subPath}; plain secret volumes are updated in place by the kubelet
 * @since 0.2.0
 */
public record WorkloadConsumer(String kind, String namespace, String name, String secret, List<String> usages,
                               boolean needsRestart) {

    public WorkloadConsumer {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        usages = List.copyOf(usages);
    }

    /** Whether a rolling restart applies: a CronJob's next run starts new pods by itself. */
    public boolean restartable() {
        return !"CronJob".equals(kind);
    }

    /** {@code kind/namespace/name}. */
    public String id() {
        return kind + "/" + namespace + "/" + name;
    }
}
