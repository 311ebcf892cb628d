package io.jenkins.plugins.kmssecrets.cli;

import java.io.Console;
import java.util.Locale;

/**
 * The interactive confirmation before {@code rotate} writes a new version: a prompt on the terminal that names the
 * store, the secret and its current version, answered with {@code yes}. Without a terminal (a pipeline, input or
 * output redirected) there is nobody to ask and the caller needs {@code --yes}.
 */
final class WriteConfirmation {

    /** Reads one answer after showing a prompt; {@code null} at end of input. */
    interface Terminal {
        String readLine(String prompt);
    }

    private WriteConfirmation() {
    }

    /** The process's terminal, or {@code null} when there is none ({@link System#console()} is null). */
    static Terminal system() {
        Console console = System.console();
        return console == null ? null : prompt -> console.readLine("%s", prompt);
    }

    /** The question: what will be written where, and what happens to the previous version. */
    static String prompt(String storeId, String storeType, String secret, String currentVersion, String rollbackTo,
            boolean disablePrevious, boolean keepsVersions) {
        StringBuilder text = new StringBuilder("About to write ")
                .append(rollbackTo == null ? "a new version" : "the value of version " + rollbackTo
                        + " as a new version")
                .append(" of secret '").append(secret).append("' in store '").append(storeId).append("' (")
                .append(storeType).append("); current version: ")
                .append(currentVersion == null ? "(none: the store keeps no versions)" : currentVersion)
                .append(". ");
        if (!keepsVersions) {
            text.append("The current value is replaced (its history is wherever the store keeps it, e.g. Git). ");
        } else if (disablePrevious) {
            text.append("The current version will be disabled afterwards. ");
        } else {
            text.append("The current version stays enabled. ");
        }
        return text.append("Type 'yes' to continue: ").toString();
    }

    /** Whether {@code answer} confirms. */
    static boolean confirms(String answer) {
        if (answer == null) {
            return false;
        }
        String normalized = answer.trim().toLowerCase(Locale.ROOT);
        return normalized.equals("yes") || normalized.equals("y");
    }
}
