package io.jenkins.plugins.kmssecrets.store;

/**
 * Options of {@link SecretWriter#write}.
 *
 * @param disablePrevious disable the version that was current before the write, once the new one is written
 * @since 0.2.0
 */
public record WriteOptions(boolean disablePrevious) {

    /** Keep the previous version enabled. */
    public static final WriteOptions DEFAULT = new WriteOptions(false);
}
