package io.jenkins.plugins.kmssecrets.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.eso.EsoNames;
import io.jenkins.plugins.kmssecrets.k8s.EsoResources;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Planning and pushing a rotation against the mock API server in CRUD mode: two namespaces, three ExternalSecrets
 * that read the rotated secret (one through {@code dataFrom.find}), one that reads only another property, one that
 * reads another secret, and two Deployments that consume the generated Secrets.
 */
class RotationClusterTest {

    private static final AtomicInteger UNIQUE = new AtomicInteger();
    private static final String NEW_VALUE = "n3w-r0tated-VALUE-never-print";
    private static final String OLD_VALUE = "0ld-VALUE-never-print";
    private static final RotatedSecret SECRET = new RotatedSecret("akv-prod", "netbox-db", "password",
            Map.of("env", "prod"));

    private final EsoApiServer server = EsoApiServer.shared();
    private final KubernetesClient client = server.client();
    private final List<String> progress = new CopyOnWriteArrayList<>();
    private final RotationPlanner planner = new RotationPlanner(new ExternalSecretReferences(
            ref -> ref.name().equals("azure-store") ? "akv-prod" : null));
    private String a;
    private String b;

    @BeforeEach
    void cluster() {
        int n = UNIQUE.incrementAndGet();
        a = "rotate-a-" + n;
        b = "rotate-b-" + n;
        externalSecret(a, "db", """
                  annotations: {kms-secrets.io/store: akv-prod}
                spec:
                  secretStoreRef: {name: other-store}
                  target: {name: db-secret}
                  data:
                    - secretKey: password
                      remoteRef: {key: netbox-db, property: password}
                """);
        externalSecret(a, "db-user", """
                  annotations: {kms-secrets.io/store: akv-prod}
                spec:
                  data:
                    - secretKey: user
                      remoteRef: {key: netbox-db, property: username}
                """);
        externalSecret(a, "api", """
                  annotations: {kms-secrets.io/store: akv-prod}
                spec:
                  data:
                    - secretKey: token
                      remoteRef: {key: netbox-api}
                """);
        externalSecret(b, "db-all", """
                spec:
                  secretStoreRef: {name: azure-store, kind: ClusterSecretStore}
                  dataFrom:
                    - extract: {key: netbox-db}
                """);
        externalSecret(b, "prod-secrets", """
                spec:
                  secretStoreRef: {name: azure-store, kind: ClusterSecretStore}
                  dataFrom:
                    - find: {tags: {env: prod}}
                """);
        secret(a, "db-secret", OLD_VALUE);
        deployment(a, "app-a", "db-secret", true);
        deployment(a, "unrelated", "api", true);
        deployment(b, "app-b", "db-all", false);
    }

    @Test
    void planListsExactlyTheConsumersAndTheirWorkloads() {
        RotationPlan plan = planner.plan(SECRET, List.of(), client, Set.of(a, b));

        assertThat(plan.live()).extracting(ExternalSecretConsumer::id)
                .containsExactly(a + "/db", a + "/db-user", b + "/db-all", b + "/prod-secrets");
        assertThat(plan.affectedLive()).extracting(ExternalSecretConsumer::id)
                .containsExactly(a + "/db", b + "/db-all", b + "/prod-secrets");
        assertThat(plan.live().get(1).uses()).singleElement().extracting(ExternalSecretUse::affected)
                .isEqualTo(false);
        assertThat(plan.live().get(3).uses()).extracting(ExternalSecretUse::via)
                .containsExactly(ExternalSecretUse.FIND);
        assertThat(plan.workloads()).extracting(WorkloadConsumer::id, WorkloadConsumer::needsRestart)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Deployment/" + a + "/app-a", true),
                        org.assertj.core.groups.Tuple.tuple("Deployment/" + b + "/app-b", false));
        assertThat(plan.workloads().get(0).usages()).containsExactly("env DB_PASSWORD <- password (container app)");
        assertThat(plan.warnings()).noneMatch(w -> w.contains(a) || w.contains(b));
    }

    @Test
    void pushSetsForceSyncAndWaitsUntilTheSecretHoldsTheNewValueWithoutRestartingUnasked() throws Exception {
        RotationPlan plan = planner.plan(SECRET, List.of(), client, Set.of(a, b));
        Thread eso = esoFlipsStatusAfterForceSync(List.of(a + "/db", b + "/db-all", b + "/prod-secrets"));

        List<RotationStep> steps = rollout(false).push(plan, this::expectedDigest);
        eso.join(10_000);

        assertThat(steps).as(steps.toString())
                .extracting(s -> s.namespace() + "/" + s.name(), RotationStep::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(a + "/db", RotationStep.Outcome.SYNCED),
                org.assertj.core.groups.Tuple.tuple(b + "/db-all", RotationStep.Outcome.SYNCED),
                org.assertj.core.groups.Tuple.tuple(b + "/prod-secrets", RotationStep.Outcome.SYNCED),
                org.assertj.core.groups.Tuple.tuple(a + "/app-a", RotationStep.Outcome.RESTART_NEEDED),
                org.assertj.core.groups.Tuple.tuple(b + "/app-b", RotationStep.Outcome.UPDATED_IN_PLACE));
        assertThat(steps.get(0).detail()).contains("db-secret holds the new value (password, compared by SHA-256)");
        for (String id : List.of(a + "/db", b + "/db-all", b + "/prod-secrets")) {
            assertThat(annotations(id)).containsKey(EsoNames.FORCE_SYNC_ANNOTATION);
        }
        assertThat(annotations(a + "/db-user")).doesNotContainKey(EsoNames.FORCE_SYNC_ANNOTATION);
        assertThat(templateAnnotations(a, "app-a")).doesNotContainKey(RotationRollout.RESTARTED_AT);
        assertThat(progress).contains("namespace " + a + ": pushing the new value", "namespace " + b
                + ": pushing the new value");
        assertNoValueIn(steps);
    }

    @Test
    void restartAnnotatesOnlyWorkloadsThatKeepTheOldValueAndWaitsForTheRollout() throws Exception {
        RotationPlan plan = planner.plan(SECRET, List.of(), client, Set.of(a, b));
        Thread eso = esoFlipsStatusAfterForceSync(List.of(a + "/db", b + "/db-all", b + "/prod-secrets"));
        Thread controller = rolloutFinishesAfterRestart(a, "app-a");

        List<RotationStep> steps = rollout(true).push(plan, this::expectedDigest);
        eso.join(10_000);
        controller.join(10_000);

        assertThat(steps).filteredOn(s -> s.kind().equals("Deployment"))
                .extracting(RotationStep::name, RotationStep::outcome).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("app-a", RotationStep.Outcome.RESTARTED),
                        org.assertj.core.groups.Tuple.tuple("app-b", RotationStep.Outcome.UPDATED_IN_PLACE));
        assertThat(templateAnnotations(a, "app-a")).containsKey(RotationRollout.RESTARTED_AT);
        assertThat(templateAnnotations(b, "app-b")).doesNotContainKey(RotationRollout.RESTARTED_AT);
        assertThat(templateAnnotations(a, "unrelated")).doesNotContainKey(RotationRollout.RESTARTED_AT);
        assertThat(progress).anyMatch(line -> line.startsWith("Deployment/" + a + "/app-a: waiting"));
    }

    @Test
    void aSecretThatKeepsTheOldValueTimesOutNamingTheKeyNotTheValue() {
        RotationPlan plan = planner.plan(new RotatedSecret("akv-prod", "netbox-db", "password", Map.of()),
                List.of(), client, Set.of(a));
        RotationPlan onlyDb = new RotationPlan(plan.secret(), List.of(),
                plan.live().stream().filter(c -> c.id().equals(a + "/db")).toList(), List.of(), List.of(), true);
        // ESO "refreshes" but the Secret still holds the old value: the wait must not call it synced.
        Thread eso = esoFlipsStatusAfterForceSync(List.of(a + "/db"), OLD_VALUE);

        List<RotationStep> steps = new RotationRollout(client, new RotationRollout.Options(Duration.ofMillis(600),
                Duration.ofMillis(20), Duration.ofMillis(100), false, 1), Clock.systemUTC(), progress::add)
                .push(onlyDb, this::expectedDigest);

        assertThat(steps).singleElement().satisfies(step -> {
            assertThat(step.outcome()).isEqualTo(RotationStep.Outcome.TIMED_OUT);
            assertThat(step.detail()).contains("db-secret does not hold the new value yet (password differs)");
        });
        assertNoValueIn(steps);
        try {
            eso.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RotationRollout rollout(boolean restart) {
        return new RotationRollout(client, new RotationRollout.Options(Duration.ofSeconds(8), Duration.ofMillis(20),
                Duration.ofMillis(100), restart, 2), Clock.systemUTC(), progress::add);
    }

    private byte[] expectedDigest(ExternalSecretConsumer consumer, ExternalSecretUse use) {
        return "password".equals(use.property()) ? SecretKeyDigest.sha256(NEW_VALUE.getBytes(StandardCharsets.UTF_8))
                : null;
    }

    private void assertNoValueIn(List<RotationStep> steps) {
        RotationReport report = new RotationReport(SECRET.describe(), "v1", "v2", steps, List.of());
        for (String text : List.of(report.toTable(), report.toJson(), report.toJunitXml(), String.join("\n", progress),
                steps.toString())) {
            assertThat(text).doesNotContain(NEW_VALUE).doesNotContain(OLD_VALUE)
                    .doesNotContain(Base64.getEncoder().encodeToString(NEW_VALUE.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Plays ESO: once each ExternalSecret carries force-sync, writes its Secret and a fresh Ready status. */
    private Thread esoFlipsStatusAfterForceSync(List<String> ids) {
        return esoFlipsStatusAfterForceSync(ids, NEW_VALUE);
    }

    private Thread esoFlipsStatusAfterForceSync(List<String> ids, String value) {
        Thread thread = new Thread(() -> {
            List<String> pending = new ArrayList<>(ids);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (String id : List.copyOf(pending)) {
                    String[] parts = id.split("/");
                    var resource = EsoResources.externalSecrets(client).inNamespace(parts[0]).withName(parts[1]);
                    GenericKubernetesResource es = resource.get();
                    if (es.getMetadata().getAnnotations() == null
                            || !es.getMetadata().getAnnotations().containsKey(EsoNames.FORCE_SYNC_ANNOTATION)) {
                        continue;
                    }
                    secret(parts[0], ExternalSecretReferences.targetSecret(
                            client.getKubernetesSerialization().convertValue(es, Map.class)), value);
                    resource.editStatus(r -> {
                        r.getAdditionalProperties().put("status", Map.of(
                                "refreshTime", Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString(),
                                "syncedResourceVersion", "synced-" + System.nanoTime(),
                                "conditions", List.of(Map.of("type", "Ready", "status", "True",
                                        "reason", "SecretSynced", "message", "secret synced"))));
                        return r;
                    });
                    pending.remove(id);
                }
                sleep();
            }
        }, "fake-eso");
        thread.start();
        return thread;
    }

    /** Plays the Deployment controller: once the restart annotation lands, reports the rollout finished. */
    private Thread rolloutFinishesAfterRestart(String namespace, String name) {
        Thread thread = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            var resource = client.apps().deployments().inNamespace(namespace).withName(name);
            while (System.nanoTime() < deadline) {
                Deployment deployment = resource.get();
                if (templateAnnotationsOf(deployment).containsKey(RotationRollout.RESTARTED_AT)) {
                    long generation = deployment.getMetadata().getGeneration() == null ? 0
                            : deployment.getMetadata().getGeneration();
                    resource.editStatus(d -> {
                        d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(generation)
                                .withReplicas(1).withUpdatedReplicas(1).withAvailableReplicas(1).build());
                        return d;
                    });
                    return;
                }
                sleep();
            }
        }, "fake-deployment-controller");
        thread.start();
        return thread;
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, String> annotations(String id) {
        String[] parts = id.split("/");
        Map<String, String> annotations = EsoResources.externalSecrets(client).inNamespace(parts[0])
                .withName(parts[1]).get().getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    private Map<String, String> templateAnnotations(String namespace, String name) {
        return templateAnnotationsOf(client.apps().deployments().inNamespace(namespace).withName(name).get());
    }

    private static Map<String, String> templateAnnotationsOf(Deployment deployment) {
        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata() == null ? null
                : deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    @SuppressWarnings("unchecked")
    private void externalSecret(String namespace, String name, String rest) {
        Map<String, Object> resource = (Map<String, Object>) new Yaml().load("""
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata:
                  name: %s
                  namespace: %s
                """.formatted(name, namespace) + rest);
        EsoResources.externalSecrets(client).inNamespace(namespace).resource(
                client.getKubernetesSerialization().convertValue(new LinkedHashMap<>(resource),
                        GenericKubernetesResource.class)).create();
    }

    private void secret(String namespace, String name, String value) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).endMetadata()
                .withData(Map.of("password", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))))
                .build()).createOr(existing -> existing.update());
    }

    private void deployment(String namespace, String name, String secret, boolean env) {
        io.fabric8.kubernetes.api.model.ContainerBuilder container = new io.fabric8.kubernetes.api.model
                .ContainerBuilder().withName("app").withImage("app:1");
        List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
        if (env) {
            container.addNewEnv().withName("DB_PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", secret,
                    false).endValueFrom().endEnv();
        } else {
            container.addNewVolumeMount().withName("db").withMountPath("/etc/db").endVolumeMount();
            volumes.add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("db").withNewSecret()
                    .withSecretName(secret).endSecret().build());
        }
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .endMetadata().withNewSpec().withReplicas(1).withNewTemplate().withNewMetadata().endMetadata()
                .withNewSpec().withContainers(container.build()).withVolumes(volumes).endSpec().endTemplate()
                .endSpec().withNewStatus().withReplicas(1).withUpdatedReplicas(1).withAvailableReplicas(1)
                .withObservedGeneration(1L).endStatus().build();
        client.apps().deployments().inNamespace(namespace).resource(deployment).create();
    }
}
