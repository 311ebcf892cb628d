package io.jenkins.plugins.kmssecrets.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kmssecrets.eso.EsoNames;
import io.jenkins.plugins.kmssecrets.eso.EsoStoreRef;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDocument;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Applies ExternalSecrets to a cluster and waits until ESO has synced each of them.
 *
 * <ol>
 *   <li>Reads the resource's {@code status.syncedResourceVersion} before touching it.</li>
 *   <li>Server-side applies it (field manager {@code kms-secrets}) with the annotation
 *       {@code force-sync=<time>}, which makes ESO refresh at once.</li>
 *   <li>Polls until ESO reports a <em>fresh</em> sync: {@code syncedResourceVersion} differs from step 1 (or
 *       {@code refreshTime} is later than the force time) and condition {@code Ready=True}. A status that is missing
 *       or left over from before the apply is not success; {@code Ready=False} with reason {@code SecretSyncedError}
 *       fails at once with ESO's message, unless it is the very condition seen before the apply (then it fails only
 *       at the timeout, in case ESO clears it); each resource has its own timeout.</li>
 *   <li>Confirms the generated Secret exists and carries {@code reconcile.external-secrets.io/managed=true}, reading
 *       its metadata only (never its data).</li>
 * </ol>
 * Namespaces are synced in parallel on a bounded pool; resources of one namespace one after another. With
 * {@code prune}, ExternalSecrets labelled as managed by kms-secrets for the app but no longer declared are deleted
 * (or listed, with {@code dryRun}).
 *
 * @since 0.1.0
 */
public final class ExternalSecretSync {

    /** The field manager of every apply. */
    public static final String FIELD_MANAGER = "kms-secrets";

    /**
     * How to sync.
     *
     * @param app              the app whose resources {@code prune} may delete; required for prune
     * @param timeout          how long to wait for each resource
     * @param parallelism      how many namespaces at once (at least 1)
     * @param pollInterval     how often to read the status while waiting
     * @param progressInterval how often to print a line for a resource whose state did not change
     * @param prune            delete managed ExternalSecrets of {@code app} that are no longer declared
     * @param dryRun           server-side dry-run only: nothing is changed and nothing is waited for
     */
    public record Options(String app, Duration timeout, int parallelism, Duration pollInterval,
                          Duration progressInterval, boolean prune, boolean dryRun) {

        public Options {
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(progressInterval, "progressInterval");
            parallelism = Math.max(1, parallelism);
        }
    }

    /** Receives progress lines while syncing (from several threads). */
    @FunctionalInterface
    public interface Progress {
        void line(String text);
    }

    private final KubernetesClient client;
    private final Options options;
    private final Clock clock;
    private final Progress progress;
    private final SecretMetadataReader secrets;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();

    public ExternalSecretSync(KubernetesClient client, Options options, Clock clock, Progress progress) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.progress = progress == null ? line -> { } : progress;
        this.secrets = new SecretMetadataReader(client, Duration.ofSeconds(30));
    }

    /** Syncs {@code documents} and, if asked, prunes; returns one result per resource. */
    public SyncReport sync(List<ExternalSecretDocument> documents) {
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        Map<String, List<ExternalSecretDocument>> byNamespace = new TreeMap<>();
        for (ExternalSecretDocument document : documents) {
            byNamespace.computeIfAbsent(namespaceOf(document), k -> new ArrayList<>()).add(document);
        }
        List<SyncResult> results = Collections.synchronizedList(new ArrayList<>());
        EsoResources.preflight(client);
        if (!byNamespace.isEmpty()) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.parallelism(), byNamespace.size()),
                    runnable -> {
                        Thread thread = new Thread(runnable, "kms-secrets-eso-sync");
                        thread.setDaemon(true);
                        return thread;
                    });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (List<ExternalSecretDocument> group : byNamespace.values()) {
                    futures.add(pool.submit(() -> syncNamespace(group, results, warnings)));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KubernetesOperationException("interrupted while syncing ExternalSecrets");
            } catch (ExecutionException e) {
                throw new KubernetesOperationException("syncing failed unexpectedly ("
                        + e.getCause().getClass().getSimpleName() + ")");
            } finally {
                pool.shutdownNow();
            }
        }
        if (options.prune()) {
            results.addAll(prune(documents));
        }
        return new SyncReport(results, warnings, maxActive.get());
    }

    private void syncNamespace(List<ExternalSecretDocument> group, List<SyncResult> results, List<String> warnings) {
        int now = active.incrementAndGet();
        maxActive.accumulateAndGet(now, Math::max);
        try {
            for (ExternalSecretDocument document : group) {
                results.add(syncOne(document, warnings));
            }
        } finally {
            active.decrementAndGet();
        }
    }

    private SyncResult syncOne(ExternalSecretDocument document, List<String> warnings) {
        String namespace = namespaceOf(document);
        String name = document.name();
        String store = storeText(document.storeRef());
        Instant start = clock.instant();
        String id = namespace + "/" + name;
        try {
            var resources = EsoResources.externalSecrets(client).inNamespace(namespace);
            ExternalSecretStatus before = ExternalSecretStatus.of(resources.withName(name).get());
            Instant forceTime = clock.instant();
            GenericKubernetesResource desired = toApply(document, namespace, forceTime);
            if (options.dryRun()) {
                resources.resource(desired).dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
                progress.line(id + ": accepted by server-side dry-run");
                return result(document, namespace, store, SyncResult.Outcome.DRY_RUN, "server-side dry-run passed",
                        start);
            }
            resources.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            boolean createdOnce = "CreatedOnce".equals(document.refreshPolicy());
            if (createdOnce) {
                String warning = id + ": refreshPolicy CreatedOnce ignores force-sync; waiting for Ready only";
                warnings.add(warning);
                progress.line("warning: " + warning);
            }
            progress.line(id + ": applied, waiting for ESO (timeout " + options.timeout().toSeconds() + "s)");
            return await(document, namespace, store, before, forceTime, createdOnce, start);
        } catch (KubernetesClientException e) {
            String detail = "apply failed: " + EsoResources.describe(e);
            progress.line(id + ": " + detail);
            return result(document, namespace, store, SyncResult.Outcome.ERROR, detail, start);
        } catch (KubernetesOperationException e) {
            progress.line(id + ": " + e.getMessage());
            return result(document, namespace, store, SyncResult.Outcome.ERROR, e.getMessage(), start);
        } catch (RuntimeException e) {
            // Only the class name: the message of an unexpected exception may quote the resource. The other
            // resources and namespaces keep their results.
            String detail = "failed unexpectedly (" + e.getClass().getName() + ")";
            progress.line(id + ": " + detail);
            return result(document, namespace, store, SyncResult.Outcome.ERROR, detail, start);
        }
    }

    private SyncResult await(ExternalSecretDocument document, String namespace, String store,
                             ExternalSecretStatus before,
                             Instant forceTime, boolean createdOnce, Instant start) {
        String id = namespace + "/" + document.name();
        Instant deadline = start.plus(options.timeout());
        String lastState = null;
        Instant lastLine = clock.instant();
        var resource = EsoResources.externalSecrets(client).inNamespace(namespace).withName(document.name());
        while (true) {
            ExternalSecretStatus status;
            try {
                status = ExternalSecretStatus.of(resource.get());
            } catch (KubernetesClientException e) {
                String detail = "reading the status failed: " + EsoResources.describe(e);
                progress.line(id + ": " + detail);
                return result(document, namespace, store, SyncResult.Outcome.ERROR, detail, start);
            }
            String state = status.summary();
            if (status.isSyncError() && !status.isSameErrorAs(before)) {
                String detail = "SecretSyncedError: " + (status.message() == null ? "(no message)" : status.message());
                progress.line(id + ": " + detail);
                return result(document, namespace, store, SyncResult.Outcome.FAILED, detail, start);
            }
            boolean fresh = createdOnce
                    || status.syncedResourceVersion() != null
                            && !status.syncedResourceVersion().equals(before.syncedResourceVersion())
                    || status.refreshTime() != null && status.refreshTime().isAfter(forceTime);
            if (fresh && status.isReady()) {
                String missing = checkSecret(document, namespace);
                if (missing == null) {
                    progress.line(id + ": synced");
                    return result(document, namespace, store, SyncResult.Outcome.SYNCED, "Ready=True", start);
                }
                state = state + ", " + missing;
            } else if (status.isReady()) {
                state = state + " but not yet refreshed since the apply";
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                if (status.isSyncError()) {
                    String detail = "SecretSyncedError unchanged since before the apply: " + status.message();
                    progress.line(id + ": " + detail);
                    return result(document, namespace, store, SyncResult.Outcome.FAILED, detail, start);
                }
                String detail = "no fresh Ready=True within " + options.timeout().toSeconds() + "s (last: " + state
                        + ")";
                progress.line(id + ": " + detail);
                return result(document, namespace, store, SyncResult.Outcome.TIMED_OUT, detail, start);
            }
            if (!state.equals(lastState) || !now.isBefore(lastLine.plus(options.progressInterval()))) {
                progress.line(id + ": waiting, " + state + " (" + Duration.between(start, now).toSeconds() + "s)");
                lastState = state;
                lastLine = now;
            }
            try {
                Thread.sleep(Math.max(1, options.pollInterval().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return result(document, namespace, store, SyncResult.Outcome.ERROR, "interrupted", start);
            }
        }
    }

    /** {@code null} when the generated Secret is fine (or not ours to check), else what is wrong. */
    @SuppressWarnings("unchecked")
    private String checkSecret(ExternalSecretDocument document, String namespace) {
        Map<String, Object> spec = (Map<String, Object>) document.resource().get("spec");
        Map<String, Object> target = spec == null ? null : (Map<String, Object>) spec.get("target");
        Object creationPolicy = target == null ? null : target.get("creationPolicy");
        if ("Merge".equals(creationPolicy) || "None".equals(creationPolicy)) {
            return null;
        }
        Object targetName = target == null ? null : target.get("name");
        String secretName = targetName == null ? document.name() : String.valueOf(targetName);
        SecretMetadataReader.SecretMetadata metadata = secrets.read(namespace, secretName);
        if (!metadata.exists()) {
            return "Secret " + secretName + " not found";
        }
        if (!"true".equals(metadata.labels().get(EsoNames.ESO_MANAGED_LABEL))) {
            return "Secret " + secretName + " lacks label " + EsoNames.ESO_MANAGED_LABEL + "=true";
        }
        return null;
    }

    private List<SyncResult> prune(List<ExternalSecretDocument> documents) {
        if (options.app() == null || options.app().isBlank()) {
            throw new IllegalArgumentException("prune needs the app whose ExternalSecrets it may delete");
        }
        Set<String> declared = new HashSet<>();
        documents.forEach(d -> declared.add(namespaceOf(d) + "/" + d.name()));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(EsoNames.MANAGED_BY_LABEL, EsoNames.MANAGED_BY);
        labels.put(EsoNames.APP_LABEL, options.app());
        List<SyncResult> results = new ArrayList<>();
        List<GenericKubernetesResource> managed;
        try {
            managed = EsoResources.externalSecrets(client).inAnyNamespace().withLabels(labels).list().getItems();
        } catch (KubernetesClientException e) {
            throw new KubernetesOperationException("cannot list ExternalSecrets managed by kms-secrets for app '"
                    + options.app() + "': " + EsoResources.describe(e));
        }
        for (GenericKubernetesResource resource : managed) {
            String namespace = resource.getMetadata().getNamespace();
            String name = resource.getMetadata().getName();
            if (declared.contains(namespace + "/" + name)) {
                continue;
            }
            Instant start = clock.instant();
            String store = storeOf(resource);
            if (options.dryRun()) {
                progress.line(namespace + "/" + name + ": would be pruned (dry run)");
                results.add(new SyncResult(namespace, name, store, SyncResult.Outcome.WOULD_PRUNE,
                        "no longer declared", Duration.between(start, clock.instant())));
                continue;
            }
            try {
                EsoResources.externalSecrets(client).inNamespace(namespace).withName(name).delete();
                progress.line(namespace + "/" + name + ": pruned");
                results.add(new SyncResult(namespace, name, store, SyncResult.Outcome.PRUNED, "no longer declared",
                        Duration.between(start, clock.instant())));
            } catch (KubernetesClientException e) {
                results.add(new SyncResult(namespace, name, store, SyncResult.Outcome.ERROR,
                        "prune failed: " + EsoResources.describe(e), Duration.between(start, clock.instant())));
            }
        }
        return results;
    }

    @SuppressWarnings("unchecked")
    private GenericKubernetesResource toApply(ExternalSecretDocument document, String namespace, Instant forceTime) {
        Map<String, Object> resource = new LinkedHashMap<>(document.resource());
        resource.remove("status");
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) resource.getOrDefault("metadata",
                Map.of()));
        metadata.put("namespace", namespace);
        for (String server : List.of("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields")) {
            metadata.remove(server);
        }
        Map<String, Object> annotations = new LinkedHashMap<>(metadata.get("annotations") instanceof Map<?, ?> a
                ? (Map<String, Object>) a : Map.of());
        annotations.put(EsoNames.FORCE_SYNC_ANNOTATION, forceTime.truncatedTo(ChronoUnit.MILLIS).toString());
        metadata.put("annotations", annotations);
        resource.put("metadata", metadata);
        return client.getKubernetesSerialization().convertValue(resource, GenericKubernetesResource.class);
    }

    private String namespaceOf(ExternalSecretDocument document) {
        if (document.namespace() != null) {
            return document.namespace();
        }
        String fallback = client.getNamespace();
        return fallback == null ? "default" : fallback;
    }

    private SyncResult result(ExternalSecretDocument document, String namespace, String store,
                              SyncResult.Outcome outcome, String detail, Instant start) {
        return new SyncResult(namespace, document.name(), store, outcome, detail,
                Duration.between(start, clock.instant()));
    }

    private static String storeText(EsoStoreRef ref) {
        return ref == null ? "-" : ref.kind() + "/" + ref.name();
    }

    @SuppressWarnings("unchecked")
    private static String storeOf(GenericKubernetesResource resource) {
        Object spec = resource.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> s && s.get("secretStoreRef") instanceof Map<?, ?> ref && ref.get("name") != null) {
            Object kind = ref.get("kind");
            return (kind == null ? EsoStoreRef.SECRET_STORE : kind) + "/" + ref.get("name");
        }
        return "-";
    }
}
