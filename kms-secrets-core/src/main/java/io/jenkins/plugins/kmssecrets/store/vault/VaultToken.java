package io.jenkins.plugins.kmssecrets.store.vault;

import java.time.Duration;
import java.time.Instant;

/**
 * A Vault token and when to replace it. Never printed: {@link #toString()} masks it and it is only ever placed into
 * the {@code X-Vault-Token} header.
 */
final class VaultToken {

    private final String token;
    private final Instant refreshAt;
    private final boolean renewable;

    /**
     * @param token     the client token
     * @param obtained  when it was obtained or renewed
     * @param ttl       its time to live; zero means it does not expire (root and periodic tokens without a TTL)
     * @param renewable whether {@code auth/token/renew-self} may extend it
     */
    VaultToken(String token, Instant obtained, Duration ttl, boolean renewable) {
        this.token = token;
        // Replace at two thirds of the TTL, as Vault Agent does, so a slow call never runs into the expiry.
        this.refreshAt = ttl.isZero() ? null : obtained.plus(ttl.multipliedBy(2).dividedBy(3));
        this.renewable = renewable;
    }

    String value() {
        return token;
    }

    boolean renewable() {
        return renewable;
    }

    boolean dueForRefresh(Instant now) {
        return refreshAt != null && !now.isBefore(refreshAt);
    }

    @Override
    public String toString() {
        return "VaultToken[****]";
    }
}
