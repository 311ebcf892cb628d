package io.jenkins.plugins.kmssecrets.store;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An overall limit on a piece of remote work (fetching or checking secrets, a cluster sync), above the per-request
 * limits of the stores ({@link NetworkLimits}): the work runs on a worker thread; when it has not finished in time,
 * or the calling thread is interrupted, the worker is interrupted (its store calls end at their next wait) and the
 * caller gets {@link OverallTimeoutException} naming what is still pending (or the {@link InterruptedException}).
 * Whatever the worker returns later is handed to {@code discard} (which wipes values), never to the caller.
 *
 * <p>Used by the CLI's {@code exec/check --timeout} and the pipeline steps' {@code timeout:}.
 *
 * @since 0.3.0
 */
public final class OverallTimeout {

    private OverallTimeout() {
    }

    /**
     * Runs {@code work} within {@code limit}; {@code null} means no overall limit, and the work then runs on this
     * thread.
     *
     * @param pending names what the work waits for (names and references, never values), for the message
     * @param discard disposes of a result that arrives after the limit or the interrupt
     * @throws OverallTimeoutException when the limit passed first
     * @throws InterruptedException    when this thread was interrupted while waiting (the worker is interrupted too)
     */
    public static <T> T run(Duration limit, Supplier<String> pending, Consumer<? super T> discard, Supplier<T> work)
            throws InterruptedException {
        if (limit == null) {
            return work.get();
        }
        return onWorker(limit, pending, discard, work);
    }

    /**
     * As {@link #run}, but always on a worker thread, so that an interrupt of this thread (a build being aborted)
     * returns at once and interrupts the work, limit or not ({@code null}: no overall limit).
     */
    public static <T> T runInterruptibly(Duration limit, Supplier<String> pending, Consumer<? super T> discard,
                                         Supplier<T> work) throws InterruptedException {
        return onWorker(limit, pending, discard, work);
    }

    private static <T> T onWorker(Duration limit, Supplier<String> pending, Consumer<? super T> discard,
                                  Supplier<T> work) throws InterruptedException {
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(discard, "discard");
        if (limit != null && (limit.isNegative() || limit.isZero())) {
            throw new IllegalArgumentException("the overall limit must be positive: " + limit);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "kms-secrets-timeout-worker");
        worker.setDaemon(true);
        worker.start();
        try {
            return limit == null ? result.get() : result.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            result.thenAccept(discard);
            throw new OverallTimeoutException(limit, pending.get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            worker.interrupt();
            result.thenAccept(discard);
            throw e;
        }
    }
}
