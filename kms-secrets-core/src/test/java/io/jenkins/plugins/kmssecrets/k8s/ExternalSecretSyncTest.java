package io.jenkins.plugins.kmssecrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.kmssecrets.eso.EsoStoreRef;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDeclaration;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretDocument;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretRenderer;
import io.jenkins.plugins.kmssecrets.eso.ExternalSecretValidator;
import io.jenkins.plugins.kmssecrets.eso.KeyMapping;
import io.jenkins.plugins.kmssecrets.eso.ValidationReport;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import io.jenkins.plugins.kmssecrets.testing.k8s.FakeEsoController;
import io.jenkins.plugins.kmssecrets.testing.k8s.FakeEsoController.Mode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Sync against the mock API server with the real ESO CRDs and a fake ESO controller. */
// The controllers run while open; the try blocks scope them, nothing else needs to reference them.
@SuppressWarnings({"try", "unchecked"})
class ExternalSecretSyncTest {

    private static final AtomicInteger UNIQUE = new AtomicInteger();

    private final EsoApiServer server = EsoApiServer.shared();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    /** A fresh namespace name per call, so tests sharing the server never see each other's resources. */
    static String namespace() {
        return "sync-" + UNIQUE.incrementAndGet();
    }

    static ExternalSecretDocument document(String app, String namespace, String name, String refreshPolicy) {
        ExternalSecretDeclaration declaration = new ExternalSecretDeclaration(name, app, namespace,
                new EsoStoreRef("azure-store", EsoStoreRef.CLUSTER_SECRET_STORE), null, "1h", refreshPolicy, null,
                null, null,
                List.of(new KeyMapping("password", SecretReference.parse("akv-prod:netbox-db#password"), null)),
                null);
        ValidationReport report = ExternalSecretValidator.builtIn()
                .validate(ExternalSecretRenderer.toYaml(declaration), name + ".yaml");
        assertThat(report.problems()).isEmpty();
        return report.documents().get(0);
    }

    private ExternalSecretSync sync(String app, Duration timeout, int parallelism, boolean prune, boolean dryRun) {
        return new ExternalSecretSync(server.client(), new ExternalSecretSync.Options(app, timeout, parallelism,
                Duration.ofMillis(20), Duration.ofMillis(200), prune, dryRun), Clock.systemUTC(), progress::add);
    }

    /**
     * A sync whose clock moves one second each time it is read, so a timeout is reached after a number of status
     * polls that does not depend on how fast the machine is.
     */
    private ExternalSecretSync syncOnSteppingClock(Duration timeout) {
        return new ExternalSecretSync(server.client(), new ExternalSecretSync.Options("netbox", timeout, 1,
                Duration.ofMillis(1), Duration.ofSeconds(1), false, false), new SteppingClock(Duration.ofSeconds(1)),
                progress::add);
    }

    /** Advances by {@code step} on every read. */
    static final class SteppingClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        private final long step;

        SteppingClock(Duration step) {
            this.step = step.toMillis();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.getAndAdd(step));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void syncAppliesWithForceSyncAndWaitsForFreshReady() {
        String ns = namespace();
        try (FakeEsoController eso = new FakeEsoController(server, Mode.SYNC, ns)) {
            SyncReport report = sync("netbox", Duration.ofSeconds(10), 2, false, false)
                    .sync(List.of(document("netbox", ns, "db", null)));

            assertThat(report.results()).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo(SyncResult.Outcome.SYNCED);
                assertThat(r.store()).isEqualTo("ClusterSecretStore/azure-store");
            });
            assertThat(eso.syncs()).isEqualTo(1);
            GenericKubernetesResource applied = EsoResources.externalSecrets(server.client()).inNamespace(ns)
                    .withName("db").get();
            assertThat(applied.getMetadata().getAnnotations()).containsKey("force-sync");
            assertThat(applied.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "kms-secrets");
        }
    }

    @Test
    void resyncOfAnExistingResourceWaitsForANewSyncedVersion() {
        String ns = namespace();
        try (FakeEsoController eso = new FakeEsoController(server, Mode.SYNC, ns)) {
            ExternalSecretDocument document = document("netbox", ns, "db", null);
            sync("netbox", Duration.ofSeconds(10), 1, false, false).sync(List.of(document));

            SyncReport second = sync("netbox", Duration.ofSeconds(10), 1, false, false).sync(List.of(document));

            assertThat(second.results()).extracting(SyncResult::outcome).containsExactly(SyncResult.Outcome.SYNCED);
            assertThat(eso.syncs()).as("the second apply changed force-sync, so ESO synced again").isEqualTo(2);
        }
    }

    @Test
    void staleReadyStatusFromBeforeTheApplyIsNotSuccess() {
        String ns = namespace();
        ExternalSecretDocument document = document("netbox", ns, "db", null);
        try (FakeEsoController eso = new FakeEsoController(server, Mode.SYNC, ns)) {
            sync("netbox", Duration.ofSeconds(10), 1, false, false).sync(List.of(document));
        }
        try (FakeEsoController slow = new FakeEsoController(server, Mode.SLOW, ns)) {
            SyncReport report = sync("netbox", Duration.ofSeconds(10), 1, false, false).sync(List.of(document));

            assertThat(report.results()).extracting(SyncResult::outcome).containsExactly(SyncResult.Outcome.SYNCED);
            assertThat(slow.staleWrites()).isEqualTo(1);
            assertThat(slow.syncs()).as("success was reported only after the real sync").isEqualTo(1);
        }
    }

    @Test
    void secretSyncedErrorFailsFastWithEsosMessage() {
        String ns = namespace();
        try (FakeEsoController eso = new FakeEsoController(server, Mode.ERROR, ns)) {
            SyncReport report = sync("netbox", Duration.ofSeconds(30), 1, false, false)
                    .sync(List.of(document("netbox", ns, "db", null)));

            assertThat(report.results()).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
                assertThat(r.detail()).isEqualTo("SecretSyncedError: could not get secret data from provider");
            });
            assertThat(report.isSuccess()).isFalse();
        }
    }

    @Test
    void syncErrorLeftOverFromBeforeTheApplyDoesNotFailTheNewSync() {
        String ns = namespace();
        ExternalSecretDocument document = document("netbox", ns, "db", null);
        try (FakeEsoController failing = new FakeEsoController(server, Mode.ERROR, ns)) {
            sync("netbox", Duration.ofSeconds(10), 1, false, false).sync(List.of(document));
        }
        try (FakeEsoController fixed = new FakeEsoController(server, Mode.SYNC, ns)) {
            SyncReport report = sync("netbox", Duration.ofSeconds(10), 1, false, false).sync(List.of(document));

            assertThat(report.results()).extracting(SyncResult::outcome).containsExactly(SyncResult.Outcome.SYNCED);
            assertThat(ExternalSecretStatus.of(EsoResources.externalSecrets(server.client()).inNamespace(ns)
                    .withName("db").get()).isReady()).isTrue();
        }
    }

    @Test
    void syncErrorThatNeverChangesFailsAtTheTimeout() {
        String ns = namespace();
        ExternalSecretDocument document = document("netbox", ns, "db", null);
        try (FakeEsoController failing = new FakeEsoController(server, Mode.ERROR, ns)) {
            sync("netbox", Duration.ofSeconds(10), 1, false, false).sync(List.of(document));

            SyncReport report = syncOnSteppingClock(Duration.ofSeconds(10)).sync(List.of(document));

            assertThat(report.results()).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo(SyncResult.Outcome.FAILED);
                assertThat(r.detail()).isEqualTo("SecretSyncedError unchanged since before the apply: could not get "
                        + "secret data from provider");
            });
        }
    }

    @Test
    void missingStatusTimesOutPerResource() {
        String ns = namespace();
        try (FakeEsoController eso = new FakeEsoController(server, Mode.NEVER_READY, ns)) {
            SyncReport report = syncOnSteppingClock(Duration.ofSeconds(10))
                    .sync(List.of(document("netbox", ns, "a", null), document("netbox", ns, "b", null)));

            assertThat(report.results()).extracting(SyncResult::outcome)
                    .containsExactly(SyncResult.Outcome.TIMED_OUT, SyncResult.Outcome.TIMED_OUT);
            assertThat(report.results().get(0).detail()).contains("no status yet");
            assertThat(progress).anyMatch(line -> line.contains("waiting, no status yet"));
        }
    }

    @Test
    void namespacesRunInParallelWithinTheBound() {
        List<ExternalSecretDocument> documents = new ArrayList<>();
        String[] namespaces = new String[4];
        for (int i = 0; i < 4; i++) {
            namespaces[i] = namespace();
            documents.add(document("netbox", namespaces[i], "db", null));
        }
        try (FakeEsoController eso = new FakeEsoController(server, Mode.TWO_NAMESPACES_AT_ONCE, namespaces)) {
            SyncReport report = sync("netbox", Duration.ofSeconds(30), 2, false, false).sync(documents);

            assertThat(report.results()).hasSize(4).allMatch(r -> r.outcome() == SyncResult.Outcome.SYNCED);
            assertThat(report.maxConcurrentNamespaces()).as("the controller syncs only once two namespaces are in "
                    + "flight, and the bound is 2").isEqualTo(2);
        }
    }

    @Test
    void unexpectedExceptionFailsOnlyItsOwnResource() {
        String good = namespace();
        String bad = namespace();
        ExternalSecretDocument valid = document("netbox", bad, "broken", null);
        Map<String, Object> resource = new LinkedHashMap<>(valid.resource());
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) resource.get("metadata"));
        metadata.put("labels", "not-a-map");
        resource.put("metadata", metadata);
        ExternalSecretDocument broken = new ExternalSecretDocument(valid.location(), bad, "broken", resource,
                valid.remoteKeys());
        try (FakeEsoController eso = new FakeEsoController(server, Mode.SYNC, good, bad)) {
            SyncReport report = sync("netbox", Duration.ofSeconds(10), 2, false, false)
                    .sync(List.of(broken, document("netbox", good, "db", null)));

            assertThat(report.results()).extracting(r -> r.namespace() + "/" + r.name() + ":" + r.outcome())
                    .containsExactlyInAnyOrder(bad + "/broken:ERROR", good + "/db:SYNCED");
            assertThat(report.results()).filteredOn(r -> r.name().equals("broken")).singleElement()
                    .satisfies(r -> assertThat(r.detail()).startsWith("failed unexpectedly (java.lang."));
        }
    }

    @Test
    void syncReadsOnlySecretMetadataAndNeverPrintsData() {
        String ns = namespace();
        try (FakeEsoController eso = new FakeEsoController(server, Mode.SYNC, ns)) {
            SyncReport report = sync("netbox", Duration.ofSeconds(10), 1, false, false)
                    .sync(List.of(document("netbox", ns, "db", null)));

            assertThat(server.secretReadAcceptHeaders()).isNotEmpty()
                    .allMatch(h -> h.equals(SecretMetadataReader.PARTIAL_METADATA));
            String everything = report.toTable() + report.toJson() + report.toJunitXml() + report.results()
                    + String.join("\n", progress);
            assertThat(everything).doesNotContain(FakeEsoController.SENTINEL)
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(
                            FakeEsoController.SENTINEL.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    @Test
    void createdOnceWarnsThatForceSyncIsIgnored() {
        String ns = namespace();
        try (FakeEsoController eso = new FakeEsoController(server, Mode.SYNC, ns)) {
            SyncReport report = sync("netbox", Duration.ofSeconds(10), 1, false, false)
                    .sync(List.of(document("netbox", ns, "db", "CreatedOnce")));

            assertThat(report.warnings()).singleElement().asString().contains("CreatedOnce ignores force-sync");
            assertThat(report.results()).extracting(SyncResult::outcome).containsExactly(SyncResult.Outcome.SYNCED);
        }
    }

    @Test
    void dryRunAppliesNothingAndWaitsForNothing() {
        String ns = namespace();
        int appliesBefore = server.applies();
        int dryRunsBefore = server.dryRunApplies();

        SyncReport report = sync("netbox", Duration.ofSeconds(10), 1, false, true)
                .sync(List.of(document("netbox", ns, "db", null)));

        assertThat(report.results()).extracting(SyncResult::outcome).containsExactly(SyncResult.Outcome.DRY_RUN);
        assertThat(server.dryRunApplies() - dryRunsBefore).isEqualTo(1);
        assertThat(server.applies()).isEqualTo(appliesBefore);
        assertThat(EsoResources.externalSecrets(server.client()).inNamespace(ns).withName("db").get()).isNull();
    }

    @Test
    void prunesOnlyUndeclaredResourcesManagedForTheApp() {
        String ns = namespace();
        try (FakeEsoController eso = new FakeEsoController(server, Mode.SYNC, ns)) {
            sync("billing", Duration.ofSeconds(10), 1, false, false).sync(List.of(
                    document("billing", ns, "keep", null), document("billing", ns, "gone", null),
                    document("other-app", ns, "foreign", null)));

            SyncReport report = sync("billing", Duration.ofSeconds(10), 1, true, false)
                    .sync(List.of(document("billing", ns, "keep", null)));

            assertThat(report.results()).extracting(r -> r.name() + ":" + r.outcome())
                    .containsExactly("gone:PRUNED", "keep:SYNCED");
            var remaining = EsoResources.externalSecrets(server.client()).inNamespace(ns).list().getItems().stream()
                    .map(r -> r.getMetadata().getName()).sorted().toList();
            assertThat(remaining).containsExactly("foreign", "keep");
        }
    }

    @Test
    void pruneWithDryRunOnlyListsWhatWouldBeDeleted() {
        String ns = namespace();
        try (FakeEsoController eso = new FakeEsoController(server, Mode.SYNC, ns)) {
            sync("ledger", Duration.ofSeconds(10), 1, false, false).sync(List.of(
                    document("ledger", ns, "keep", null), document("ledger", ns, "gone", null)));

            SyncReport report = sync("ledger", Duration.ofSeconds(10), 1, true, true)
                    .sync(List.of(document("ledger", ns, "keep", null)));

            assertThat(report.results()).extracting(r -> r.name() + ":" + r.outcome())
                    .containsExactly("gone:WOULD_PRUNE", "keep:DRY_RUN");
            assertThat(EsoResources.externalSecrets(server.client()).inNamespace(ns).list().getItems()).hasSize(2);
        }
    }

    @Test
    void clusterWithoutEsoStopsBeforeApplying() {
        try (EsoApiServer bare = EsoApiServer.startWithoutEso()) {
            ExternalSecretSync sync = new ExternalSecretSync(bare.client(), new ExternalSecretSync.Options("netbox",
                    Duration.ofSeconds(1), 1, Duration.ofMillis(20), Duration.ofSeconds(1), false, false), null, null);

            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> sync.sync(List.of(document("netbox", namespace(), "db", null))));

            assertThat(thrown).isInstanceOf(KubernetesOperationException.class)
                    .hasMessageContaining("CRD externalsecrets.external-secrets.io is not installed");
            assertThat(bare.applies()).isZero();
        }
    }

    @Test
    void unreachableServerIsOneLineNamingIt() {
        try (var client = ClusterAccess.server("http://127.0.0.1:1", null, null).connect()) {
            ExternalSecretSync sync = new ExternalSecretSync(client, new ExternalSecretSync.Options("netbox",
                    Duration.ofSeconds(1), 1, Duration.ofMillis(20), Duration.ofSeconds(1), false, false), null, null);

            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                    () -> sync.sync(List.of(document("netbox", namespace(), "db", null))));

            assertThat(thrown).isInstanceOf(KubernetesOperationException.class)
                    .hasMessageStartingWith("http://127.0.0.1:1/: cannot reach the API server (");
        }
    }

    @Test
    void reportRendersTableJsonAndJunit() {
        SyncReport report = new SyncReport(List.of(
                new SyncResult("b-ns", "db", "SecretStore/s", SyncResult.Outcome.FAILED, "SecretSyncedError: <x&y>",
                        Duration.ofMillis(1500)),
                new SyncResult("a-ns", "api", "SecretStore/s", SyncResult.Outcome.SYNCED, "Ready=True",
                        Duration.ofMillis(200))), List.of(), 1);

        assertThat(report.toTable()).startsWith("NAMESPACE  NAME  STORE          RESULT  DURATION  DETAIL\n"
                + "a-ns       api   SecretStore/s  SYNCED  0.2s      Ready=True\n");
        assertThat(report.toJson()).contains("\"success\" : false").contains("\"result\" : \"FAILED\"");
        assertThat(report.toJunitXml()).contains("<testsuite name=\"kms-secrets eso sync\" tests=\"2\" failures=\"1\"")
                .contains("<failure type=\"FAILED\" message=\"SecretSyncedError: &lt;x&amp;y&gt;\">");
    }
}
