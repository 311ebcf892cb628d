package io.jenkins.plugins.kmssecrets.rotation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDocument;
import io.jenkins.plugins.kmssecrets.k8s.EsoResources;
import io.jenkins.plugins.kmssecrets.k8s.KubernetesOperationException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a {@link RotationPlan}: reads declared ExternalSecrets and, given a cluster, the live ones and the
 * workloads in their namespaces. Reads only; never writes and never reads a Secret.
 *
 * <p>Cluster permissions: {@code list} on {@code externalsecrets.external-secrets.io} in all namespaces (or the
 * namespaces the context may list), and {@code list} on deployments, statefulsets, daemonsets ({@code apps}) and
 * cronjobs ({@code batch}) in the namespaces of affected ExternalSecrets.
 *
 * @since 0.2.0
 */
public final class RotationPlanner {

    private static final Comparator<WorkloadConsumer> WORKLOAD_ORDER = Comparator
            .comparing(WorkloadConsumer::namespace).thenComparing(WorkloadConsumer::kind)
            .thenComparing(WorkloadConsumer::name).thenComparing(WorkloadConsumer::secret);

    private final ExternalSecretReferences references;

    public RotationPlanner(ExternalSecretReferences references) {
        this.references = Objects.requireNonNull(references, "references");
    }

    /** The plan for {@code secret} over every namespace the client may list. */
    public RotationPlan plan(RotatedSecret secret, List<ExternalSecretDocument> declared, KubernetesClient client) {
        return plan(secret, declared, client, Set.of());
    }

    /**
     * The plan for {@code secret}.
     *
     * @param declared   documents read from {@code deploy/<app>/secrets/} (with their file names as location)
     * @param client     the cluster, or {@code null} to plan from the files alone
     * @param namespaces the namespaces to look at in the cluster; empty for all
     * @throws KubernetesOperationException when the cluster cannot be listed
     */
    public RotationPlan plan(RotatedSecret secret, List<ExternalSecretDocument> declared, KubernetesClient client,
                             Set<String> namespaces) {
        List<String> warnings = new ArrayList<>();
        List<ExternalSecretConsumer> fromFiles = new ArrayList<>();
        for (ExternalSecretDocument document : declared) {
            List<ExternalSecretUse> uses = references.uses(document.resource(), secret, warnings);
            if (!uses.isEmpty()) {
                fromFiles.add(new ExternalSecretConsumer(document.location() == null ? null
                        : document.location().file(), document.namespace(), document.name(),
                        ExternalSecretReferences.targetSecret(document.resource()), document.refreshPolicy(), uses));
            }
        }
        fromFiles.sort(Comparator.comparing((ExternalSecretConsumer c) -> String.valueOf(c.file()))
                .thenComparing(ExternalSecretConsumer::id));
        List<ExternalSecretConsumer> live = new ArrayList<>();
        List<WorkloadConsumer> workloads = new ArrayList<>();
        if (client != null) {
            live.addAll(live(client, secret, warnings).stream()
                    .filter(c -> namespaces.isEmpty() || namespaces.contains(c.namespace())).toList());
            workloads.addAll(workloads(client, live));
        }
        return new RotationPlan(secret, fromFiles, live, workloads, warnings, client != null);
    }

    @SuppressWarnings("unchecked")
    private List<ExternalSecretConsumer> live(KubernetesClient client, RotatedSecret secret, List<String> warnings) {
        List<GenericKubernetesResource> items;
        try {
            items = EsoResources.externalSecrets(client).inAnyNamespace().list().getItems();
        } catch (KubernetesClientException e) {
            throw new KubernetesOperationException("cannot list ExternalSecrets in " + client.getMasterUrl() + ": "
                    + EsoResources.describe(e));
        }
        List<ExternalSecretConsumer> consumers = new ArrayList<>();
        for (GenericKubernetesResource item : items) {
            Map<String, Object> resource = client.getKubernetesSerialization().convertValue(item, Map.class);
            List<ExternalSecretUse> uses = references.uses(resource, secret, warnings);
            if (!uses.isEmpty()) {
                Map<String, Object> spec = ExternalSecretReferences.map(resource, "spec");
                consumers.add(new ExternalSecretConsumer(null, item.getMetadata().getNamespace(),
                        item.getMetadata().getName(), ExternalSecretReferences.targetSecret(resource),
                        ExternalSecretReferences.text(spec, "refreshPolicy"), uses));
            }
        }
        consumers.sort(Comparator.comparing(ExternalSecretConsumer::id));
        return consumers;
    }

    private List<WorkloadConsumer> workloads(KubernetesClient client, List<ExternalSecretConsumer> live) {
        Map<String, List<Workload>> byNamespace = new HashMap<>();
        List<WorkloadConsumer> consumers = new ArrayList<>();
        for (ExternalSecretConsumer consumer : live) {
            if (!consumer.affected()) {
                continue;
            }
            List<Workload> inNamespace = byNamespace.computeIfAbsent(consumer.namespace(),
                    namespace -> listWorkloads(client, namespace));
            for (Workload workload : inNamespace) {
                PodSecretUsages.Result result = PodSecretUsages.of(workload.spec(), consumer.targetSecret());
                if (!result.isEmpty()) {
                    consumers.add(new WorkloadConsumer(workload.kind(), consumer.namespace(), workload.name(),
                            consumer.targetSecret(), result.usages(), result.needsRestart()));
                }
            }
        }
        consumers.sort(WORKLOAD_ORDER);
        return consumers.stream().distinct().toList();
    }

    /** A pod template owner. */
    private record Workload(String kind, String name, PodSpec spec) {
    }

    private static List<Workload> listWorkloads(KubernetesClient client, String namespace) {
        List<Workload> workloads = new ArrayList<>();
        try {
            add(workloads, "Deployment", client.apps().deployments().inNamespace(namespace).list().getItems(),
                    d -> d.getSpec() == null || d.getSpec().getTemplate() == null ? null
                            : d.getSpec().getTemplate().getSpec());
            add(workloads, "StatefulSet", client.apps().statefulSets().inNamespace(namespace).list().getItems(),
                    s -> s.getSpec() == null || s.getSpec().getTemplate() == null ? null
                            : s.getSpec().getTemplate().getSpec());
            add(workloads, "DaemonSet", client.apps().daemonSets().inNamespace(namespace).list().getItems(),
                    d -> d.getSpec() == null || d.getSpec().getTemplate() == null ? null
                            : d.getSpec().getTemplate().getSpec());
            add(workloads, "CronJob", client.batch().v1().cronjobs().inNamespace(namespace).list().getItems(),
                    c -> c.getSpec() == null || c.getSpec().getJobTemplate() == null
                            || c.getSpec().getJobTemplate().getSpec() == null
                            || c.getSpec().getJobTemplate().getSpec().getTemplate() == null ? null
                            : c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
        } catch (KubernetesClientException e) {
            throw new KubernetesOperationException("cannot list workloads in namespace " + namespace + ": "
                    + EsoResources.describe(e));
        }
        return workloads;
    }

    private static <T extends HasMetadata> void add(List<Workload> workloads, String kind, List<T> items,
                                                    Function<T, PodSpec> spec) {
        for (T item : items) {
            workloads.add(new Workload(kind, item.getMetadata().getName(), spec.apply(item)));
        }
    }
}
