package io.jenkins.plugins.kmssecrets.rotation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a pod template consumes one Secret: environment variables ({@code env[].valueFrom.secretKeyRef},
 * {@code envFrom[].secretRef}) and volumes ({@code secret}, {@code projected} sources), in containers and init
 * containers.
 *
 * @since 0.2.0
 */
public final class PodSecretUsages {

    /**
     * What was found.
     *
     * @param usages       one line per use
     * @param needsRestart whether a use keeps the old value in a running pod (environment, or a {@code subPath} mount)
     */
    public record Result(List<String> usages, boolean needsRestart) {
        public boolean isEmpty() {
            return usages.isEmpty();
        }
    }

    private PodSecretUsages() {
    }

    /** The uses of Secret {@code secretName} in {@code spec}. */
    public static Result of(PodSpec spec, String secretName) {
        List<String> usages = new ArrayList<>();
        if (spec == null) {
            return new Result(usages, false);
        }
        boolean restart = false;
        Set<String> volumes = new HashSet<>();
        for (Volume volume : spec.getVolumes()) {
            if (volume.getSecret() != null && secretName.equals(volume.getSecret().getSecretName())) {
                volumes.add(volume.getName());
            }
            if (volume.getProjected() != null) {
                for (VolumeProjection source : volume.getProjected().getSources()) {
                    if (source.getSecret() != null && secretName.equals(source.getSecret().getName())) {
                        volumes.add(volume.getName());
                    }
                }
            }
        }
        List<Container> containers = new ArrayList<>(spec.getInitContainers());
        containers.addAll(spec.getContainers());
        for (Container container : containers) {
            String where = " (container " + container.getName() + ")";
            for (EnvVar env : container.getEnv()) {
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null
                        && secretName.equals(env.getValueFrom().getSecretKeyRef().getName())) {
                    usages.add("env " + env.getName() + " <- " + env.getValueFrom().getSecretKeyRef().getKey() + where);
                    restart = true;
                }
            }
            for (EnvFromSource envFrom : container.getEnvFrom()) {
                if (envFrom.getSecretRef() != null && secretName.equals(envFrom.getSecretRef().getName())) {
                    usages.add("envFrom" + (envFrom.getPrefix() == null ? "" : " prefix " + envFrom.getPrefix())
                            + where);
                    restart = true;
                }
            }
            for (VolumeMount mount : container.getVolumeMounts()) {
                if (volumes.contains(mount.getName())) {
                    boolean subPath = mount.getSubPath() != null && !mount.getSubPath().isEmpty()
                            || mount.getSubPathExpr() != null && !mount.getSubPathExpr().isEmpty();
                    usages.add("volume " + mount.getName() + " at " + mount.getMountPath()
                            + (subPath ? " with subPath (not updated in place)" : " (updated in place)") + where);
                    restart |= subPath;
                }
            }
        }
        return new Result(usages, restart);
    }
}
