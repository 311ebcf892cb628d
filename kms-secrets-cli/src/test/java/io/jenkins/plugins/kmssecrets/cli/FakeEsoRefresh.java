package io.jenkins.plugins.kmssecrets.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.eso.EsoNames;
import io.jenkins.plugins.kmssecrets.k8s.EsoResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** ESO's answer to a forced refresh, played by a test: the generated Secret gets the value, the resource a status. */
final class FakeEsoRefresh {

    private FakeEsoRefresh() {
    }

    /**
     * Waits (at most 15 s) until the ExternalSecret's force-sync annotation changes, then writes {@code password()}
     * as the Secret's {@code password} key and a synced status; returns without doing so when the wait ends first.
     */
    static void answerForcedRefresh(KubernetesClient client, String namespace, String name, Supplier<String> password) {
        var resource = EsoResources.externalSecrets(client).inNamespace(namespace).withName(name);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String before = forceSync(resource.get());
        while (System.nanoTime() < deadline) {
            String forced = forceSync(resource.get());
            if (forced != null && !forced.equals(before)) {
                client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                        .withName(name).withNamespace(namespace).endMetadata()
                        .withData(Map.of("password", Base64.getEncoder().encodeToString(
                                password.get().getBytes(StandardCharsets.UTF_8)))).build()).createOr(s -> s.update());
                resource.editStatus(r -> {
                    r.getAdditionalProperties().put("status", Map.of("refreshTime",
                            Instant.now().plusSeconds(1).toString(), "syncedResourceVersion", "v-" + System.nanoTime(),
                            "conditions", List.of(Map.of("type", "Ready", "status", "True", "reason", "SecretSynced",
                                    "message", "secret synced"))));
                    return r;
                });
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String forceSync(GenericKubernetesResource resource) {
        Map<String, String> annotations = resource == null ? null : resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(EsoNames.FORCE_SYNC_ANNOTATION);
    }
}
