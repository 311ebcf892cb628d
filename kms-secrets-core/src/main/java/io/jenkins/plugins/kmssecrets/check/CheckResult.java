package io.jenkins.plugins.kmssecrets.check;

import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import java.time.Instant;

/**
 * The value-free verdict on one secret.
 *
 * @param label     environment variable or secret name
 * @param reference the reference checked, as text
 * @param storeId   store id
 * @param name      secret name in the store
 * @param status    verdict
 * @param detail    why (for WARN and FAIL), {@code null} when OK
 * @param version   current version, or {@code null}
 * @param updated   last update, or {@code null}
 * @param expiresOn expiry, or {@code null}
 * @param daysLeft  whole days until expiry (negative when expired), or {@code null} without expiry
 * @param notBefore start of validity, or {@code null}
 * @param readable  whether the identity may read the value: asked of the store, or proven by reading it
 *                  ({@link CheckMode#READ}); {@code null} when the secret itself could not be checked
 * @since 0.1.0
 */
public record CheckResult(String label, String reference, String storeId, String name, CheckStatus status,
                          String detail, String version, Instant updated, Instant expiresOn, Long daysLeft,
                          Instant notBefore, ReadAccess readable) {

    /** A result without a read verdict. */
    public CheckResult(String label, String reference, String storeId, String name, CheckStatus status,
                       String detail, String version, Instant updated, Instant expiresOn, Long daysLeft,
                       Instant notBefore) {
        this(label, reference, storeId, name, status, detail, version, updated, expiresOn, daysLeft, notBefore,
                null);
    }

    /** The read verdict as reports show it: {@code yes}, {@code no}, {@code not verified}, or {@code null}. */
    public String readableLabel() {
        return readable == null ? null : readable.label();
    }
}
