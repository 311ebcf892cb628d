package io.jenkins.plugins.kmssecrets.check;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.ConcurrentCalls;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The value-free smoke check: for each target, does the secret exist, is it enabled, has its validity started and
 * not ended, how long until it expires, and may the identity read it? Uses
 * {@link io.jenkins.plugins.kmssecrets.store.SecretStore#describe} and
 * {@link io.jenkins.plugins.kmssecrets.store.SecretStore#readAccess} only, so it never reads a value. A store that
 * says the value is not readable ({@link ReadAccess#NOT_READABLE}) fails the secret, because {@code exec} would; a
 * store that cannot tell reports {@link ReadAccess#NOT_VERIFIED}.
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
        SecretStore store;
        try {
            store = stores.get(ref.storeId());
            metadata = store.describe(ref);
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
        ReadAccess readable = status == CheckStatus.FAIL ? ReadAccess.NOT_VERIFIED : readAccess(store, ref);
        if (readable == ReadAccess.NOT_READABLE) {
            status = CheckStatus.FAIL;
            detail = "not readable: the store's identity may list and describe the secret but not read its value";
        }
        return new CheckResult(target.label(), ref.toString(), ref.storeId(), ref.name(), status, detail,
                metadata.version(), metadata.updated(), metadata.expiresOn(), daysLeft, metadata.notBefore(),
                readable);
    }

    private static ReadAccess readAccess(SecretStore store, SecretReference ref) {
        try {
            return store.readAccess(ref);
        } catch (SecretStoreException e) {
            return ReadAccess.NOT_VERIFIED; // the verdict on the secret came from describe
        }
    }

    private static CheckResult failure(CheckTarget target, String detail) {
        SecretReference ref = target.reference();
        return new CheckResult(target.label(), ref.toString(), ref.storeId(), ref.name(), CheckStatus.FAIL, detail,
                null, null, null, null, null);
    }
}
