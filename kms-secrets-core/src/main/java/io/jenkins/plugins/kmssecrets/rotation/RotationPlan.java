package io.jenkins.plugins.kmssecrets.rotation;

import java.util.List;
import java.util.Objects;

/**
 * Everything a rotation touches, found before anything is written: the ExternalSecrets declared in Git and live in
 * the cluster that read the secret, and the workloads that consume the Secrets those generate.
 *
 * @param secret    the secret rotated
 * @param declared  consumers declared under {@code deploy/<app>/secrets/}, sorted by file
 * @param live      consumers in the cluster (every namespace the context can list), sorted by namespace and name;
 *                  empty without a cluster
 * @param workloads workloads consuming the affected live consumers' Secrets, sorted by namespace, kind and name
 * @param warnings  parts that could not be evaluated, one line each
 * @param cluster   whether a cluster was asked
 * @since 0.2.0
 */
public record RotationPlan(RotatedSecret secret, List<ExternalSecretConsumer> declared,
                           List<ExternalSecretConsumer> live, List<WorkloadConsumer> workloads,
                           List<String> warnings, boolean cluster) {

    public RotationPlan {
        Objects.requireNonNull(secret, "secret");
        declared = List.copyOf(declared);
        live = List.copyOf(live);
        workloads = List.copyOf(workloads);
        warnings = List.copyOf(warnings);
    }

    /** The live consumers whose Secret changes with this rotation. */
    public List<ExternalSecretConsumer> affectedLive() {
        return live.stream().filter(ExternalSecretConsumer::affected).toList();
    }
}
