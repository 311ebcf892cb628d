package io.jenkins.plugins.kmssecrets.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a store says about one secret without reading its value.
 *
 * @param storeId     id of the store that holds the secret
 * @param name        the secret's name in that store (a key path for SOPS, a path for Vault)
 * @param version     current (or described) version id; {@code null} when the backend has no versions
 * @param enabled     whether the backend would serve the value ({@code true} when the state is
 *                    {@link State#UNKNOWN}: nothing says it would not)
 * @param created     creation time, or {@code null}
 * @param updated     last update time, or {@code null}
 * @param notBefore   the value must not be used before this time, or {@code null}
 * @param expiresOn   the value must not be used after this time, or {@code null}
 * @param tags        tags (Azure) or labels (Google) or custom metadata (Vault); never {@code null}, sorted by key
 * @param contentType content type as the backend reports it, or {@code null}
 * @param state       the secret's (or described version's) state; {@link State#UNKNOWN} where the backend cannot
 *                    tell (Vault KV version 1). Never {@code null}: a {@code null} argument is read from
 *                    {@code enabled}
 * @since 0.1.0
 */
public record SecretMetadata(
        String storeId,
        String name,
        String version,
        boolean enabled,
        Instant created,
        Instant updated,
        Instant notBefore,
        Instant expiresOn,
        Map<String, String> tags,
        String contentType,
        State state) {

    /**
     * Whether the backend would serve the value, as far as it can say.
     *
     * @since 0.2.0
     */
    public enum State {
        /** Served. */
        ENABLED("enabled"),
        /** Switched off (Azure {@code enabled: false}, Google {@code DISABLED}). */
        DISABLED("disabled"),
        /** Soft-deleted (a deleted Vault KV 2 version): not served until it is undeleted. */
        DELETED("deleted"),
        /** Destroyed (a destroyed Vault KV 2 or Google version): gone for good. */
        DESTROYED("destroyed"),
        /** The backend keeps no state to ask (Vault KV 1): the value is probably served, but nothing says so. */
        UNKNOWN("unknown");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** Lower-case word for tables and JSON: {@code enabled}, {@code disabled}, ... {@code unknown}. */
        public String label() {
            return label;
        }

        /** Whether a secret in this state may be served ({@link #ENABLED} and {@link #UNKNOWN}). */
        public boolean served() {
            return this == ENABLED || this == UNKNOWN;
        }
    }

    public SecretMetadata {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(name, "name");
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
        if (state == null) {
            state = enabled ? State.ENABLED : State.DISABLED;
        } else if (state.served() != enabled) {
            throw new IllegalArgumentException("enabled=" + enabled + " contradicts state " + state);
        }
    }

    /** Metadata whose state is read from {@code enabled}: {@link State#ENABLED} or {@link State#DISABLED}. */
    public SecretMetadata(String storeId, String name, String version, boolean enabled, Instant created,
            Instant updated, Instant notBefore, Instant expiresOn, Map<String, String> tags, String contentType) {
        this(storeId, name, version, enabled, created, updated, notBefore, expiresOn, tags, contentType, null);
    }

    /**
     * Metadata in {@code state} ({@code enabled} follows from it).
     *
     * @since 0.2.0
     */
    public static SecretMetadata of(String storeId, String name, String version, State state, Instant created,
            Instant updated, Instant notBefore, Instant expiresOn, Map<String, String> tags, String contentType) {
        Objects.requireNonNull(state, "state");
        return new SecretMetadata(storeId, name, version, state.served(), created, updated, notBefore, expiresOn,
                tags, contentType, state);
    }

    /** Metadata with only a name, enabled, and nothing else known. */
    public static SecretMetadata named(String storeId, String name) {
        return new SecretMetadata(storeId, name, null, true, null, null, null, null, Map.of(), null);
    }

    /** Whether the secret has expired at {@code now}. */
    public boolean isExpired(Instant now) {
        return expiresOn != null && !now.isBefore(expiresOn);
    }

    /** Whether the secret is not yet valid at {@code now}. */
    public boolean isNotYetValid(Instant now) {
        return notBefore != null && now.isBefore(notBefore);
    }

    /**
     * Why the backend would not serve (or a consumer should not use) the value at {@code now}, or {@code null} when
     * it is usable (which includes {@link State#UNKNOWN}).
     */
    public String unusableReason(Instant now) {
        switch (state) {
            case DISABLED:
                return "disabled";
            case DELETED:
                return version == null ? "deleted" : "version " + version + " is deleted";
            case DESTROYED:
                return version == null ? "destroyed" : "version " + version + " is destroyed";
            default:
                break;
        }
        if (isExpired(now)) {
            return "expired on " + expiresOn;
        }
        if (isNotYetValid(now)) {
            return "not valid before " + notBefore;
        }
        return null;
    }

    /**
     * One word or phrase for listings: the {@link #unusableReason(Instant) reason} it is unusable, otherwise
     * {@code enabled}, or {@code unknown} when the backend cannot tell.
     *
     * @since 0.2.0
     */
    public String stateAt(Instant now) {
        String reason = unusableReason(now);
        return reason != null ? reason : state.label();
    }
}
