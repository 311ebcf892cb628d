package io.jenkins.plugins.kmssecrets.check;

import java.time.Instant;
import java.util.List;

/**
 * Results of one check run, in target order.
 *
 * @param checkedAt when the check ran
 * @param results   one result per target
 * @since 0.1.0
 */
public record CheckReport(Instant checkedAt, List<CheckResult> results) {

    public CheckReport {
        results = List.copyOf(results);
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
