package io.jenkins.plugins.kmssecrets.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A command's {@code --timeout}: the remote part of the command (fetching or checking secrets) runs on a worker
 * thread; when it has not finished in time, the worker is interrupted (its store calls end at their next wait) and
 * the command fails with exit code 3, naming what is still pending. Whatever the worker returns later is discarded
 * (values wiped), never used.
 */
final class OverallTimeout {

    private OverallTimeout() {
    }

    /**
     * Runs {@code work} within {@code limit} ({@code null}: no limit, on this thread).
     *
     * @param pending names what the work waits for, for the message
     * @param discard disposes of a result that arrives after the limit
     * @throws CommandFailedException with {@link ExitCode#STORE} when the limit passed
     */
    static <T> T run(Duration limit, Supplier<String> pending, Consumer<T> discard, Supplier<T> work)
            throws InterruptedException {
        if (limit == null) {
            return work.get();
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
            return result.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            result.thenAccept(discard);
            throw new CommandFailedException(ExitCode.STORE, "did not finish within "
                    + io.jenkins.plugins.kmssecrets.store.NetworkLimits.text(limit) + " (--timeout); still pending: " + pending.get());
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
