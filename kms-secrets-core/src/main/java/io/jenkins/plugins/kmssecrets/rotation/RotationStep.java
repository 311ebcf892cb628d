package io.jenkins.plugins.kmssecrets.rotation;

import java.time.Duration;
import java.util.Objects;

/**
 * One line of a rotation report: the new version written, an ExternalSecret pushed, or a workload restarted.
 *
 * @param kind      {@code Secret}, {@code ExternalSecret}, {@code Deployment}, {@code StatefulSet}, ...
 * @param namespace the namespace, or {@code -} for the store
 * @param name      the resource (or {@code store:name} for the secret)
 * @param outcome   what happened
 * @param detail    one line of detail (never a value)
 * @param duration  how long it took
 * @since 0.2.0
 */
public record RotationStep(String kind, String namespace, String name, Outcome outcome, String detail,
                           Duration duration) {

    /** What happened to one resource. */
    public enum Outcome {
        /** A new version was written. */
        WRITTEN(true),
        /** Would be done (dry run). */
        PLANNED(true),
        /** The generated Secret carries the new value. */
        SYNCED(true),
        /** A rolling restart was done and has finished. */
        RESTARTED(true),
        /** Nothing to do: the value reaches it without a restart (volume, next CronJob run). */
        UPDATED_IN_PLACE(true),
        /** It keeps the old value until restarted, and no restart was asked for. */
        RESTART_NEEDED(true),
        /** Left alone, with the reason in the detail. */
        SKIPPED(true),
        /** Not done in time. */
        TIMED_OUT(false),
        /** Failed. */
        FAILED(false);

        private final boolean success;

        Outcome(boolean success) {
            this.success = success;
        }

        public boolean isSuccess() {
            return success;
        }
    }

    public RotationStep {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        namespace = namespace == null ? "-" : namespace;
        duration = duration == null ? Duration.ZERO : duration;
    }
}
