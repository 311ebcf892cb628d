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
 * @param enabled     whether the backend would serve the value
 * @param created     creation time, or {@code null}
 * @param updated     last update time, or {@code null}
 * @param notBefore   the value must not be used before this time, or {@code null}
 * @param expiresOn   the value must not be used after this time, or {@code null}
 * @param tags        tags (Azure) or labels (Google) or custom metadata (Vault); never {@code null}, sorted by key
 * @param contentType content type as the backend reports it, or {@code null}
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
        String contentType) {

    public SecretMetadata {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(name, "name");
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
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
     * it is usable.
     */
    public String unusableReason(Instant now) {
        if (!enabled) {
            return "disabled";
        }
        if (isExpired(now)) {
            return "expired on " + expiresOn;
        }
        if (isNotYetValid(now)) {
            return "not valid before " + notBefore;
        }
        return null;
    }
}
