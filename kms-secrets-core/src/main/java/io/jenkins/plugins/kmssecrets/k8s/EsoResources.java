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
    public static String describe(KubernetesClientException e) {
        if (isUnreachable(e)) {
            // Name the most telling cause (refused, unknown host, TLS, timeout), else the deepest one.
            Throwable cause = e;
            Throwable telling = null;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
                if (telling == null && (cause instanceof java.net.ConnectException
                        || cause instanceof java.net.UnknownHostException || cause instanceof javax.net.ssl.SSLException
                        || cause instanceof java.net.http.HttpTimeoutException)) {
                    telling = cause;
                }
            }
            // A fixed phrase (a timeout names its phase, limit and setting), else the exception type.
            String phrase = io.jenkins.plugins.kmssecrets.store.ConnectionFailure.phrase(e);
            return "cannot reach the API server (" + (phrase != null ? phrase
                    : (telling != null ? telling : cause).getClass().getSimpleName()) + ")";
        }
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : "HTTP " + e.getCode();
        return ExternalSecretStatus.oneLine(message);
    }

    /** Whether the call never got an HTTP answer (connection refused, DNS, TLS, timeout). */
    static boolean isUnreachable(KubernetesClientException e) {
        return e.getCode() <= 0 && (e.getStatus() == null || e.getStatus().getCode() == null
                || e.getStatus().getCode() <= 0);
    }

    /**
     * Checks before a sync that the API server answers and ESO's CRD is installed. An identity that may not read
     * CRDs (HTTP 403) is let through: the applies will tell.
     *
     * @throws KubernetesOperationException when the server cannot be reached or ESO is not installed
     */
    static void preflight(KubernetesClient client) {
        try {
            if (client.apiextensions().v1().customResourceDefinitions().withName(EXTERNAL_SECRET_CRD).get() == null) {
                throw new KubernetesOperationException("CRD " + EXTERNAL_SECRET_CRD + " is not installed in "
                        + client.getMasterUrl() + "; install External Secrets Operator first");
            }
        } catch (KubernetesClientException e) {
            if (isUnreachable(e)) {
                throw new KubernetesOperationException(client.getMasterUrl() + ": " + describe(e));
            }
        }
    }

    private static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("external-secrets.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
    }
}
