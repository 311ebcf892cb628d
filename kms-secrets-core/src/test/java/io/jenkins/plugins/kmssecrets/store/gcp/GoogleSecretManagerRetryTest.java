package io.jenkins.plugins.kmssecrets.store.gcp;

import static io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager.ACCESS_SECRET_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.core.NoCredentialsProvider;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.ConcurrentCalls;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import io.jenkins.plugins.kmssecrets.testing.gsm.SilentEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries, pauses the service asks for, and failures to reach the endpoint, with the real client against the fake.
 * Pauses are recorded by a sleeper instead of taken, so the tests assert what was waited, not how long they ran.
 */
class GoogleSecretManagerRetryTest {

    private static final String VALUE = "gsm-retry-value-8c2d";

    private FakeSecretManager fake;
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final List<GoogleSecretManagerStore> stores = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = FakeSecretManager.start("proj-1");
        for (int i = 0; i < 10; i++) {
            fake.secret("s" + i, Map.of());
            fake.addVersion("s" + i, VALUE + i);
        }
    }

    @AfterEach
    void stop() {
        stores.forEach(GoogleSecretManagerStore::close);
        fake.close();
    }

    private GoogleSecretManagerStore store(String endpoint, int maxAttempts, Duration timeout) {
        GoogleSecretManagerStore store = GoogleSecretManagerStore.builder("gsm", "proj-1").endpoint(endpoint)
                .credentials(NoCredentialsProvider.create()).retryDelay(Duration.ofMillis(250))
                .maxAttempts(maxAttempts).timeout(timeout).sleeper(pauses::add).clock(clock).build();
        stores.add(store);
        return store;
    }

    private GoogleSecretManagerStore store() {
        return store(fake.endpoint(), 4, Duration.ofSeconds(5));
    }

    private static SecretReference ref(String text) {
        return SecretReference.parse(text);
    }

    /**
     * Fetches s0..s9 as a run does, at most {@code parallelism} at a time, and returns the failures in reference
     * order (values received are closed at once).
     */
    private static List<SecretStoreException> fetchTen(GoogleSecretManagerStore store, int parallelism) {
        List<SecretReference> refs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            refs.add(ref("gsm:s" + i));
        }
        List<SecretStoreException> outcomes = ConcurrentCalls.map(refs, parallelism, ref -> {
            try (SecretValue value = store.fetch(ref)) {
                return null;
            } catch (SecretStoreException e) {
                return e;
            }
        });
        return outcomes.stream().filter(java.util.Objects::nonNull).toList();
    }

    private void assertReads(GoogleSecretManagerStore store, String name, String expected) {
        try (SecretValue value = store.fetch(ref("gsm:" + name))) {
            assertThat(value.asString()).isEqualTo(expected);
        }
    }

    @Test
    void retryAfterHeaderIsWaitedFor() {
        fake.failNext(ACCESS_SECRET_VERSION, 429, "RESOURCE_EXHAUSTED", 1, "5", null);

        assertReads(store(), "s0", VALUE + 0);

        assertThat(pauses).containsExactly(Duration.ofSeconds(5));
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isEqualTo(2);
    }

    @Test
    void retryInfoDetailIsWaitedFor() {
        fake.failNext(ACCESS_SECRET_VERSION, 503, "UNAVAILABLE", 1, null, "7s");

        assertReads(store(), "s0", VALUE + 0);

        assertThat(pauses).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void withoutAnAskedPauseTheBackOffDoubles() {
        fake.failNext(ACCESS_SECRET_VERSION, 503, "UNAVAILABLE", 3);
        GoogleSecretManagerStore store = store();

        assertReads(store, "s0", VALUE + 0);

        assertThat(store.requestCounts()).containsExactly(Map.entry("api", 4L), Map.entry("sign-in", 0L));

        assertThat(pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void anAskedPauseShorterThanTheBackOffDoesNotShortenIt() {
        fake.failNext(ACCESS_SECRET_VERSION, 429, "RESOURCE_EXHAUSTED", 1, "0", null);

        assertReads(store(), "s0", VALUE + 0);

        assertThat(pauses).containsExactly(Duration.ofMillis(250));
    }

    @Test
    void aPauseLongerThanAMinuteIsNotWaitedButReported() {
        fake.failNext(ACCESS_SECRET_VERSION, 429, "RESOURCE_EXHAUSTED", 1, "600", null);

        assertThatThrownBy(() -> store().fetch(ref("gsm:s0")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("store 'gsm', secret 's0': AccessSecretVersion failed with RESOURCE_EXHAUSTED; the "
                        + "service asks to retry after 10 min");
        assertThat(pauses).isEmpty();
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isEqualTo(1);
    }

    @Test
    void exhaustedRetriesSayHowManyAttemptsWereMade() {
        fake.failNext(ACCESS_SECRET_VERSION, 503, "UNAVAILABLE", 10);

        assertThatThrownBy(() -> store().fetch(ref("gsm:s0")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("store 'gsm', secret 's0': AccessSecretVersion failed with UNAVAILABLE after 4 attempts; "
                        + "try again later");
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isEqualTo(4);
    }

    @Test
    void aSingleAttemptDoesNotClaimRetries() {
        fake.failNext(ACCESS_SECRET_VERSION, 503, "UNAVAILABLE", 1);

        assertThatThrownBy(() -> store(fake.endpoint(), 1, Duration.ofSeconds(5)).fetch(ref("gsm:s0")))
                .hasMessage("store 'gsm', secret 's0': AccessSecretVersion failed with UNAVAILABLE; try again later");
    }

    @Test
    void anInternalErrorIsNotRetriedAndNotWordedAsRetried() {
        fake.failNext(ACCESS_SECRET_VERSION, 500, "INTERNAL", 1);

        assertThatThrownBy(() -> store().fetch(ref("gsm:s0")))
                .isInstanceOf(StoreUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("retries").doesNotContain("attempts"));
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isEqualTo(1);
    }

    @Test
    void anExhaustedRetryBudgetFailsTheOtherSecretsAtOnce() {
        fake.unavailable(true);

        List<SecretStoreException> failures = fetchTen(store(), 1);

        assertThat(failures).hasSize(10).allSatisfy(e -> assertThat(e).isInstanceOf(StoreUnavailableException.class)
                .hasMessageEndingWith("AccessSecretVersion failed with UNAVAILABLE after 4 attempts; try again later"));
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isEqualTo(4);
    }

    @Test
    void refusedConnectionNamesTheEndpointAndIsNotRetried() throws Exception {
        String endpoint = closedEndpoint();

        List<SecretStoreException> failures = fetchTen(store(endpoint, 4, Duration.ofSeconds(5)), 1);

        assertThat(failures).hasSize(10).allSatisfy(e -> assertThat(e)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageEndingWith(": cannot connect to " + endpoint + ": connection refused; check the endpoint "
                        + "setting and the network"));
        assertThat(failures).extracting(SecretStoreException::secretName)
                .containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
        assertThat(pauses).isEmpty();
    }

    @Test
    void unknownHostNamesTheEndpoint() {
        String endpoint = "http://secretmanager.example.invalid";

        assertThatThrownBy(() -> store(endpoint, 4, Duration.ofSeconds(5)).fetch(ref("gsm:s0")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("cannot connect to " + endpoint + ": host not found");
    }

    @Test
    void silentEndpointCostsOneTimeoutNotOnePerSecret() throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            List<SecretStoreException> failures = fetchTen(store(silent.url(), 4, Duration.ofMillis(200)), 1);

            assertThat(failures).hasSize(10).allSatisfy(e -> assertThat(e)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageEndingWith(": no answer from " + silent.url() + " within 200 ms (setting 'timeout')"));
            assertThat(silent.connections()).isEqualTo(1);
        }
    }

    @Test
    void silentEndpointCostsOneWaveOfConcurrentCalls() throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            List<SecretStoreException> failures = fetchTen(store(silent.url(), 4, Duration.ofMillis(200)), 8);

            assertThat(failures).hasSize(10);
            assertThat(failures).extracting(SecretStoreException::secretName).doesNotHaveDuplicates();
            assertThat(silent.connections()).isBetween(1, 8);
        }
    }

    @Test
    void anOutageIsForgottenAfterItsMemory() throws Exception {
        fake.unavailable(true);
        GoogleSecretManagerStore store = store();
        assertThatThrownBy(() -> store.fetch(ref("gsm:s0"))).isInstanceOf(StoreUnavailableException.class);
        fake.unavailable(false);
        assertThatThrownBy(() -> store.fetch(ref("gsm:s1"))).isInstanceOf(StoreUnavailableException.class);
        int before = fake.calls(ACCESS_SECRET_VERSION);

        clock.advance(SecretManagerCaller.OUTAGE_MEMORY);

        assertReads(store, "s1", VALUE + 1);
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isEqualTo(before + 1);
    }

    @Test
    void untrustedCertificateIsMisconfiguredNotAnOutage() throws Exception {
        HttpsServer tls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(TestCertificate.get().serverContext()));
        tls.createContext("/", exchange -> exchange.close());
        tls.start();
        try {
            String endpoint = "https://127.0.0.1:" + tls.getAddress().getPort();

            assertThatThrownBy(() -> store(endpoint, 4, Duration.ofSeconds(5)).fetch(ref("gsm:s0")))
                    .isInstanceOf(MisconfiguredException.class)
                    .hasMessage("store 'gsm', secret 's0': the certificate of " + endpoint + " is not trusted (no "
                            + "trusted CA issued it); set caCertFile, or the JVM trust store (-Djavax.net.ssl.trustStore=…,"
                            + " for example through JAVA_TOOL_OPTIONS), to the CA certificate that issued it; not retried");
            assertThat(pauses).isEmpty();
        } finally {
            tls.stop(0);
        }
    }

    @Test
    void retryAfterAsAnHttpDate() {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        assertThat(SecretManagerCaller.retryAfter("Tue, 01 Dec 2026 00:00:30 GMT", now))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(SecretManagerCaller.retryAfter("12", now)).isEqualTo(Duration.ofSeconds(12));
        assertThat(SecretManagerCaller.retryAfter("soon", now)).isNull();
    }

    private static String closedEndpoint() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
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
}
