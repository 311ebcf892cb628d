package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import java.time.Duration;

/** Duration options of the commands ({@code --timeout 5m}): the manifest's syntax, positive only. */
public final class DurationOption {

    private DurationOption() {
    }

    /**
     * {@code text} as a positive duration.
     *
     * @throws InvalidInputException naming {@code option} (exit code 2)
     */
    public static Duration parse(String option, String text) {
        Duration parsed = StoreDefinition.parseDuration(text.trim());
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            throw new InvalidInputException(null, null, option + " must be a duration such as 500ms, 30s or 5m, "
                    + "found '" + text + "'");
        }
        return parsed;
    }
}
