package io.jenkins.plugins.kmssecrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import io.jenkins.plugins.kmssecrets.testing.k8s.FakeEsoController;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Metadata-only reads of a Secret. */
class SecretMetadataReaderTest {

    private final EsoApiServer server = EsoApiServer.shared();

    @Test
    void readsLabelsAndAsksForPartialMetadataOnly() {
        String ns = ExternalSecretSyncTest.namespace();
        server.client().secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("db")
                .addToLabels("team", "netbox").endMetadata()
                .addToData("password", Base64.getEncoder().encodeToString(
                        FakeEsoController.SENTINEL.getBytes(StandardCharsets.UTF_8))).build()).create();
        int readsBefore = server.secretReadAcceptHeaders().size();

        SecretMetadataReader.SecretMetadata metadata = new SecretMetadataReader(server.client(), Duration.ofSeconds(5))
                .read(ns, "db");

        assertThat(metadata.exists()).isTrue();
        assertThat(metadata.labels()).containsExactly(java.util.Map.entry("team", "netbox"));
        assertThat(metadata.toString()).doesNotContain(FakeEsoController.SENTINEL).doesNotContain("password");
        assertThat(server.secretReadAcceptHeaders().subList(readsBefore, server.secretReadAcceptHeaders().size()))
                .containsExactly(SecretMetadataReader.PARTIAL_METADATA);
    }

    @Test
    void missingSecretIsReportedAsAbsent() {
        SecretMetadataReader.SecretMetadata metadata = new SecretMetadataReader(server.client(), Duration.ofSeconds(5))
                .read(ExternalSecretSyncTest.namespace(), "nothing-here");

        assertThat(metadata.exists()).isFalse();
    }
}
