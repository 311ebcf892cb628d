package io.jenkins.plugins.kmssecrets.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.audit.AuditContext.Tool;
import io.jenkins.plugins.kmssecrets.k8s.ClusterAccess;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.ResolvedSecrets;
import io.jenkins.plugins.kmssecrets.store.SecretResolver;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultStoreProvider;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStore;
import io.jenkins.plugins.kmssecrets.store.vault.VaultAuth;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStore;
import io.jenkins.plugins.kmssecrets.testing.RequestLog;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The audit headers each store puts on the wire, read from the requests the protocol fakes received: the exact
 * User-Agent, the context and correlation headers, each request labelled with its own caller's context when two
 * resolutions share one store, and no value in any header.
 */
class StoreAuditHeadersTest {

    private static final String TOKEN = "vault-token-never-in-audit";
    private static final String UA_PREFIX = AuditContext.PRODUCT + " (";

    private final AuditContext buildA = AuditContext.of(Tool.JENKINS, "team/app/main#41");
    private final AuditContext buildB = AuditContext.of(Tool.JENKINS, "team/app/main#42");

    // ---- Vault ------------------------------------------------------------------------------------------------

    @Test
    void vaultRequestsCarryUserAgentVaultRequestAndTheAuditHeader() throws Exception {
        try (FakeVault vault = vault(); VaultStore store = vaultStore(vault, null)) {
            AuditContext cli = AuditContext.of(Tool.CLI, "alice@build-host");
            try (SecretValue value = cli.call(() -> store.fetch(SecretReference.of("vault", "db")))) {
                assertThat(value.asString()).isEqualTo("{\"password\":\"vault-value-1\"}");
            }
            RequestLog.Request read = only(vault.requests(), "/v1/secret/data/db");
            assertThat(read.header("User-Agent"))
                    .isEqualTo(AuditContext.PRODUCT + " (cli; alice@build-host)");
            assertThat(read.header("X-Vault-Request")).isEqualTo("true");
            assertThat(read.header("X-Kms-Secrets-Context"))
                    .isEqualTo("cli; alice@build-host; " + cli.correlationId());
            assertNoValueInHeaders(vault.requests(), "vault-value-1", TOKEN);
        }
    }

    @Test
    void vaultAuditHeaderNameIsConfigurable() throws Exception {
        try (FakeVault vault = vault(); VaultStore store = vaultStore(vault, "X-Ci-Caller")) {
            buildA.call(() -> store.describe(SecretReference.of("vault", "db")));
            RequestLog.Request read = only(vault.requests(), "/v1/secret/metadata/db");
            assertThat(read.header("X-Ci-Caller")).isEqualTo("jenkins; team/app/main#41; " + buildA.correlationId());
            assertThat(read.header("X-Kms-Secrets-Context")).isNull();
        }
    }

    @Test
    void overlappingCallsOnOneVaultStoreEachCarryTheirCallersContext() throws Exception {
        try (FakeVault vault = vault(); VaultStore store = vaultStore(vault, null)) {
            // Each metadata read waits until a second one is in flight: A's and B's requests provably overlap.
            vault.holdMetadataReads(2);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<?> a = threads.submit(() -> buildA.call(() -> store.describe(SecretReference.of("vault", "a1"))));
                Future<?> b = threads.submit(() -> buildB.call(() -> store.describe(SecretReference.of("vault", "b1"))));
                a.get(30, TimeUnit.SECONDS);
                b.get(30, TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }
            assertThat(vault.metadataMaxInFlight()).isEqualTo(2);
            assertThat(only(vault.requests(), "/v1/secret/metadata/a1").header("User-Agent"))
                    .isEqualTo(buildA.userAgent());
            assertThat(only(vault.requests(), "/v1/secret/metadata/b1").header("User-Agent"))
                    .isEqualTo(buildB.userAgent());
        }
    }

    @Test
    void twoConcurrentResolutionsThroughOneVaultStoreLabelEveryPooledRequestWithTheirOwnBuild() throws Exception {
        try (FakeVault vault = vault(); VaultStore store = vaultStore(vault, null)) {
            resolveConcurrently(store, "vault");
            assertEachRequestNamesItsBuild(vault.requests(), "/v1/secret/data/", "X-Kms-Secrets-Context");
            assertNoValueInHeaders(vault.requests(), "value-a0", "value-b0", "value-a3", "value-b3", TOKEN);
        }
    }

    @Test
    void cachedListingMakesNoRequestAndABackgroundRefreshNamesTheCallerThatCausedIt() throws Exception {
        try (FakeVault vault = vault(); VaultStore store = vaultStore(vault, null)) {
            SteppingClock clock = new SteppingClock(Instant.parse("2026-06-01T00:00:00Z"));
            List<Runnable> refreshes = new ArrayList<>();
            CachingSecretStore cache = new CachingSecretStore(store, Duration.ofMinutes(5), clock, refreshes::add);
            buildA.call(cache::list);
            int afterLoad = vault.requests().all().size();
            buildB.call(cache::list);
            assertThat(vault.requests().all()).hasSize(afterLoad); // a cached hit: nothing on the wire for B
            clock.advance(Duration.ofMinutes(6));
            buildB.call(cache::list); // B finds it old: a refresh is queued, B is served the cached list
            assertThat(refreshes).hasSize(1);
            refreshes.get(0).run(); // on another thread in production, where no context is current
            List<RequestLog.Request> all = vault.requests().all();
            assertThat(all.subList(0, afterLoad)).allSatisfy(r ->
                    assertThat(r.header("User-Agent")).isEqualTo(buildA.userAgent()));
            assertThat(all.subList(afterLoad, all.size())).isNotEmpty().allSatisfy(r ->
                    assertThat(r.header("User-Agent"))
                            .isEqualTo(AuditContext.PRODUCT + " (jenkins; team/app/main#42 [cache refresh])"));
        }
    }

    // ---- Azure Key Vault --------------------------------------------------------------------------------------

    @Test
    void keyVaultRequestsCarryOurUserAgentFirstAndTheCorrelationIdAsClientRequestId() {
        try (FakeKeyVaultServer fake = FakeKeyVaultServer.start();
                SecretStore store = keyVaultStore(fake)) {
            fake.put("db", "akv-value-1", Instant.parse("2026-01-01T00:00:00Z"));
            AuditContext cli = AuditContext.of(Tool.CLI, "alice@build-host");
            try (SecretValue value = cli.call(() -> store.fetch(SecretReference.of("akv", "db")))) {
                assertThat(value.asString()).isEqualTo("akv-value-1");
            }
            List<RequestLog.Request> requests = fake.requests().all();
            // The bearer challenge (no token yet) and the authenticated read, both labelled.
            assertThat(requests).hasSizeGreaterThanOrEqualTo(2).allSatisfy(r -> {
                assertThat(r.header("User-Agent"))
                        .startsWith(AuditContext.PRODUCT + " (cli; alice@build-host) azsdk-java-");
                assertThat(r.header("x-ms-client-request-id")).isEqualTo(cli.correlationId());
            });
            assertNoValueInHeaders(fake.requests(), "akv-value-1");
        }
    }

    @Test
    void twoConcurrentResolutionsThroughOneKeyVaultStoreLabelEveryRequestWithTheirOwnBuild() throws Exception {
        try (FakeKeyVaultServer fake = FakeKeyVaultServer.start();
                SecretStore store = keyVaultStore(fake)) {
            for (int i = 0; i < 4; i++) {
                fake.put("a" + i, "value-a" + i, Instant.parse("2026-01-01T00:00:00Z"));
                fake.put("b" + i, "value-b" + i, Instant.parse("2026-01-01T00:00:00Z"));
            }
            resolveConcurrently(store, "akv");
            List<RequestLog.Request> reads = fake.requests().all().stream()
                    .filter(r -> r.path().matches("/secrets/[ab]\\d.*")).toList();
            assertThat(reads).hasSizeGreaterThanOrEqualTo(8).allSatisfy(r -> {
                AuditContext build = r.path().startsWith("/secrets/a") ? buildA : buildB;
                assertThat(r.header("User-Agent")).startsWith(build.userAgent() + " azsdk-java-");
                assertThat(r.header("x-ms-client-request-id")).isEqualTo(build.correlationId());
            });
            assertNoValueInHeaders(fake.requests(), "value-a0", "value-b0", "value-a3", "value-b3");
        }
    }

    // ---- Google Secret Manager --------------------------------------------------------------------------------

    @Test
    void secretManagerRequestsCarryUserAgentAndRequestReason() throws Exception {
        try (FakeSecretManager fake = FakeSecretManager.start("proj-1");
                GoogleSecretManagerStore store = secretManagerStore(fake)) {
            fake.secret("db", Map.of());
            fake.addVersion("db", "gsm-value-1");
            AuditContext cli = AuditContext.of(Tool.CLI, "alice@build-host");
            try (SecretValue value = cli.call(() -> store.fetch(SecretReference.of("gsm", "db")))) {
                assertThat(value.asString()).isEqualTo("gsm-value-1");
            }
            RequestLog.Request access = fake.requests().all().stream()
                    .filter(r -> r.path().contains("/secrets/db/versions/latest:access")).findFirst().orElseThrow();
            assertThat(access.header("User-Agent"))
                    .startsWith(AuditContext.PRODUCT + " (cli; alice@build-host) Google-HTTP-Java-Client/");
            assertThat(access.header("X-Goog-Request-Reason"))
                    .isEqualTo("cli; alice@build-host; " + cli.correlationId());
            assertThat(access.header("x-goog-api-client")).contains("gax/");
            assertNoValueInHeaders(fake.requests(), "gsm-value-1");
        }
    }

    @Test
    void twoConcurrentResolutionsThroughOneSecretManagerStoreLabelEveryRequestWithTheirOwnBuild()
            throws Exception {
        try (FakeSecretManager fake = FakeSecretManager.start("proj-1");
                GoogleSecretManagerStore store = secretManagerStore(fake)) {
            for (int i = 0; i < 4; i++) {
                for (String build : List.of("a", "b")) {
                    fake.secret(build + i, Map.of());
                    fake.addVersion(build + i, "value-" + build + i);
                }
            }
            resolveConcurrently(store, "gsm");
            List<RequestLog.Request> reads = fake.requests().all().stream()
                    .filter(r -> r.path().matches(".*/secrets/[ab]\\d/.*")).toList();
            assertThat(reads).hasSizeGreaterThanOrEqualTo(8).allSatisfy(r -> {
                AuditContext build = r.path().contains("/secrets/a") ? buildA : buildB;
                assertThat(r.header("User-Agent")).startsWith(build.userAgent() + " Google-HTTP-Java-Client/");
                assertThat(r.header("X-Goog-Request-Reason"))
                        .isEqualTo("jenkins; " + build.context() + "; " + build.correlationId());
            });
            assertNoValueInHeaders(fake.requests(), "value-a0", "value-b0", "value-a3", "value-b3");
        }
    }

    // ---- Kubernetes -------------------------------------------------------------------------------------------

    @Test
    void kubernetesClientsCarryTheContextTheyWereBuiltIn() {
        EsoApiServer server = EsoApiServer.shared();
        String namespace = "audit-ua-" + Long.toHexString(System.nanoTime());
        AuditContext cli = AuditContext.of(Tool.CLI, "alice@build-host");
        try (KubernetesClient client = cli.call(() -> ClusterAccess.server(server.url(), null, null).connect())) {
            client.configMaps().inNamespace(namespace).list();
        }
        List<RequestLog.Request> mine = server.requests().all().stream()
                .filter(r -> r.path().contains("/namespaces/" + namespace + "/")).toList();
        assertThat(mine).isNotEmpty().allSatisfy(r ->
                assertThat(r.header("User-Agent")).isEqualTo(AuditContext.PRODUCT + " (cli; alice@build-host)"));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static FakeVault vault() throws Exception {
        FakeVault vault = FakeVault.start(Clock.systemUTC()).mount("secret", 2);
        vault.token(TOKEN, Duration.ZERO, false, "*:read,list");
        vault.put("secret", "db", Map.of("password", "vault-value-1"));
        for (int i = 0; i < 4; i++) {
            vault.put("secret", "a" + i, Map.of("v", "value-a" + i));
            vault.put("secret", "b" + i, Map.of("v", "value-b" + i));
        }
        return vault;
    }

    private static VaultStore vaultStore(FakeVault vault, String auditHeader) {
        VaultStore.Builder builder = VaultStore.builder("vault", vault.address(),
                VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .retryDelay(Duration.ofMillis(1));
        if (auditHeader != null) {
            builder.auditHeader(auditHeader);
        }
        return builder.build();
    }

    private static SecretStore keyVaultStore(FakeKeyVaultServer fake) {
        return new AzureKeyVaultStoreProvider(fake.transport()).create(fake.definition("akv", Map.of()),
                new StoreContext(Map.of(), Path.of("."), Clock.systemUTC()));
    }

    private static GoogleSecretManagerStore secretManagerStore(FakeSecretManager fake) {
        return GoogleSecretManagerStore.builder("gsm", "proj-1").endpoint(fake.endpoint())
                .credentials(NoCredentialsProvider.create()).retryDelay(Duration.ofMillis(1)).maxAttempts(3).build();
    }

    /**
     * Build A resolves a0..a3 and build B b0..b3, at the same time, through one shared store and resolvers with a
     * pool each (the requests run on pool threads, not on the builds' threads).
     */
    private void resolveConcurrently(SecretStore store, String storeId) throws Exception {
        StoreSet stores = StoreSet.of(store);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService builds = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (AuditContext build : List.of(buildA, buildB)) {
                String prefix = build == buildA ? "a" : "b";
                Map<String, SecretReference> references = new LinkedHashMap<>();
                for (int i = 0; i < 4; i++) {
                    references.put("V" + i, SecretReference.of(storeId, prefix + i));
                }
                results.add(builds.submit(() -> {
                    start.await();
                    return build.call(resolving(stores, references));
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(4);
            }
        } finally {
            builds.shutdownNow();
        }
    }

    private static Supplier<Integer> resolving(StoreSet stores, Map<String, SecretReference> references) {
        return () -> {
            try (ResolvedSecrets resolved = new SecretResolver(stores, 4).resolve(references)) {
                return resolved.values().size();
            }
        };
    }

    private void assertEachRequestNamesItsBuild(RequestLog log, String pathPrefix, String contextHeader) {
        List<RequestLog.Request> reads = log.all().stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
        assertThat(reads).hasSize(8).allSatisfy(r -> {
            AuditContext build = r.path().startsWith(pathPrefix + "a") ? buildA : buildB;
            assertThat(r.header("User-Agent")).isEqualTo(build.userAgent());
            assertThat(r.header(contextHeader))
                    .isEqualTo("jenkins; " + build.context() + "; " + build.correlationId());
        });
    }

    private static RequestLog.Request only(RequestLog log, String path) {
        List<RequestLog.Request> matching = log.all().stream().filter(r -> r.path().startsWith(path)).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    /** No header of any request holds any of {@code secrets}; and every request carried our User-Agent. */
    private static void assertNoValueInHeaders(RequestLog log, String... secrets) {
        assertThat(log.all()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.header("User-Agent")).startsWith(UA_PREFIX);
            r.headers().forEach((name, values) -> {
                if (!name.equals("x-vault-token") && !name.equals("authorization")) {
                    for (String secret : secrets) {
                        assertThat(values).noneMatch(v -> v.contains(secret));
                    }
                }
            });
        });
    }
}
