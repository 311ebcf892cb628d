package io.jenkins.plugins.kmssecrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three ways to reach a cluster, each against the mock API server. */
class ClusterAccessTest {

    private final EsoApiServer server = EsoApiServer.shared();

    @TempDir
    Path dir;

    @Test
    void kubeconfigContextIsUsed() throws IOException {
        Path kubeconfig = server.writeKubeconfig(dir.resolve("config"), "ci");

        ClusterAccess access = ClusterAccess.kubeconfig(kubeconfig, "ci");

        try (KubernetesClient client = access.connect()) {
            assertThat(client.getMasterUrl().toString()).startsWith(server.url());
            assertThat(client.apiextensions().v1().customResourceDefinitions()
                    .withName(EsoResources.EXTERNAL_SECRET_CRD).get()).isNotNull();
        }
        assertThat(access.description()).endsWith("context ci").doesNotContain("not-a-real-token");
    }

    @Test
    void defaultKubeconfigComesFromKubeconfigVariableThenTheCallersHome() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home/.kube")).getParent();
        server.writeKubeconfig(home.resolve(".kube/config"), "from-home");
        Path named = server.writeKubeconfig(dir.resolve("named"), "from-variable");

        assertThat(ClusterAccess.defaultKubeconfig(Map.of("HOME", home.toString()), "from-home").description())
                .isEqualTo("kubeconfig " + home.resolve(".kube/config") + " context from-home");
        assertThat(ClusterAccess.defaultKubeconfig(Map.of("HOME", home.toString(), "KUBECONFIG",
                named + java.io.File.pathSeparator + "/elsewhere"), "from-variable").description())
                .isEqualTo("kubeconfig " + named + " context from-variable");
        assertThat(catchThrowable(() -> ClusterAccess.defaultKubeconfig(Map.of("HOME", dir.toString()), null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(dir.resolve(".kube/config").toString());
    }

    /**
     * Clients stay on HTTP/1.1: over HTTP/2 (here an h2c upgrade) a large body could stall with no timeout to end
     * it.
     */
    @Test
    void clustersAreSpokenToOverHttp11() throws IOException {
        Path kubeconfig = server.writeKubeconfig(dir.resolve("config"), "ci");
        Path token = Files.writeString(dir.resolve("token"), "tok-123\n");
        int before = server.http2Requests();

        for (ClusterAccess access : List.of(ClusterAccess.kubeconfig(kubeconfig, "ci"),
                ClusterAccess.server(server.url(), token, null))) {
            try (KubernetesClient client = access.connect()) {
                assertThat(client.apiextensions().v1().customResourceDefinitions()
                        .withName(EsoResources.EXTERNAL_SECRET_CRD).get()).isNotNull();
            }
        }

        assertThat(server.http2Requests() - before).isZero();
        try (KubernetesClient client = ClusterAccess.server("https://cluster.example:6443", null, null).connect()) {
            assertThat(client.getConfiguration().isHttp2Disable()).as("https too").isTrue();
        }
    }

    @Test
    void unknownKubeconfigContextIsAnInputError() throws IOException {
        Path kubeconfig = server.writeKubeconfig(dir.resolve("config"), "ci");

        Throwable thrown = catchThrowable(() -> ClusterAccess.kubeconfig(kubeconfig, "nope"));

        assertThat(thrown).isInstanceOf(InvalidInputException.class).hasMessageContaining("context 'nope'");
    }

    @Test
    void serverWithTokenFileConnects() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "tok-123\n");

        ClusterAccess access = ClusterAccess.server(server.url(), token, null);

        try (KubernetesClient client = access.connect()) {
            assertThat(client.getConfiguration().getOauthToken()).isEqualTo("tok-123");
            assertThat(client.apiextensions().v1().customResourceDefinitions()
                    .withName(EsoResources.EXTERNAL_SECRET_CRD).get()).isNotNull();
        }
        assertThat(access.toString()).isEqualTo("server " + server.url());
    }

    @Test
    void tokenOverPlainHttpToANonLoopbackHostIsRefused() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "tok-123\n");

        Throwable thrown = catchThrowable(() -> ClusterAccess.server("http://cluster.example:6443", token, null));

        assertThat(thrown).isInstanceOf(InvalidInputException.class)
                .hasMessage("refusing to send the bearer token over plain http to http://cluster.example:6443: "
                        + "use https:// (http is allowed for loopback only)")
                .hasMessageNotContaining("tok-123");
    }

    @Test
    void tokenOverPlainHttpToLoopbackAndHttpsElsewhereAreAccepted() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "tok-123\n");

        assertThat(ClusterAccess.server("http://127.0.0.1:6443", token, null).description())
                .isEqualTo("server http://127.0.0.1:6443");
        assertThat(ClusterAccess.server("http://localhost:6443", token, null).description())
                .isEqualTo("server http://localhost:6443");
        assertThat(ClusterAccess.server("https://cluster.example:6443", token, null).description())
                .isEqualTo("server https://cluster.example:6443");
    }

    @Test
    void inClusterReadsTheMountedServiceAccount() throws IOException {
        Files.writeString(dir.resolve("token"), "sa-token");
        Files.writeString(dir.resolve("namespace"), "ci-jobs");

        ClusterAccess access = ClusterAccess.inCluster(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1",
                "KUBERNETES_SERVICE_PORT", "6443"), dir);

        try (KubernetesClient client = access.connect()) {
            assertThat(client.getMasterUrl().toString()).isEqualTo("https://10.0.0.1:6443/");
            assertThat(client.getNamespace()).isEqualTo("ci-jobs");
        }
    }

    @Test
    void inClusterOutsideAPodIsMisconfigured() {
        Throwable thrown = catchThrowable(() -> ClusterAccess.inCluster(Map.of(), dir));

        assertThat(thrown).isInstanceOf(MisconfiguredException.class).hasMessageContaining("not running in a "
                + "Kubernetes pod");
    }
}
