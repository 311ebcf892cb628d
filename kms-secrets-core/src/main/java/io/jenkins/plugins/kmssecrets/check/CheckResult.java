package io.jenkins.plugins.kmssecrets.check;

import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import java.time.Instant;

/**
 * The verdict on one secret; it never holds any of the value. In a {@link CheckMode#READ} check, {@code readable}
 * is what reading the value showed rather than what the store answered.
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
 * @param readable  whether the identity may read the value, as the store answered without reading it
 *                  ({@link io.jenkins.plugins.kmssecrets.store.SecretStore#readAccess}); never {@code null}:
 *                  {@link ReadAccess#NOT_VERIFIED} when the store cannot tell or the secret was not found
 * @since 0.1.0
 */
public record CheckResult(String label, String reference, String storeId, String name, CheckStatus status,
                          String detail, String version, Instant updated, Instant expiresOn, Long daysLeft,
                          Instant notBefore, ReadAccess readable) {

    public CheckResult {
        readable = readable == null ? ReadAccess.NOT_VERIFIED : readable;
    }

    /** A result whose read permission was not verified. */
    public CheckResult(String label, String reference, String storeId, String name, CheckStatus status,
            String detail, String version, Instant updated, Instant expiresOn, Long daysLeft, Instant notBefore) {
        this(label, reference, storeId, name, status, detail, version, updated, expiresOn, daysLeft, notBefore,
                ReadAccess.NOT_VERIFIED);
    }
}
