package io.jenkins.plugins.kmssecrets.store.sops;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which values of a file sops encrypted: the file's one {@code unencrypted_suffix}, {@code encrypted_suffix},
 * {@code unencrypted_regex}, {@code encrypted_regex} (or comment regex) setting, applied to every mapping key on the
 * value's path as sops does (a regex is searched, not anchored, like Go's {@code regexp.Match}).
 *
 * @param setting the metadata key, for example {@code unencrypted_suffix}
 * @param value   its value
 */
record EncryptionRule(String setting, String value, Pattern regex) {

    static final String DEFAULT_UNENCRYPTED_SUFFIX = "_unencrypted";

    /** Every setting sops knows; a file may use at most one. */
    static final List<String> SETTINGS = List.of("unencrypted_suffix", "encrypted_suffix", "unencrypted_regex",
            "encrypted_regex", "unencrypted_comment_regex", "encrypted_comment_regex");

    /** sops' default when a file names no rule. */
    static EncryptionRule defaultRule() {
        return new EncryptionRule("unencrypted_suffix", DEFAULT_UNENCRYPTED_SUFFIX, null);
    }

    /**
     * Whether a value under {@code keys} is encrypted. Files without comments (JSON, or YAML as this store reads it)
     * have no comment for a comment regex to match: {@code unencrypted_comment_regex} leaves everything encrypted and
     * {@code encrypted_comment_regex} nothing.
     */
    boolean encrypted(List<String> keys) {
        return switch (setting) {
            case "unencrypted_suffix" -> keys.stream().noneMatch(k -> k.endsWith(value));
            case "encrypted_suffix" -> keys.stream().anyMatch(k -> k.endsWith(value));
            case "unencrypted_regex" -> keys.stream().noneMatch(k -> regex.matcher(k).find());
            case "encrypted_regex" -> keys.stream().anyMatch(k -> regex.matcher(k).find());
            case "unencrypted_comment_regex" -> true;
            case "encrypted_comment_regex" -> false;
            default -> throw new IllegalStateException(setting);
        };
    }

    /** Whether the rule depends on comments, which this store does not read from YAML. */
    boolean needsComments() {
        return setting.endsWith("_comment_regex");
    }
}
