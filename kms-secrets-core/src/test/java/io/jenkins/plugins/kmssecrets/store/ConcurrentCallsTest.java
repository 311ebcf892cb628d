package io.jenkins.plugins.kmssecrets.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ConcurrentCallsTest {

    @Test
    void aFailureWaitsForRunningCallsAndDiscardsTheirResults() {
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean slowFinished = new AtomicBoolean();
        List<String> discarded = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> ConcurrentCalls.map(List.of("fail", "slow"), 2, item -> {
            try {
                if (item.equals("fail")) {
                    slowStarted.await();
                    throw new IllegalStateException("failed");
                }
                slowStarted.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    // the pool is being shut down: finish with a result that must not be lost
                }
                return "late";
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                if (item.equals("slow")) {
                    slowFinished.set(true);
                }
            }
        }, discarded::add)).isInstanceOf(IllegalStateException.class).hasMessage("failed");

        assertThat(slowFinished).isTrue();
        assertThat(discarded).containsExactly("late");
    }

    @Test
    void successDiscardsNothing() {
        List<Integer> discarded = new CopyOnWriteArrayList<>();
        assertThat(ConcurrentCalls.map(List.of(1, 2, 3), 2, i -> i * 10, discarded::add)).containsExactly(10, 20, 30);
        assertThat(discarded).isEmpty();
    }
}
