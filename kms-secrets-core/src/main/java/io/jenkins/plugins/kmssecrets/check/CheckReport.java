package io.jenkins.plugins.kmssecrets.check;

import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import java.time.Instant;
import java.util.List;

/**
 * Results of one check run, in target order.
 *
 * @param checkedAt when the check ran
 * @param results   one result per target
 * @param mode      how read access was established
 * @since 0.1.0
 */
public record CheckReport(Instant checkedAt, List<CheckResult> results, CheckMode mode) {

    public CheckReport {
        results = List.copyOf(results);
        mode = mode == null ? CheckMode.METADATA : mode;
    }

    /** A report of a {@link CheckMode#METADATA} check. */
    public CheckReport(Instant checkedAt, List<CheckResult> results) {
        this(checkedAt, results, CheckMode.METADATA);
    }

    /** How many secrets passed their check without their read permission verified. */
    public long notVerified() {
        return results.stream().filter(r -> r.status() != CheckStatus.FAIL && r.readable() == ReadAccess.NOT_VERIFIED)
                .count();
    }

    /**
     * A line on how read access was established, or {@code null} when there is nothing to say: which secrets'
     * read permission no store could verify without reading, or that values were read.
     */
    public String readNote() {
        if (mode == CheckMode.READ) {
            return "values were read to verify them (--read); none is shown";
        }
        long unverified = notVerified();
        if (unverified == 0) {
            return null;
        }
        return "read permission not verified for " + unverified + " secret" + (unverified == 1 ? "" : "s")
                + ": the store cannot tell without reading the value; run check --read to verify";
    }

    public long count(CheckStatus status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    /** Whether any result failed. */
    public boolean failed() {
        return count(CheckStatus.FAIL) > 0;
    }

    /** Whether any result warns. */
    public boolean warned() {
        return count(CheckStatus.WARN) > 0;
    }

    /** {@code 3 checked: 1 ok, 1 warning, 1 failed}. */
    public String summary() {
        return results.size() + " checked: " + count(CheckStatus.OK) + " ok, " + count(CheckStatus.WARN)
                + " warning" + (count(CheckStatus.WARN) == 1 ? "" : "s") + ", " + count(CheckStatus.FAIL)
                + " failed";
    }
}
