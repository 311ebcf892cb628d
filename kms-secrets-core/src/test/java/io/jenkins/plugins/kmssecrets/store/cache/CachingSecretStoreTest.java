package io.jenkins.plugins.kmssecrets.store.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CachingSecretStoreTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
    private final ManualExecutor executor = new ManualExecutor();
    private ScriptedSecretStore backend;
    private CachingSecretStore cache;

    @BeforeEach
    void setUp() {
        backend = new ScriptedSecretStore().answer("a", "b");
        cache = new CachingSecretStore(backend, TTL, clock, executor);
    }

    private static List<String> names(List<SecretMetadata> entries) {
        return entries.stream().map(SecretMetadata::name).toList();
    }

    @Test
    void firstListFetchesFromTheBackend() {
        assertThat(names(cache.list())).containsExactly("a", "b");
        assertThat(backend.listCalls).hasValue(1);
    }

    @Test
    void listWithinTheTtlIsServedFromTheCache() {
        cache.list();
        clock.advance(TTL.minusSeconds(1));
        cache.list();
        assertThat(backend.listCalls).hasValue(1);
        assertThat(executor.pending()).isZero();
    }

    @Test
    void listAfterTheTtlServesTheCachedListAndRefreshesInTheBackground() {
        cache.list();
        backend.answer("a", "b", "c");
        clock.advance(TTL.plusSeconds(1));
        assertThat(names(cache.list())).containsExactly("a", "b");
        assertThat(backend.listCalls).hasValue(1);

        executor.runAll();
        assertThat(backend.listCalls).hasValue(2);
        assertThat(names(cache.list())).containsExactly("a", "b", "c");
    }

    @Test
    void onlyOneBackgroundRefreshIsQueuedAtATime() {
        cache.list();
        clock.advance(TTL.plusSeconds(1));
        cache.list();
        cache.list();
        cache.lookup("a");
        assertThat(executor.pending()).isEqualTo(1);
    }

    @Test
    void servesLastKnownGoodDuringAnOutage() {
        cache.list();
        backend.failWith(new StoreUnavailableException("scripted", null, "vault answered 503"));
        clock.advance(TTL.plusMinutes(2));
        cache.list();
        executor.runAll();

        assertThat(names(cache.list())).containsExactly("a", "b");
        CacheStatus status = cache.status();
        assertThat(status.stale()).isTrue();
        assertThat(status.age()).isEqualTo(TTL.plusMinutes(2));
        assertThat(status.lastError()).contains("vault answered 503");
    }

    @Test
    void emptyAnswerRightAfterAFailureDoesNotReplaceTheCache() {
        cache.list();
        backend.failWith(new StoreUnavailableException("scripted", null, "down"));
        cache.refreshNow();
        backend.answer();
        cache.refreshNow();

        assertThat(names(cache.list())).containsExactly("a", "b");
        assertThat(cache.status().stale()).isTrue();
        assertThat(cache.status().lastError()).contains("returned no secrets right after a failed refresh");
    }

    @Test
    void secondConsecutiveEmptyAnswerIsBelieved() {
        cache.list();
        backend.failWith(new StoreUnavailableException("scripted", null, "down"));
        cache.refreshNow();
        backend.answer();
        cache.refreshNow();
        cache.refreshNow();

        assertThat(cache.list()).isEmpty();
        assertThat(cache.status().stale()).isFalse();
    }

    @Test
    void emptyAnswerAfterASuccessIsBelieved() {
        cache.list();
        backend.answer();
        cache.refreshNow();
        assertThat(cache.list()).isEmpty();
    }

    @Test
    void successfulRefreshClearsTheStaleFlagAndError() {
        cache.list();
        backend.failWith(new StoreUnavailableException("scripted", null, "down"));
        cache.refreshNow();
        backend.answer("a");
        clock.advance(Duration.ofMinutes(1));
        cache.refreshNow();

        CacheStatus status = cache.status();
        assertThat(status.stale()).isFalse();
        assertThat(status.lastError()).isNull();
        assertThat(status.age()).isEqualTo(Duration.ZERO);
        assertThat(status.size()).isEqualTo(1);
    }

    @Test
    void listOlderThanTheTtlIsFlaggedStaleUntilRefreshed() {
        cache.list();
        clock.advance(TTL.plusSeconds(1));
        assertThat(cache.status().stale()).isTrue();
        assertThat(cache.status().lastError()).isNull();
    }

    @Test
    void firstListFailureIsThrownWhenNothingIsCached() {
        backend.failWith(new StoreUnavailableException("scripted", null, "down"));
        assertThatThrownBy(() -> cache.list()).isInstanceOf(StoreUnavailableException.class);
        assertThat(cache.status().fetchedAt()).isNull();
    }

    @Test
    void failedFirstLoadIsNotRetriedByEveryCallerWithinTheBackOff() {
        assertThat(cache.status().neverListed()).as("not asked yet").isFalse();
        assertThat(cache.status().summary()).isEqualTo("no list fetched yet");
        backend.failWith(new AccessDeniedException("scripted", null, "403: needs secrets/list"));
        assertThatThrownBy(() -> cache.list()).isInstanceOf(AccessDeniedException.class);

        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(() -> cache.lookup("a"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessage("store 'scripted': 403: needs secrets/list (not retried for another 5s)");
        }
        assertThat(backend.listCalls).as("one backend call for 51 lookups").hasValue(1);
        assertThat(cache.status().summary()).isEqualTo("never listed (store 'scripted': 403: needs "
                + "secrets/list)");
        assertThat(cache.status().neverListed()).isTrue();

        clock.advance(CachingSecretStore.FIRST_RETRY_DELAY);
        assertThatThrownBy(() -> cache.list()).isInstanceOf(AccessDeniedException.class);
        assertThat(backend.listCalls).hasValue(2);
        clock.advance(CachingSecretStore.FIRST_RETRY_DELAY);
        assertThatThrownBy(() -> cache.list()).hasMessageEndingWith("(not retried for another 5s)");
        assertThat(backend.listCalls).as("the second wait is twice as long").hasValue(2);

        backend.answer("a", "b");
        clock.advance(CachingSecretStore.FIRST_RETRY_DELAY);
        assertThat(names(cache.list())).containsExactly("a", "b");
        assertThat(backend.listCalls).hasValue(3);
        assertThat(cache.status().lastError()).isNull();
    }

    @Test
    void explicitRefreshIgnoresTheBackOffOfAFailedFirstLoad() {
        backend.failWith(new StoreUnavailableException("scripted", null, "down"));
        assertThatThrownBy(() -> cache.list()).isInstanceOf(StoreUnavailableException.class);
        backend.answer("a");

        cache.refreshNow();

        assertThat(names(cache.list())).containsExactly("a");
        assertThat(backend.listCalls).hasValue(2);
    }

    @Test
    void unexpectedExceptionIsSummarisedByTypeOnly() {
        cache.list();
        backend.failWith(new IllegalStateException("body: {\"value\":\"s3cr3t-body\"}"));
        cache.refreshNow();
        assertThat(cache.status().lastError()).contains("IllegalStateException").doesNotContain("s3cr3t-body");
    }

    @Test
    void lookupFindsOneEntryAmongTenThousandWithoutCallingTheBackendAgain() {
        List<SecretMetadata> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(SecretMetadata.named("scripted", "secret-" + i));
        }
        backend.answer(many);
        cache.list();
        assertThat(cache.lookup("secret-9876")).map(SecretMetadata::name).contains("secret-9876");
        assertThat(cache.lookup("secret-10000")).isEmpty();
        assertThat(backend.listCalls).hasValue(1);
    }

    @Test
    void fetchAlwaysReadsTheBackend() {
        cache.fetch(SecretReference.of("scripted", "a")).wipe();
        cache.fetch(SecretReference.of("scripted", "a")).wipe();
        assertThat(backend.fetchCalls).hasValue(2);
    }

    @Test
    void describeAlwaysAsksTheBackend() {
        cache.list();
        cache.describe(SecretReference.of("scripted", "a"));
        assertThat(backend.describeCalls).hasValue(1);
    }

    @Test
    void toStringShowsTheStatusNotTheEntries() {
        cache.list();
        assertThat(cache.toString()).contains("2 entries").doesNotContain("value-of");
    }

    private void lookups(int count) {
        for (int i = 0; i < count; i++) {
            cache.lookup("a");
            executor.runAll();
        }
    }

    @Test
    void outageCausesOneBackendCallPerBackoffWindow() {
        cache.list();
        backend.failWith(new StoreUnavailableException("scripted", null, "429 too many requests"));
        clock.advance(TTL.plusSeconds(1));

        lookups(10);
        assertThat(backend.listCalls).hasValue(2);

        clock.advance(CachingSecretStore.FIRST_RETRY_DELAY.minusSeconds(1));
        lookups(10);
        assertThat(backend.listCalls).hasValue(2);

        clock.advance(Duration.ofSeconds(1));
        lookups(10);
        assertThat(backend.listCalls).hasValue(3);

        // the window doubles after each consecutive failure
        clock.advance(CachingSecretStore.FIRST_RETRY_DELAY.multipliedBy(2).minusSeconds(1));
        lookups(10);
        assertThat(backend.listCalls).hasValue(3);
        clock.advance(Duration.ofSeconds(1));
        lookups(10);
        assertThat(backend.listCalls).hasValue(4);
        assertThat(names(cache.list())).containsExactly("a", "b");
        assertThat(cache.status().stale()).isTrue();
    }

    @Test
    void backoffNeverExceedsTheTtl() {
        cache.list();
        clock.advance(TTL.plusSeconds(1));
        backend.failWith(new StoreUnavailableException("scripted", null, "down"));
        for (int i = 0; i < 12; i++) {
            cache.refreshNow();
        }
        int calls = backend.listCalls.get();

        clock.advance(TTL.minusSeconds(1));
        lookups(5);
        assertThat(backend.listCalls).hasValue(calls);
        clock.advance(Duration.ofSeconds(1));
        lookups(5);
        assertThat(backend.listCalls).hasValue(calls + 1);
    }

    @Test
    void successAfterAnOutageEndsTheBackoff() {
        cache.list();
        backend.failWith(new StoreUnavailableException("scripted", null, "down"));
        cache.refreshNow();
        backend.answer("a", "b", "c");
        cache.refreshNow();
        backend.failWith(new StoreUnavailableException("scripted", null, "down again"));
        int calls = backend.listCalls.get();

        clock.advance(TTL.plusSeconds(1));
        lookups(1);
        assertThat(backend.listCalls).hasValue(calls + 1);
    }

    @Test
    void olderBackgroundAnswerDoesNotOverwriteANewerRefreshNow() {
        cache.list();
        clock.advance(TTL.plusSeconds(1));
        cache.list();
        // The background refresh asks first, but refreshNow answers while it is still waiting for the backend.
        backend.answerWith(() -> {
            backend.answer("new");
            cache.refreshNow();
            return ScriptedSecretStore.entries("old");
        });
        executor.runAll();

        assertThat(names(cache.list())).containsExactly("new");
    }

    @Test
    void olderBackgroundFailureDoesNotMarkANewerAnswerStale() {
        cache.list();
        clock.advance(TTL.plusSeconds(1));
        cache.list();
        backend.answerWith(() -> {
            backend.answer("new");
            cache.refreshNow();
            throw new StoreUnavailableException("scripted", null, "slow and failed");
        });
        executor.runAll();

        assertThat(names(cache.list())).containsExactly("new");
        assertThat(cache.status().stale()).isFalse();
        assertThat(cache.status().lastError()).isNull();
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
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

    /** An executor that queues tasks until the test runs them. */
    static final class ManualExecutor implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable command) {
            tasks.add(command);
        }

        int pending() {
            return tasks.size();
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }
}
