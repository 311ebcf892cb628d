package io.jenkins.plugins.kmssecrets.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs store calls concurrently on a bounded pool of daemon threads, keeping input order. Store calls are I/O bound,
 * so a small pool per operation is enough; the pool lives only as long as the call.
 *
 * @since 0.1.0
 */
public final class ConcurrentCalls {

    private ConcurrentCalls() {
    }

    /** {@code items} mapped through {@code function}, at most {@code parallelism} at a time; the first failure is rethrown. */
    public static <T, R> List<R> map(List<T> items, int parallelism, Function<T, R> function) {
        if (items.size() <= 1) {
            return items.stream().map(function).toList();
        }
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "kms-secrets-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, items.size()), threads);
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> function.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
