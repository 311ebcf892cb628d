package io.jenkins.plugins.kmssecrets.store;

import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs store calls concurrently on a bounded pool of daemon threads, keeping input order. Store calls are I/O bound,
 * so a small pool per operation is enough; the pool lives only as long as the call. Each call runs in the caller's
 * {@link AuditContext} (captured when {@code map} is called), so the requests it makes name the caller.
 *
 * @since 0.1.0
 */
public final class ConcurrentCalls {

    private ConcurrentCalls() {
    }

    /** {@code items} mapped through {@code function}, at most {@code parallelism} at a time; the first failure is rethrown. */
    public static <T, R> List<R> map(List<T> items, int parallelism, Function<T, R> function) {
        return map(items, parallelism, function, result -> { });
    }

    /**
     * {@code items} mapped through {@code function}, at most {@code parallelism} at a time. When a call fails (or the
     * caller is interrupted) the first failure is rethrown, but only after every started call has finished: no pool
     * thread outlives this method, and every result that was produced but is not returned is handed to
     * {@code discard} (so a caller holding secret values can wipe them).
     */
    public static <T, R> List<R> map(List<T> items, int parallelism, Function<T, R> calls,
                                     Consumer<? super R> discard) {
        Function<T, R> function = AuditContext.propagating(calls);
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
        List<Future<R>> futures = new ArrayList<>();
        boolean returned = false;
        try {
            for (T item : items) {
                futures.add(pool.submit(() -> function.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            returned = true;
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
            awaitTermination(pool);
            if (!returned) {
                discardCompleted(futures, discard);
            }
        }
    }

    /** Waits for the running calls to end even if interrupted (the interrupt is kept for the caller). */
    private static void awaitTermination(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static <R> void discardCompleted(List<Future<R>> futures, Consumer<? super R> discard) {
        for (Future<R> future : futures) {
            // Calls never started (removed by shutdownNow) are not done; failed calls have no result.
            if (future.isDone() && !future.isCancelled()) {
                R result;
                try {
                    result = future.get();
                } catch (ExecutionException | InterruptedException e) {
                    continue; // that call failed: nothing to discard (get() does not block on a done future)
                }
                discard.accept(result);
            }
        }
    }
}
