package io.jenkins.plugins.kmssecrets.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The ESO resource types kms-secrets talks to, addressed without API discovery.
 *
 * @since 0.1.0
 */
public final class EsoResources {

    /** {@code externalsecrets.external-secrets.io/v1}. */
    public static final ResourceDefinitionContext EXTERNAL_SECRET = context("ExternalSecret", "externalsecrets", true);
    /** {@code secretstores.external-secrets.io/v1}. */
    public static final ResourceDefinitionContext SECRET_STORE = context("SecretStore", "secretstores", true);
    /** {@code clustersecretstores.external-secrets.io/v1}. */
    public static final ResourceDefinitionContext CLUSTER_SECRET_STORE =
            context("ClusterSecretStore", "clustersecretstores", false);
    /** The name of the ExternalSecret CRD. */
    public static final String EXTERNAL_SECRET_CRD = "externalsecrets.external-secrets.io";

    private EsoResources() {
    }

    /** ExternalSecrets. */
    public static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> externalSecrets(KubernetesClient client) {
        return client.genericKubernetesResources(EXTERNAL_SECRET);
    }

    /** One line describing a failed call: the API server's status message, never a body. */
    static String describe(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getCode() > 0 ? "HTTP " + e.getCode() : e.getClass().getSimpleName();
        return ExternalSecretStatus.oneLine(message);
    }

    private static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("external-secrets.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
    }
}
