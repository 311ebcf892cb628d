package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.ResolvedSecrets;
import io.jenkins.plugins.kmssecrets.store.SecretResolver;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SignInFailedException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeEntraAuthority;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer.Operation;
import io.jenkins.plugins.kmssecrets.testing.akv.SilentServer;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run of many secrets from one vault, through the resolver's concurrent fetches: one sign-in per store, and a store
 * that is down or refuses the sign-in costs one bounded wait, not one per secret, while every secret is still named.
 */
class AzureKeyVaultRunTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int SECRETS = 10;

    private FakeKeyVaultServer fake;

    @BeforeEach
    void start() {
        fake = FakeKeyVaultServer.start();
        for (int i = 0; i < SECRETS; i++) {
            fake.put("s" + i, "value-" + i, T0);
        }
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static StoreContext context(Map<String, String> env) {
        return new StoreContext(env, Path.of("."), Clock.systemUTC());
    }

    private SecretStore store(KeyVaultTransport transport, String vaultUrl, Map<String, Object> extra,
            Map<String, String> env) {
        Map<String, Object> settings = new LinkedHashMap<>(extra);
        settings.put("vaultUrl", vaultUrl);
        return new AzureKeyVaultStoreProvider(transport).create(
                new io.jenkins.plugins.kmssecrets.store.StoreDefinition("akv", "azure-key-vault", settings, null),
                context(env));
    }

    private static Map<String, SecretReference> references() {
        Map<String, SecretReference> references = new LinkedHashMap<>();
        for (int i = 0; i < SECRETS; i++) {
            references.put("S" + i, SecretReference.of("akv", "s" + i));
        }
        return references;
    }

    /**
     * Fetches the ten secrets on {@link SecretResolver#DEFAULT_PARALLELISM} threads, as a run does, and returns every
     * failure (values are wiped). Done here rather than through the resolver, whose error aggregation is not this
     * store's concern.
     */
    private static List<SecretStoreException> failures(SecretStore store) {
        ExecutorService pool = Executors.newFixedThreadPool(SecretResolver.DEFAULT_PARALLELISM);
        try {
            List<Future<Object>> outcomes = new ArrayList<>();
            for (SecretReference reference : references().values()) {
                outcomes.add(pool.submit(() -> {
                    try {
                        return store.fetch(reference);
                    } catch (RuntimeException e) {
                        return e;
                    }
                }));
            }
            List<SecretStoreException> all = new ArrayList<>();
            for (Future<Object> outcome : outcomes) {
                Object result = outcome.get(2, TimeUnit.MINUTES);
                if (result instanceof SecretValue value) {
                    value.wipe();
                } else if (result instanceof SecretStoreException e) {
                    all.add(e);
                } else {
                    throw new AssertionError("unexpected outcome " + result);
                }
            }
            return all;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertEverySecretNamedWithOneReason(List<SecretStoreException> failures,
            Class<? extends SecretStoreException> type) {
        assertThat(failures).extracting(SecretStoreException::secretName)
                .containsExactlyInAnyOrder("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
        assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(type));
        assertThat(failures).extracting(SecretStoreException::detail).containsOnly(failures.get(0).detail());
    }

    @Test
    void tenSecretsCostOneChallengeOneTokenAndTenReads() {
        try (SecretStore store = store(fake.transport(), fake.vaultUrl().toString(), Map.of(), Map.of());
             ResolvedSecrets values = new SecretResolver(StoreSet.of(store), SecretResolver.DEFAULT_PARALLELISM)
                     .resolve(references())) {
            assertThat(values.values()).hasSize(SECRETS);
            assertThat(fake.count(Operation.CHALLENGE)).isEqualTo(1);
            assertThat(fake.tokenRequests()).isEqualTo(1);
            assertThat(fake.valueReads()).isEqualTo(SECRETS);
            assertThat(store.requestCounts()).containsEntry("challenge", 1L).containsEntry("vault", 10L)
                    .containsEntry("token", 1L);
        }
    }

    @Test
    void tenSecretsWithAClientSecretCostOneTokenRequestAtTheAuthority() {
        try (FakeEntraAuthority authority = FakeEntraAuthority.start()
                .clientSecret(FakeKeyVaultServer.TENANT, "app-1", "sp-secret-3e1a")) {
            AzureIdentityTransport transport = new AzureIdentityTransport(() -> java.net.http.HttpClient.newBuilder()
                    .sslContext(TestCertificate.get().clientContext()), false);
            Map<String, Object> settings = new HashMap<>(Map.of("auth", "clientSecret", "tenantId",
                    FakeKeyVaultServer.TENANT, "clientId", "app-1", "authorityHost",
                    authority.authorityHost().toString()));
            try (SecretStore store = store(transport, fake.vaultUrl().toString(), settings,
                    Map.of("AZURE_CLIENT_SECRET", "sp-secret-3e1a"));
                 ResolvedSecrets values = new SecretResolver(StoreSet.of(store), SecretResolver.DEFAULT_PARALLELISM)
                         .resolve(references())) {
                assertThat(values.values()).hasSize(SECRETS);
                assertThat(authority.tokenRequests()).isEqualTo(1);
                // tenantId is set: the challenge is answered without a round trip to the vault (11 requests).
                assertThat(fake.count(Operation.CHALLENGE)).isZero();
                assertThat(fake.valueReads()).isEqualTo(SECRETS);
                assertThat(store.requestCounts()).containsEntry("challenge", 0L).containsEntry("vault", (long) SECRETS)
                        .containsEntry("identity", 1L);
            }
        }
    }

    @Test
    void refusedSignInIsAskedOnceAndNamesEverySecret() {
        try (FakeEntraAuthority authority = FakeEntraAuthority.start()
                .clientSecret(FakeKeyVaultServer.TENANT, "app-1", "sp-secret-3e1a")) {
            AzureIdentityTransport transport = new AzureIdentityTransport(() -> java.net.http.HttpClient.newBuilder()
                    .sslContext(TestCertificate.get().clientContext()), false);
            Map<String, Object> settings = new HashMap<>(Map.of("auth", "clientSecret", "tenantId",
                    FakeKeyVaultServer.TENANT, "clientId", "app-1", "authorityHost",
                    authority.authorityHost().toString()));
            try (SecretStore store = store(transport, fake.vaultUrl().toString(), settings,
                    Map.of("AZURE_CLIENT_SECRET", "wrong-secret-55aa"))) {
                List<SecretStoreException> failures = failures(store);
                assertEverySecretNamedWithOneReason(failures, SignInFailedException.class);
                assertThat(failures.get(0)).hasMessageContaining("AADSTS7000215");
                assertThat(authority.tokenRequests()).isEqualTo(1);
                assertThat(fake.count(Operation.CHALLENGE)).isZero();
                assertThat(fake.valueReads()).isZero();
            }
        }
    }

    @Test
    void unreachableVaultCostsOneCallsRetriesAndNamesEverySecret() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (SecretStore store = store(fake.transport(), "https://127.0.0.1:" + closedPort + "/",
                Map.of("maxRetries", 3), Map.of())) {
            List<SecretStoreException> failures = failures(store);
            assertEverySecretNamedWithOneReason(failures, StoreUnavailableException.class);
            assertThat(failures.get(0)).hasMessageContaining("4 attempt(s)");
            // One call waited between its 4 attempts; the 9 others failed at once.
            assertThat(fake.pauses()).hasSize(3);
        }
    }

    @Test
    void silentVaultIsAskedByOneCallOnly() {
        try (SilentServer silent = SilentServer.start();
             SecretStore store = store(fake.transport(), silent.httpsUrl().toString(),
                     Map.of("readTimeout", "300ms", "connectTimeout", "300ms", "maxRetries", 1), Map.of())) {
            List<SecretStoreException> failures = failures(store);
            assertEverySecretNamedWithOneReason(failures, StoreUnavailableException.class);
            assertThat(silent.connections()).isEqualTo(2);
        }
    }

    @Test
    void aStoreThatWasDownIsAskedAgainOnceTheOutageMemoryHasPassed() {
        MutableClock clock = new MutableClock(T0);
        Map<String, Object> settings = new LinkedHashMap<>(Map.of("vaultUrl", fake.vaultUrl().toString(),
                "maxRetries", 1));
        try (SecretStore store = new AzureKeyVaultStoreProvider(fake.transport()).create(
                new io.jenkins.plugins.kmssecrets.store.StoreDefinition("akv", "azure-key-vault", settings, null),
                new StoreContext(Map.of(), Path.of("."), clock))) {
            fake.unavailable(true);
            StoreUnavailableException first = catchThrowableOfType(StoreUnavailableException.class,
                    () -> store.fetch(SecretReference.of("akv", "s0")));
            assertThat(fake.valueReads()).isEqualTo(2);
            fake.unavailable(false);
            StoreUnavailableException remembered = catchThrowableOfType(StoreUnavailableException.class,
                    () -> store.fetch(SecretReference.of("akv", "s1")));
            assertThat(remembered.secretName()).isEqualTo("s1");
            assertThat(remembered.detail()).isEqualTo(first.detail());
            assertThat(fake.valueReads()).as("failed at once, nothing sent").isEqualTo(2);
            clock.advance(KeyVaultCall.OUTAGE_MEMORY.plusSeconds(1));
            try (SecretValue value = store.fetch(SecretReference.of("akv", "s1"))) {
                assertThat(value.asString()).isEqualTo("value-1");
            }
        }
    }

    /** A clock a test moves forward. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aVaultThatAnsweredKeepsServingCallsConcurrentlyAfterTheFirst() {
        fake.delay(Duration.ofMillis(200));
        try (SecretStore store = store(fake.transport(), fake.vaultUrl().toString(), Map.of(), Map.of());
             ResolvedSecrets values = new SecretResolver(StoreSet.of(store), SecretResolver.DEFAULT_PARALLELISM)
                     .resolve(references())) {
            assertThat(values.values()).hasSize(SECRETS);
            assertThat(fake.count(Operation.CHALLENGE)).isEqualTo(1);
        }
    }
}
