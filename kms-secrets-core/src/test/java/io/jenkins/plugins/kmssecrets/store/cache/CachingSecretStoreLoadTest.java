package io.jenkins.plugins.kmssecrets.store.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.testing.CacheLoad;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The short variant of the load test (the long one is {@code CacheLoadHarness} in kms-secrets-bench): 64 threads
 * resolve overlapping references through one cache over the real Vault store and a fake Vault, in rounds separated
 * by a TTL on a stepping clock, so every count is exact and counted at the server.
 */
class CachingSecretStoreLoadTest {

    private static final int THREADS = 64;
    private static final int SECRETS = 24;
    private static final int REFERENCES = 4;
    private static final int ROUNDS = 4;

    @Test
    void oneListingPerTtlAndEveryValueRightUnder64Threads() throws Exception {
        try (CacheLoad load = CacheLoad.rounds(THREADS, SECRETS, REFERENCES, Duration.ofMinutes(1))) {
            CacheLoad.Report report = load.runRounds(ROUNDS, Duration.ofSeconds(120));

            assertThat(report.threadDump()).as("workers stuck (thread dump)").isNull();
            assertThat(report.errors()).isEmpty();
            assertThat(report.iterations()).isEqualTo((long) THREADS * ROUNDS);
            assertThat(report.lost()).isZero();
            assertThat(report.mixedUp()).isZero();
            assertThat(report.valuesChecked()).isEqualTo((long) THREADS * ROUNDS * REFERENCES);
            // Single flight: one listing per TTL (the cold load, then one background refresh per round), never two
            // at once, although every thread asked for the list in every round.
            assertThat(report.listRequests()).isEqualTo(ROUNDS);
            assertThat(report.listMaxInFlight()).isEqualTo(1);
            assertThat(report.metadataRequests()).isEqualTo(ROUNDS * SECRETS);
            // Values are never cached: every resolution reads each of its distinct secrets once.
            assertThat(report.valueReads()).isEqualTo(THREADS * ROUNDS * REFERENCES);
        }
    }
}
