package io.jenkins.plugins.kmssecrets.jenkins.steps;

import hudson.Util;

/** How a step's setters normalise what the Pipeline script or the form passes. */
final class StepParameters {

    private StepParameters() {
    }

    /**
     * The trimmed value, or {@code fallback} when it is {@code null}, empty or blank: an empty form field means the
     * default, as for a parameter the script leaves out.
     */
    static String trimmedOr(String value, String fallback) {
        String trimmed = Util.fixEmptyAndTrim(value);
        return trimmed == null ? fallback : trimmed;
    }
}
