package io.jenkins.plugins.kmssecrets.testing.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.kmssecrets.k8s.EsoResources;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays External Secrets Operator against an {@link EsoApiServer}: watches ExternalSecrets and, for each new
 * generation/labels/annotations (ESO's {@code syncedResourceVersion}), writes the target Secret (with the
 * {@link #SENTINEL} value in its data) and sets {@code status}. Variants fail with {@code SecretSyncedError}, answer
 * late after first showing a stale {@code Ready=True}, or never answer.
 */
public final class FakeEsoController implements AutoCloseable {

    /** A value that must never appear in any output, report or exception of kms-secrets. */
    public static final String SENTINEL = "s3ntinel-VALUE-never-print-9f2c";

    /** How the controller behaves. */
    public enum Mode {
        /** Syncs at once. */
        SYNC,
        /** Reports {@code Ready=False}, reason {@code SecretSyncedError}. */
        ERROR,
        /** First re-posts a stale {@code Ready=True} status, then syncs after a short delay. */
        SLOW,
        /** Never writes a status. */
        NEVER_READY,
        /**
         * Holds every sync until ExternalSecrets in two different namespaces have been applied, so a sync completes
         * only if two namespaces are in flight at once (safety net: after {@link #GATE_TIMEOUT_SECONDS} it syncs
         * anyway, and the caller sees that only one was in flight).
         */
        TWO_NAMESPACES_AT_ONCE
    }

    /** How long {@link Mode#TWO_NAMESPACES_AT_ONCE} waits for the second namespace before giving up. */
    public static final int GATE_TIMEOUT_SECONDS = 5;

    private final KubernetesClient client;
    private final Mode mode;
    private final Watch watch;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final AtomicInteger syncs = new AtomicInteger();
    private final AtomicInteger staleWrites = new AtomicInteger();

    private final Set<String> namespaces;
    // Touched only on the single scheduler thread.
    private final Set<String> appliedNamespaces = new java.util.HashSet<>();
    private final List<Runnable> held = new ArrayList<>();

    /**
     * Starts watching. Only ExternalSecrets in {@code namespaces} are reconciled, so a controller never touches what
     * other tests left on the shared server.
     */
    public FakeEsoController(EsoApiServer server, Mode mode, String... namespaces) {
        this.client = server.newClient();
        this.mode = mode;
        this.namespaces = Set.of(namespaces);
        this.watch = EsoResources.externalSecrets(client).inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, GenericKubernetesResource resource) {
                if ((action == Action.ADDED || action == Action.MODIFIED)
                        && FakeEsoController.this.namespaces.contains(resource.getMetadata().getNamespace())) {
                    scheduler.execute(() -> reconcile(resource));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    /** How many times the controller synced an ExternalSecret. */
    public int syncs() {
        return syncs.get();
    }

    /** How many stale statuses the SLOW variant wrote. */
    public int staleWrites() {
        return staleWrites.get();
    }

    /** ESO's notion of the version it synced: generation plus a hash of labels and annotations. */
    public static String versionOf(GenericKubernetesResource resource) {
        Long generation = resource.getMetadata().getGeneration();
        Map<String, String> meta = new TreeMap<>();
        if (resource.getMetadata().getLabels() != null) {
            resource.getMetadata().getLabels().forEach((k, v) -> meta.put("l:" + k, v));
        }
        if (resource.getMetadata().getAnnotations() != null) {
            resource.getMetadata().getAnnotations().forEach((k, v) -> meta.put("a:" + k, v));
        }
        return (generation == null ? 0 : generation) + "-" + Integer.toHexString(meta.hashCode());
    }

    private void reconcile(GenericKubernetesResource resource) {
        String version = versionOf(resource);
        String id = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName() + "@" + version;
        if (version.equals(syncedVersion(resource)) || !handled.add(id)) {
            return;
        }
        switch (mode) {
            case SYNC -> sync(resource, version);
            case ERROR -> writeStatus(resource, syncedVersion(resource), false, "False", "SecretSyncedError",
                    "could not get secret data from provider");
            case SLOW -> {
                staleWrites.incrementAndGet();
                writeStatus(resource, syncedVersion(resource), false, "True", "SecretSynced", "secret synced");
                scheduler.schedule(() -> sync(resource, version), 150, TimeUnit.MILLISECONDS);
            }
            case NEVER_READY -> {
            }
            case TWO_NAMESPACES_AT_ONCE -> {
                appliedNamespaces.add(resource.getMetadata().getNamespace());
                held.add(() -> sync(resource, version));
                if (appliedNamespaces.size() >= 2) {
                    openGate();
                } else {
                    scheduler.schedule(this::openGate, GATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
            }
        }
    }

    private void openGate() {
        List<Runnable> release = new ArrayList<>(held);
        held.clear();
        release.forEach(Runnable::run);
    }

    @SuppressWarnings("unchecked")
    private void sync(GenericKubernetesResource resource, String version) {
        Map<String, Object> spec = (Map<String, Object>) resource.getAdditionalProperties().get("spec");
        Map<String, Object> target = spec == null ? null : (Map<String, Object>) spec.get("target");
        String secretName = target != null && target.get("name") != null ? String.valueOf(target.get("name"))
                : resource.getMetadata().getName();
        Map<String, String> data = new LinkedHashMap<>();
        if (spec != null && spec.get("data") instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> e) {
                    data.put(String.valueOf(e.get("secretKey")),
                            Base64.getEncoder().encodeToString(SENTINEL.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        Secret secret = new SecretBuilder().withNewMetadata().withName(secretName)
                .withNamespace(resource.getMetadata().getNamespace())
                .addToLabels("reconcile.external-secrets.io/managed", "true").endMetadata()
                .withData(data).build();
        // Server-side apply: no read of the Secret, so every Secret read the server records is kms-secrets' own.
        client.secrets().inNamespace(resource.getMetadata().getNamespace()).resource(secret)
                .fieldManager("external-secrets").forceConflicts().serverSideApply();
        writeStatus(resource, version, true, "True", "SecretSynced", "secret synced");
        syncs.incrementAndGet();
    }

    /** A stale status ({@code refreshed == false}) keeps the old refresh time, as a status from before would. */
    private void writeStatus(GenericKubernetesResource resource, String version, boolean refreshed, String ready,
                             String reason, String message) {
        Map<String, Object> status = new LinkedHashMap<>();
        if (refreshed) {
            status.put("refreshTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        if (version != null) {
            status.put("syncedResourceVersion", version);
        }
        List<Object> conditions = new ArrayList<>();
        conditions.add(Map.of("type", "Ready", "status", ready, "reason", reason, "message", message));
        status.put("conditions", conditions);
        EsoResources.externalSecrets(client).inNamespace(resource.getMetadata().getNamespace())
                .withName(resource.getMetadata().getName()).editStatus(r -> {
                    r.getAdditionalProperties().put("status", status);
                    return r;
                });
    }

    @SuppressWarnings("unchecked")
    private static String syncedVersion(GenericKubernetesResource resource) {
        Object status = resource.getAdditionalProperties().get("status");
        return status instanceof Map<?, ?> map && map.get("syncedResourceVersion") != null
                ? String.valueOf(((Map<String, Object>) map).get("syncedResourceVersion")) : null;
    }

    @Override
    public void close() {
        watch.close();
        scheduler.shutdownNow();
        client.close();
    }
}
