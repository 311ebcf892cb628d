package io.jenkins.plugins.kmssecrets.eso;

import java.util.regex.Pattern;

/** Go's {@code time.ParseDuration} syntax, which ESO uses for {@code refreshInterval}. */
final class GoDuration {

    private static final Pattern SYNTAX =
            Pattern.compile("[-+]?((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+");

    private GoDuration() {
    }

    static boolean isValid(String text) {
        return text != null && (text.equals("0") || SYNTAX.matcher(text).matches());
    }
}
