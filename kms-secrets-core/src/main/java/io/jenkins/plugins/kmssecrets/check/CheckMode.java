package io.jenkins.plugins.kmssecrets.check;

/**
 * How a check established that {@code exec} could read each secret.
 *
 * @since 0.2.0
 */
public enum CheckMode {

    /**
     * Metadata only, never a value: existence, state and dates, and the read permission where the store can be asked
     * without reading (Vault {@code sys/capabilities-self}, Google {@code testIamPermissions}); elsewhere (Azure Key
     * Vault) the read permission is reported as not verified.
     */
    METADATA("metadata"),

    /**
     * {@code check --read}: as {@link #METADATA}, and each value is fetched into memory, verified (present, not empty,
     * its {@code #property} present and a string), wiped, and never printed.
     */
    READ("read");

    private final String label;

    CheckMode(String label) {
        this.label = label;
    }

    /** {@code metadata} or {@code read}: what the reports show. */
    public String label() {
        return label;
    }
}
