package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The overall limit shared by the CLI's {@code --timeout} and the pipeline steps' {@code timeout:}: the result when
 * the work finishes, the work's own exception as it is, and at the limit (or on an interrupt of the caller) the
 * worker interrupted and a late result discarded, never returned.
 */
class OverallTimeoutTest {

    @Test
    void returnsTheResultOfWorkThatFinishes() throws Exception {
        assertThat(OverallTimeout.run(Duration.ofSeconds(30), () -> "x", r -> { }, () -> "done")).isEqualTo("done");
        assertThat(OverallTimeout.runInterruptibly(null, () -> "x", r -> { }, () -> "done")).isEqualTo("done");
    }

    @Test
    void withoutALimitRunRunsOnTheCallingThreadAndRunInterruptiblyOnAWorker() throws Exception {
        Thread caller = Thread.currentThread();
        assertThat(OverallTimeout.run(null, () -> "x", r -> { }, Thread::currentThread)).isSameAs(caller);
        assertThat(OverallTimeout.runInterruptibly(null, () -> "x", r -> { }, Thread::currentThread))
                .isNotSameAs(caller);
    }

    @Test
    void rethrowsTheWorksOwnException() {
        assertThatThrownBy(() -> OverallTimeout.run(Duration.ofSeconds(30), () -> "x", r -> { }, () -> {
            throw new StoreUnavailableException("vault", "ci/db", "down", null);
        })).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("down");
    }

    @Test
    void atTheLimitInterruptsTheWorkerNamesWhatIsPendingAndDiscardsALateResult() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch discarded = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> OverallTimeout.run(Duration.ofMillis(200), () -> "DB_PASSWORD (vault:ci/db)",
                (String late) -> {
                    seen.add(late);
                    discarded.countDown();
                }, () -> {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                    }
                    return "late value";
                }))
                .isInstanceOfSatisfying(OverallTimeoutException.class, e -> {
                    assertThat(e.limit()).isEqualTo(Duration.ofMillis(200));
                    assertThat(e.pending()).isEqualTo("DB_PASSWORD (vault:ci/db)");
                    assertThat(e.getMessage())
                            .isEqualTo("did not finish within 200 ms; still pending: DB_PASSWORD (vault:ci/db)");
                    assertThat(e.message("timeout"))
                            .isEqualTo("did not finish within 200 ms (timeout); still pending: DB_PASSWORD (vault:ci/db)");
                });
        assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("worker interrupted").isTrue();
        assertThat(discarded.await(30, TimeUnit.SECONDS)).as("late result discarded").isTrue();
        assertThat(seen).containsExactly("late value");
    }

    @Test
    void anInterruptOfTheCallerInterruptsTheWorkerEvenWithoutALimit() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch workerInterrupted = new CountDownLatch(1);
        AtomicReference<Throwable> callerGot = new AtomicReference<>();
        AtomicBoolean returned = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                OverallTimeout.runInterruptibly(null, () -> "x", r -> { }, () -> {
                    started.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        workerInterrupted.countDown();
                    }
                    return "late";
                });
                returned.set(true);
            } catch (Throwable t) {
                callerGot.set(t);
            }
        });
        caller.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join(30_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(returned).isFalse();
        assertThat(callerGot.get()).isInstanceOf(InterruptedException.class);
        assertThat(workerInterrupted.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void refusesANonPositiveLimit() {
        assertThatThrownBy(() -> OverallTimeout.run(Duration.ZERO, () -> "x", r -> { }, () -> "y"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
