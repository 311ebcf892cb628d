package io.jenkins.plugins.kmssecrets.check;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.ConcurrentCalls;
import io.jenkins.plugins.kmssecrets.store.JsonProperty;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretResolver;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The smoke check: for each target, does the secret exist, is it enabled, has its validity started and not ended,
 * how long until it expires, and may this identity read its value?
 *
 * <p>In {@link CheckMode#METADATA} (the default) it never reads a value: it calls
 * {@link SecretStore#describe} and {@link SecretStore#readAccess}, so it works with an identity that may list secrets
 * but not read them, and reports "not verified" where the store cannot answer the read question (Azure Key Vault).
 * In {@link CheckMode#READ} it also fetches each value (each distinct store, name and version once) into memory,
 * verifies that it is not empty and that the referenced {@code #property} exists and is a string, and wipes it;
 * nothing of a value ever reaches a result.
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
    private final CheckMode mode;

    /**
     * A {@link CheckMode#METADATA} check.
     *
     * @param stores      the stores the targets refer to
     * @param clock       the clock "now" is read from
     * @param warnDays    warn when a secret expires within this many days
     * @param parallelism at most this many store calls at once
     */
    public SecretCheck(StoreSet stores, Clock clock, int warnDays, int parallelism) {
        this(stores, clock, warnDays, parallelism, CheckMode.METADATA);
    }

    /**
     * @param mode whether values are read ({@link CheckMode#READ}) or only metadata
     * @since 0.2.0
     */
    public SecretCheck(StoreSet stores, Clock clock, int warnDays, int parallelism, CheckMode mode) {
        if (warnDays < 0) {
            throw new IllegalArgumentException("warnDays must not be negative");
        }
        this.stores = stores;
        this.clock = clock;
        this.warnDays = warnDays;
        this.parallelism = Math.max(1, parallelism);
        this.mode = mode == null ? CheckMode.METADATA : mode;
    }

    /** Checks every target; store calls run concurrently, results keep target order. */
    public CheckReport run(List<CheckTarget> targets) {
        Instant now = clock.instant();
        List<CheckResult> results = new ArrayList<>(ConcurrentCalls.map(targets, parallelism,
                target -> check(target, now)));
        if (mode == CheckMode.READ) {
            readValues(results, targets);
        }
        return new CheckReport(now, results, mode);
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
        ReadAccess readable = status == CheckStatus.FAIL || mode == CheckMode.READ ? ReadAccess.NOT_VERIFIED
                : readAccess(store, ref);
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
            ReadAccess answer = store.readAccess(ref);
            return answer == null ? ReadAccess.NOT_VERIFIED : answer;
        } catch (SecretStoreException e) {
            return ReadAccess.NOT_VERIFIED; // the verdict on the secret came from describe
        }
    }

    /** {@link CheckMode#READ}: reads the value of every target whose metadata passed and merges the verdicts. */
    private void readValues(List<CheckResult> results, List<CheckTarget> targets) {
        Map<String, SecretReference> readable = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).status() != CheckStatus.FAIL) {
                readable.put(Integer.toString(i), targets.get(i).reference());
            }
        }
        Map<String, ValueVerdict> verdicts = new SecretResolver(stores, parallelism).inspect(readable,
                SecretCheck::verify);
        verdicts.forEach((index, verdict) -> {
            int i = Integer.parseInt(index);
            results.set(i, merge(results.get(i), verdict));
        });
    }

    /** What reading one value showed; never holds any of the value. */
    private record ValueVerdict(CheckStatus status, String detail, ReadAccess readable) {
    }

    private static ValueVerdict verify(SecretReference reference, SecretValue document, SecretStoreException failure) {
        if (failure != null) {
            boolean denied = failure instanceof AccessDeniedException;
            return new ValueVerdict(CheckStatus.FAIL, "value not readable: " + failure.detail(),
                    denied ? ReadAccess.NOT_READABLE : ReadAccess.NOT_VERIFIED);
        }
        String property = reference.property();
        if (property == null) {
            return document.length() == 0
                    ? new ValueVerdict(CheckStatus.FAIL, "the value is empty", ReadAccess.READABLE)
                    : new ValueVerdict(CheckStatus.OK, null, ReadAccess.READABLE);
        }
        String type;
        try {
            type = JsonProperty.type(document, property, reference.storeId(), reference.name());
        } catch (SecretStoreException e) {
            return new ValueVerdict(CheckStatus.FAIL, e.detail(), ReadAccess.READABLE);
        }
        if (!"string".equals(type)) {
            return new ValueVerdict(CheckStatus.WARN, "property '" + property + "' is " + article(type) + ", not a "
                    + "string; exec passes its JSON text", ReadAccess.READABLE);
        }
        try (SecretValue field = JsonProperty.select(document, property, reference.storeId(), reference.name())) {
            return field.length() == 0
                    ? new ValueVerdict(CheckStatus.FAIL, "property '" + property + "' is empty", ReadAccess.READABLE)
                    : new ValueVerdict(CheckStatus.OK, null, ReadAccess.READABLE);
        }
    }

    private static String article(String type) {
        return (type.startsWith("a") || type.startsWith("o") ? "an " : "a ") + type;
    }

    private static CheckResult merge(CheckResult result, ValueVerdict verdict) {
        CheckStatus status = verdict.status().compareTo(result.status()) > 0 ? verdict.status() : result.status();
        String detail;
        if (verdict.status() == CheckStatus.FAIL || result.detail() == null) {
            detail = verdict.detail();
        } else {
            detail = verdict.detail() == null ? result.detail() : result.detail() + "; " + verdict.detail();
        }
        return new CheckResult(result.label(), result.reference(), result.storeId(), result.name(), status, detail,
                result.version(), result.updated(), result.expiresOn(), result.daysLeft(), result.notBefore(),
                verdict.readable());
    }

    private static CheckResult failure(CheckTarget target, String detail) {
        SecretReference ref = target.reference();
        return new CheckResult(target.label(), ref.toString(), ref.storeId(), ref.name(), CheckStatus.FAIL, detail,
                null, null, null, null, null, ReadAccess.NOT_VERIFIED);
    }
}
