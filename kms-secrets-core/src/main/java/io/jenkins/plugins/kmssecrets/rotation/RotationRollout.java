package io.jenkins.plugins.kmssecrets.rotation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.kmssecrets.eso.EsoNames;
import io.jenkins.plugins.kmssecrets.k8s.EsoResources;
import io.jenkins.plugins.kmssecrets.k8s.ExternalSecretStatus;
import io.jenkins.plugins.kmssecrets.k8s.KubernetesOperationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Pushes a rotated value through a cluster: forces a refresh of every affected live ExternalSecret (ESO's
 * {@value EsoNames#FORCE_SYNC_ANNOTATION} annotation), waits until each is Ready again, refreshed after the push and,
 * where the expected value is known, until its generated Secret holds it (compared by SHA-256, see
 * {@link SecretKeyDigest}); then, when asked, restarts the workloads that keep the old value in their pods
 * (the {@value #RESTARTED_AT} annotation {@code kubectl rollout restart} sets) and waits for each rollout.
 *
 * <p>Cluster permissions: {@code get}/{@code patch} on the ExternalSecrets, {@code get} on their Secrets, and
 * {@code get}/{@code patch} on the workloads restarted.
 *
 * @since 0.2.0
 */
public final class RotationRollout {

    /** The pod template annotation a rolling restart sets. */
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

    /**
     * How to push.
     *
     * @param timeout          the limit for each ExternalSecret and each rollout
     * @param pollInterval     how often to look again
     * @param progressInterval how often to print that a wait goes on
     * @param restart          whether to restart the workloads that need it
     * @param parallelism      how many restarts run at once (at least 1)
     */
    public record Options(Duration timeout, Duration pollInterval, Duration progressInterval, boolean restart,
                          int parallelism) {
        public Options {
            Objects.requireNonNull(timeout, "timeout");
            pollInterval = pollInterval == null ? Duration.ofSeconds(2) : pollInterval;
            progressInterval = progressInterval == null ? Duration.ofSeconds(15) : progressInterval;
            parallelism = Math.max(1, parallelism);
        }
    }

    /** The SHA-256 a key of a generated Secret must have after the push, or {@code null} when it is not known. */
    @FunctionalInterface
    public interface ExpectedDigest {
        byte[] of(ExternalSecretConsumer consumer, ExternalSecretUse use);
    }

    /** Receives progress lines (names and states only). */
    @FunctionalInterface
    public interface Progress {
        void line(String line);
    }

    private final KubernetesClient client;
    private final Options options;
    private final Clock clock;
    private final Progress progress;
    private final SecretKeyDigest digests;

    public RotationRollout(KubernetesClient client, Options options, Clock clock, Progress progress) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = clock == null ? Clock.systemUTC() : clock;
        this.progress = progress == null ? line -> { } : progress;
        this.digests = new SecretKeyDigest(client, Duration.ofSeconds(30));
    }

    /** Pushes and, if asked, restarts; one step per affected live ExternalSecret and per workload. */
    public List<RotationStep> push(RotationPlan plan, ExpectedDigest expected) {
        List<RotationStep> steps = new ArrayList<>();
        Set<String> synced = new TreeSet<>();
        String namespace = null;
        for (ExternalSecretConsumer consumer : plan.affectedLive()) {
            if (!consumer.namespace().equals(namespace)) {
                namespace = consumer.namespace();
                progress.line("namespace " + namespace + ": pushing the new value");
            }
            RotationStep step = pushOne(consumer, expected);
            steps.add(step);
            if (step.outcome() == RotationStep.Outcome.SYNCED) {
                synced.add(consumer.namespace() + "/" + consumer.targetSecret());
            }
        }
        steps.addAll(workloads(plan.workloads(), synced));
        return steps;
    }

    private RotationStep pushOne(ExternalSecretConsumer consumer, ExpectedDigest expected) {
        Instant start = clock.instant();
        String id = consumer.id();
        if (consumer.createdOnce()) {
            progress.line(id + ": refreshPolicy CreatedOnce ignores force-sync; skipped");
            return step("ExternalSecret", consumer, RotationStep.Outcome.SKIPPED,
                    "refreshPolicy CreatedOnce ignores force-sync; recreate its Secret to pick up the new value",
                    start);
        }
        var resource = EsoResources.externalSecrets(client).inNamespace(consumer.namespace())
                .withName(consumer.name());
        Instant forceTime;
        ExternalSecretStatus before;
        try {
            before = ExternalSecretStatus.of(resource.get());
            forceTime = clock.instant();
            resource.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
                    + EsoNames.FORCE_SYNC_ANNOTATION + "\":\"" + forceTime.truncatedTo(ChronoUnit.MILLIS) + "\"}}}");
        } catch (KubernetesClientException e) {
            String detail = "force-sync failed: " + EsoResources.describe(e);
            progress.line(id + ": " + detail);
            return step("ExternalSecret", consumer, RotationStep.Outcome.FAILED, detail, start);
        }
        progress.line(id + ": force-sync set, waiting for ESO (timeout " + options.timeout().toSeconds() + "s)");
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (ExternalSecretUse use : consumer.uses()) {
            byte[] digest = use.affected() && use.secretKey() != null ? expected.of(consumer, use) : null;
            if (digest != null) {
                keys.put(use.secretKey(), digest);
            }
        }
        String[] state = {"not refreshed yet"};
        String[] failure = {null};
        boolean done = await(id, () -> {
            ExternalSecretStatus status;
            try {
                status = ExternalSecretStatus.of(resource.get());
            } catch (KubernetesClientException e) {
                failure[0] = "reading the status failed: " + EsoResources.describe(e);
                return true;
            }
            if (status.isSyncError() && !status.isSameErrorAs(before)) {
                failure[0] = "SecretSyncedError: " + (status.message() == null ? "(no message)" : status.message());
                return true;
            }
            boolean fresh = status.refreshTime() != null && status.refreshTime().isAfter(forceTime)
                    || status.syncedResourceVersion() != null
                            && !status.syncedResourceVersion().equals(before.syncedResourceVersion());
            if (!fresh || !status.isReady()) {
                state[0] = status.summary() + (status.isReady() ? " but not refreshed since the push" : "");
                return false;
            }
            List<String> pending = new ArrayList<>();
            keys.forEach((key, digest) -> {
                SecretKeyDigest.Outcome outcome = digests.compare(consumer.namespace(), consumer.targetSecret(), key,
                        digest);
                if (outcome != SecretKeyDigest.Outcome.MATCHES) {
                    pending.add(key + " " + outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
                }
            });
            state[0] = pending.isEmpty() ? "synced" : "refreshed, but Secret " + consumer.targetSecret()
                    + " does not hold the new value yet (" + String.join(", ", pending) + ")";
            return pending.isEmpty();
        }, () -> state[0]);
        if (failure[0] != null) {
            progress.line(id + ": " + failure[0]);
            return step("ExternalSecret", consumer, RotationStep.Outcome.FAILED, failure[0], start);
        }
        if (!done) {
            String detail = "not synced within " + options.timeout().toSeconds() + "s (last: " + state[0] + ")";
            progress.line(id + ": " + detail);
            return step("ExternalSecret", consumer, RotationStep.Outcome.TIMED_OUT, detail, start);
        }
        String detail = keys.isEmpty() ? "refreshed after the push (value not compared: "
                + "no key of the Secret maps to the rotated value alone)"
                : "Secret " + consumer.targetSecret() + " holds the new value (" + String.join(", ", keys.keySet())
                        + ", compared by SHA-256)";
        progress.line(id + ": synced");
        return step("ExternalSecret", consumer, RotationStep.Outcome.SYNCED, detail, start);
    }

    private List<RotationStep> workloads(List<WorkloadConsumer> workloads, Set<String> synced) {
        List<RotationStep> steps = Collections.synchronizedList(new ArrayList<>());
        List<WorkloadConsumer> toRestart = new ArrayList<>();
        for (WorkloadConsumer workload : workloads) {
            if (!synced.contains(workload.namespace() + "/" + workload.secret())) {
                steps.add(new RotationStep(workload.kind(), workload.namespace(), workload.name(),
                        RotationStep.Outcome.SKIPPED, "Secret " + workload.secret() + " was not synced",
                        Duration.ZERO));
            } else if (!workload.needsRestart() || !workload.restartable()) {
                steps.add(new RotationStep(workload.kind(), workload.namespace(), workload.name(),
                        RotationStep.Outcome.UPDATED_IN_PLACE, workload.restartable()
                                ? "mounts Secret " + workload.secret() + " as a volume: the kubelet updates it in place"
                                : "its next run starts pods with the new value", Duration.ZERO));
            } else if (!options.restart()) {
                steps.add(new RotationStep(workload.kind(), workload.namespace(), workload.name(),
                        RotationStep.Outcome.RESTART_NEEDED, "reads Secret " + workload.secret()
                                + " at start (" + String.join("; ", workload.usages()) + "); restart it (--restart)",
                        Duration.ZERO));
            } else {
                toRestart.add(workload);
            }
        }
        if (toRestart.isEmpty()) {
            return steps;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.parallelism(), toRestart.size()),
                runnable -> {
                    Thread thread = new Thread(runnable, "kms-secrets-rotate-restart");
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (WorkloadConsumer workload : toRestart) {
                futures.add(pool.submit(() -> steps.add(restart(workload))));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesOperationException("interrupted while restarting workloads");
        } catch (ExecutionException e) {
            throw new KubernetesOperationException("restarting workloads failed unexpectedly ("
                    + e.getCause().getClass().getSimpleName() + ")");
        } finally {
            pool.shutdownNow();
        }
        List<RotationStep> ordered = new ArrayList<>(steps);
        ordered.sort(java.util.Comparator.comparing(RotationStep::namespace).thenComparing(RotationStep::kind)
                .thenComparing(RotationStep::name));
        return ordered;
    }

    private RotationStep restart(WorkloadConsumer workload) {
        Instant start = clock.instant();
        String id = workload.id();
        String patch = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + RESTARTED_AT + "\":\""
                + start.truncatedTo(ChronoUnit.SECONDS) + "\"}}}}}";
        BooleanSupplier rolledOut;
        String[] state = {"rollout not started"};
        try {
            switch (workload.kind()) {
                case "Deployment" -> {
                    var resource = client.apps().deployments().inNamespace(workload.namespace())
                            .withName(workload.name());
                    long generation = generation(resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch));
                    rolledOut = () -> deploymentDone(resource.get(), generation, state);
                }
                case "StatefulSet" -> {
                    var resource = client.apps().statefulSets().inNamespace(workload.namespace())
                            .withName(workload.name());
                    long generation = generation(resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch));
                    rolledOut = () -> statefulSetDone(resource.get(), generation, state);
                }
                case "DaemonSet" -> {
                    var resource = client.apps().daemonSets().inNamespace(workload.namespace())
                            .withName(workload.name());
                    long generation = generation(resource.patch(PatchContext.of(PatchType.JSON_MERGE), patch));
                    rolledOut = () -> daemonSetDone(resource.get(), generation, state);
                }
                default -> {
                    return new RotationStep(workload.kind(), workload.namespace(), workload.name(),
                            RotationStep.Outcome.SKIPPED, "cannot restart a " + workload.kind(),
                            Duration.between(start, clock.instant()));
                }
            }
        } catch (KubernetesClientException e) {
            String detail = "restart failed: " + EsoResources.describe(e);
            progress.line(id + ": " + detail);
            return new RotationStep(workload.kind(), workload.namespace(), workload.name(),
                    RotationStep.Outcome.FAILED, detail, Duration.between(start, clock.instant()));
        }
        progress.line(id + ": restarted, waiting for the rollout (timeout " + options.timeout().toSeconds() + "s)");
        String[] failure = {null};
        boolean done = await(id, () -> {
            try {
                return rolledOut.getAsBoolean();
            } catch (KubernetesClientException e) {
                failure[0] = "reading the rollout failed: " + EsoResources.describe(e);
                return true;
            }
        }, () -> state[0]);
        RotationStep.Outcome outcome = failure[0] != null ? RotationStep.Outcome.FAILED
                : done ? RotationStep.Outcome.RESTARTED : RotationStep.Outcome.TIMED_OUT;
        String detail = failure[0] != null ? failure[0] : done ? "rolled out"
                : "rollout not finished within " + options.timeout().toSeconds() + "s (last: " + state[0] + ")";
        progress.line(id + ": " + detail);
        return new RotationStep(workload.kind(), workload.namespace(), workload.name(), outcome, detail,
                Duration.between(start, clock.instant()));
    }

    private static long generation(HasMetadata patched) {
        Long generation = patched == null ? null : patched.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    private static boolean deploymentDone(Deployment deployment, long generation, String[] state) {
        if (deployment == null || deployment.getStatus() == null) {
            state[0] = "no status";
            return false;
        }
        var status = deployment.getStatus();
        int replicas = deployment.getSpec() == null || deployment.getSpec().getReplicas() == null ? 1
                : deployment.getSpec().getReplicas();
        state[0] = value(status.getUpdatedReplicas()) + "/" + replicas + " updated, " + value(status.getAvailableReplicas())
                + " available";
        return value(status.getObservedGeneration()) >= generation && value(status.getUpdatedReplicas()) >= replicas
                && value(status.getReplicas()) <= value(status.getUpdatedReplicas())
                && value(status.getAvailableReplicas()) >= replicas;
    }

    private static boolean statefulSetDone(StatefulSet set, long generation, String[] state) {
        if (set == null || set.getStatus() == null) {
            state[0] = "no status";
            return false;
        }
        var status = set.getStatus();
        int replicas = set.getSpec() == null || set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        state[0] = value(status.getUpdatedReplicas()) + "/" + replicas + " updated, " + value(status.getReadyReplicas())
                + " ready";
        return value(status.getObservedGeneration()) >= generation && value(status.getUpdatedReplicas()) >= replicas
                && value(status.getReadyReplicas()) >= replicas
                && Objects.equals(status.getUpdateRevision(), status.getCurrentRevision());
    }

    private static boolean daemonSetDone(DaemonSet set, long generation, String[] state) {
        if (set == null || set.getStatus() == null) {
            state[0] = "no status";
            return false;
        }
        var status = set.getStatus();
        long desired = value(status.getDesiredNumberScheduled());
        state[0] = value(status.getUpdatedNumberScheduled()) + "/" + desired + " updated, "
                + value(status.getNumberAvailable()) + " available";
        return value(status.getObservedGeneration()) >= generation
                && value(status.getUpdatedNumberScheduled()) >= desired && value(status.getNumberAvailable()) >= desired;
    }

    private static long value(Number number) {
        return number == null ? 0 : number.longValue();
    }

    /** Polls {@code done} until true or the timeout, printing the state when it changes or at the interval. */
    private boolean await(String id, BooleanSupplier done, java.util.function.Supplier<String> state) {
        Instant start = clock.instant();
        Instant deadline = start.plus(options.timeout());
        String lastState = null;
        Instant lastLine = start;
        while (true) {
            if (done.getAsBoolean()) {
                return true;
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                return false;
            }
            String current = state.get();
            if (!current.equals(lastState) || !now.isBefore(lastLine.plus(options.progressInterval()))) {
                progress.line(id + ": waiting, " + current + " (" + Duration.between(start, now).toSeconds() + "s)");
                lastState = current;
                lastLine = now;
            }
            try {
                Thread.sleep(Math.max(1, options.pollInterval().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private RotationStep step(String kind, ExternalSecretConsumer consumer, RotationStep.Outcome outcome,
                              String detail, Instant start) {
        return new RotationStep(kind, consumer.namespace(), consumer.name(), outcome, detail,
                Duration.between(start, clock.instant()));
    }
}
