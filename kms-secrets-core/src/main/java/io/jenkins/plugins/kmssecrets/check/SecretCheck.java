package io.jenkins.plugins.kmssecrets.check;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.ConcurrentCalls;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The value-free smoke check: for each target, does the secret exist, is it enabled, has its validity started and
 * not ended, and how long until it expires? Uses {@link io.jenkins.plugins.kmssecrets.store.SecretStore#describe}
 * only, so it works with an identity that may list secrets but not read them, and never reads a value.
 *
 * @since 0.1.0
 */
public final class SecretCheck {

    /** Default warning threshold before expiry. */
    public static final int DEFAULT_WARN_DAYS = 30;

    private final StoreSet stores;
    private final Clock clock;
    private final int warnDays;
    private final int parallelism;

    /**
     * @param stores      the stores the targets refer to
     * @param clock       the clock "now" is read from
     * @param warnDays    warn when a secret expires within this many days
     * @param parallelism at most this many describe calls at once
     */
    public SecretCheck(StoreSet stores, Clock clock, int warnDays, int parallelism) {
        if (warnDays < 0) {
            throw new IllegalArgumentException("warnDays must not be negative");
        }
        this.stores = stores;
        this.clock = clock;
        this.warnDays = warnDays;
        this.parallelism = Math.max(1, parallelism);
    }

    /** Checks every target; describe calls run concurrently, results keep target order. */
    public CheckReport run(List<CheckTarget> targets) {
        Instant now = clock.instant();
        List<CheckResult> results = ConcurrentCalls.map(targets, parallelism, target -> check(target, now));
        return new CheckReport(now, results);
    }

    private CheckResult check(CheckTarget target, Instant now) {
        SecretReference ref = target.reference();
        SecretMetadata metadata;
        try {
            metadata = stores.get(ref.storeId()).describe(ref);
        } catch (SecretNotFoundException e) {
            return failure(target, "not found" + (ref.version() == null ? "" : " (version " + ref.version() + ")"));
        } catch (AccessDeniedException e) {
            return failure(target, "access denied: " + e.getMessage());
        } catch (StoreUnavailableException e) {
            return failure(target, "store unavailable: " + e.getMessage());
        } catch (SecretStoreException e) {
            return failure(target, e.getMessage());
        }
        Long daysLeft = metadata.expiresOn() == null ? null
                : Math.floorDiv(Duration.between(now, metadata.expiresOn()).toSeconds(), 86_400L);
        CheckStatus status = CheckStatus.OK;
        String detail = metadata.unusableReason(now);
        if (detail != null) {
            status = CheckStatus.FAIL;
        } else if (daysLeft != null && daysLeft < warnDays) {
            status = CheckStatus.WARN;
            detail = "expires in " + daysLeft + " day" + (daysLeft == 1 ? "" : "s") + " (warning below "
                    + warnDays + ")";
        }
        return new CheckResult(target.label(), ref.toString(), ref.storeId(), ref.name(), status, detail,
                metadata.version(), metadata.updated(), metadata.expiresOn(), daysLeft, metadata.notBefore());
    }

    private static CheckResult failure(CheckTarget target, String detail) {
        SecretReference ref = target.reference();
        return new CheckResult(target.label(), ref.toString(), ref.storeId(), ref.name(), CheckStatus.FAIL, detail,
                null, null, null, null, null);
    }
}
