package io.jenkins.plugins.kmssecrets.k8s;

import java.time.Duration;

/**
 * What happened to one ExternalSecret during a sync.
 *
 * @param namespace its namespace
 * @param name      its name
 * @param store     {@code Kind/name} of the ESO store it reads from, or {@code -}
 * @param outcome   the result
 * @param detail    one line: ESO's message, the timeout, or what was pruned; never a value
 * @param duration  how long it took
 * @since 0.1.0
 */
public record SyncResult(String namespace, String name, String store, Outcome outcome, String detail,
                         Duration duration) {

    /** The result of one resource. */
    public enum Outcome {
        /** Applied, and ESO reported a fresh {@code Ready=True} sync. */
        SYNCED(true),
        /** Accepted by a server-side dry-run apply (nothing changed). */
        DRY_RUN(true),
        /** ESO reported {@code SecretSyncedError}. */
        FAILED(false),
        /** No fresh {@code Ready=True} within the timeout. */
        TIMED_OUT(false),
        /** The apply (or a read) failed. */
        ERROR(false),
        /** Deleted by {@code --prune}: managed by kms-secrets for this app but no longer declared. */
        PRUNED(true),
        /** Would be deleted by {@code --prune} (dry run). */
        WOULD_PRUNE(true);

        private final boolean success;

        Outcome(boolean success) {
            this.success = success;
        }

        /** Whether this outcome counts as success. */
        public boolean isSuccess() {
            return success;
        }
    }
}
