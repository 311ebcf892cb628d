package io.jenkins.plugins.kmssecrets.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kmssecrets.eso.CrdSchema;
import io.jenkins.plugins.kmssecrets.eso.EsoStoreRef;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDocument;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretSchemas;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretValidator;
import io.jenkins.plugins.kmssecrets.eso.ProviderKeySyntax;
import io.jenkins.plugins.kmssecrets.problem.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checks {@code validate} makes when a cluster is reachable: the schema of the ExternalSecret CRD installed there,
 * a server-side dry-run apply of each ExternalSecret (so the cluster's own admission webhook judges it), and whether
 * the referenced SecretStore or ClusterSecretStore exists and reports {@code Ready=True}. Nothing is changed.
 *
 * @since 0.1.0
 */
public final class ClusterValidation {

    private final KubernetesClient client;
    private final Map<String, Optional<GenericKubernetesResource>> stores = new ConcurrentHashMap<>();

    public ClusterValidation(KubernetesClient client) {
        this.client = client;
    }

    /**
     * The v1 schema of the ExternalSecret CRD installed in the cluster.
     *
     * @throws KubernetesOperationException when the CRD is not installed or cannot be read
     */
    @SuppressWarnings("unchecked")
    public CrdSchema installedSchema() {
        CustomResourceDefinition crd;
        try {
            crd = client.apiextensions().v1().customResourceDefinitions().withName(EsoResources.EXTERNAL_SECRET_CRD)
                    .get();
        } catch (KubernetesClientException e) {
            throw new KubernetesOperationException("cannot read CRD " + EsoResources.EXTERNAL_SECRET_CRD + ": "
                    + EsoResources.describe(e));
        }
        if (crd == null) {
            throw new KubernetesOperationException("CRD " + EsoResources.EXTERNAL_SECRET_CRD + " is not installed; "
                    + "install External Secrets Operator first");
        }
        Map<String, Object> map = client.getKubernetesSerialization().convertValue(crd, Map.class);
        return ExternalSecretSchemas.fromCrd(map, "cluster CRD " + EsoResources.EXTERNAL_SECRET_CRD);
    }

    /** Key syntax from the provider configured in the cluster's store ({@code spec.provider.<key>}). */
    public ExternalSecretValidator.ProviderLookup providerLookup() {
        return (store, namespace, storeId) -> store(store, namespace)
                .map(ClusterValidation::providerKey)
                .map(ProviderKeySyntax::forEsoProvider)
                .orElse(null);
    }

    /** Dry-run applies each document and checks its store; one problem per failure. */
    public List<Problem> check(List<ExternalSecretDocument> documents) {
        List<Problem> problems = new ArrayList<>();
        for (ExternalSecretDocument document : documents) {
            String namespace = document.namespace() != null ? document.namespace()
                    : client.getNamespace() == null ? "default" : client.getNamespace();
            dryRun(document, namespace, problems);
            EsoStoreRef ref = document.storeRef();
            if (ref != null) {
                checkStore(document, ref, namespace, problems);
            }
        }
        return problems;
    }

    @SuppressWarnings("unchecked")
    private void dryRun(ExternalSecretDocument document, String namespace, List<Problem> problems) {
        Map<String, Object> resource = new LinkedHashMap<>(document.resource());
        resource.remove("status");
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) resource.getOrDefault("metadata",
                Map.of()));
        metadata.put("namespace", namespace);
        resource.put("metadata", metadata);
        GenericKubernetesResource desired = client.getKubernetesSerialization().convertValue(resource,
                GenericKubernetesResource.class);
        try {
            EsoResources.externalSecrets(client).inNamespace(namespace).resource(desired).dryRun()
                    .fieldManager(ExternalSecretSync.FIELD_MANAGER).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            problems.add(new Problem(document.location(), "the cluster rejected " + namespace + "/" + document.name()
                    + " in a server-side dry-run: " + EsoResources.describe(e)));
        }
    }

    private void checkStore(ExternalSecretDocument document, EsoStoreRef ref, String namespace,
                            List<Problem> problems) {
        Optional<GenericKubernetesResource> store = store(ref, namespace);
        String where = ref.isClusterStore() ? ref.kind() + " " + ref.name()
                : ref.kind() + " " + namespace + "/" + ref.name();
        if (store.isEmpty()) {
            problems.add(new Problem(document.location(), where + " does not exist in the cluster"));
            return;
        }
        ExternalSecretStatus status = ExternalSecretStatus.of(store.get());
        if (!status.isReady()) {
            problems.add(new Problem(document.location(), where + " is not ready: " + status.summary()
                    + (status.message() == null ? "" : ": " + status.message())));
        }
    }

    private Optional<GenericKubernetesResource> store(EsoStoreRef ref, String namespace) {
        String key = ref.isClusterStore() ? ref.kind() + "/" + ref.name() : ref.kind() + "/" + namespace + "/"
                + ref.name();
        return stores.computeIfAbsent(key, k -> {
            try {
                GenericKubernetesResource found = ref.isClusterStore()
                        ? client.genericKubernetesResources(EsoResources.CLUSTER_SECRET_STORE).withName(ref.name()).get()
                        : client.genericKubernetesResources(EsoResources.SECRET_STORE).inNamespace(namespace)
                                .withName(ref.name()).get();
                return Optional.ofNullable(found);
            } catch (KubernetesClientException e) {
                throw new KubernetesOperationException("cannot read " + k + ": " + EsoResources.describe(e));
            }
        });
    }

    private static String providerKey(GenericKubernetesResource store) {
        if (store.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                && spec.get("provider") instanceof Map<?, ?> provider && provider.size() == 1) {
            return String.valueOf(provider.keySet().iterator().next());
        }
        return null;
    }
}
