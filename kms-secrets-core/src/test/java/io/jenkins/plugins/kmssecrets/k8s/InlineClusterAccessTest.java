package io.jenkins.plugins.kmssecrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster access from a kubeconfig or token held in memory (a Jenkins credential), against the mock API server. */
class InlineClusterAccessTest {

    private final EsoApiServer server = EsoApiServer.shared();

    @TempDir
    Path dir;

    @Test
    /** The fixture's current context points nowhere; only the named one reaches the server. */
    void kubeconfigTextReachesTheNamedContext() throws IOException {
        String text = Files.readString(server.writeKubeconfig(dir.resolve("config"), "ci"));
        int http2Before = server.http2Requests();

        try (KubernetesClient client = InlineClusterAccess.kubeconfig(text, "ci", "credential kube")) {
            assertThat(client.getMasterUrl().toString()).startsWith(server.url());
            assertThat(client.apiextensions().v1().customResourceDefinitions()
                    .withName(EsoResources.EXTERNAL_SECRET_CRD).get()).isNotNull();
        }
        assertThat(server.http2Requests()).as("plain http stays on HTTP/1.1").isEqualTo(http2Before);
    }

    @Test
    void unknownContextIsAnErrorNamingTheSourceAndContexts() throws IOException {
        String text = Files.readString(server.writeKubeconfig(dir.resolve("config"), "ci"));

        Throwable thrown = catchThrowable(() -> InlineClusterAccess.kubeconfig(text, "prod", "credential kube"));

        assertThat(thrown).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("credential kube: no context 'prod'; contexts: ").hasMessageContaining("ci");
    }

    @Test
    void textThatIsNotAKubeconfigIsAnInputErrorWithoutItsContent() {
        Throwable thrown = catchThrowable(() -> InlineClusterAccess.kubeconfig("token: s3cr3t-kube-token\n", null,
                "credential kube"));

        assertThat(thrown).isInstanceOf(InvalidInputException.class)
                .hasMessage("credential kube: not a kubeconfig (no 'clusters' list)");
        assertThat(thrown.getMessage()).doesNotContain("s3cr3t-kube-token");
    }

    @Test
    void serverAndTokenConfigureTheClientWithoutPrintingTheToken() {
        try (KubernetesClient client = InlineClusterAccess.server("https://10.0.0.1:6443", " tok-123\n")) {
            assertThat(client.getMasterUrl().toString()).isEqualTo("https://10.0.0.1:6443/");
            assertThat(client.getConfiguration().getOauthToken()).isEqualTo("tok-123");
        }
    }

    @Test
    void plainHttpServerOrEmptyTokenIsRefused() {
        assertThat(catchThrowable(() -> InlineClusterAccess.server("http://10.0.0.1", "t")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be an https:// URL");
        assertThat(catchThrowable(() -> InlineClusterAccess.server("https://10.0.0.1", " ")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is empty");
    }
}
