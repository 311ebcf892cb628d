package io.jenkins.plugins.kmssecrets.store;

import io.jenkins.plugins.kmssecrets.problem.SourceLocation;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A store as configured: id, type and type-specific settings (strings, numbers, booleans, nested maps), from the
 * manifest or the Jenkins configuration. Settings never hold secret material: credentials are referenced (a file, an
 * environment variable name, a Jenkins credential id), not inlined.
 *
 * @param id       the store id used in references
 * @param type     the store type, for example {@code sops}
 * @param settings the remaining settings, sorted by key
 * @param location where the definition was read, for error messages; may be {@code null}
 * @since 0.1.0
 */
public record StoreDefinition(String id, String type, Map<String, Object> settings, SourceLocation location) {

    public StoreDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /** The setting as text, or {@code null} when absent. */
    public String string(String key) {
        Object value = settings.get(key);
        return value == null ? null : value.toString();
    }

    /** The setting as text, or {@code fallback} when absent. */
    public String string(String key, String fallback) {
        String value = string(key);
        return value == null ? fallback : value;
    }

    /** The setting as text; a {@link MisconfiguredException} naming the store and key when absent or blank. */
    public String requiredString(String key) {
        String value = string(key);
        if (value == null || value.isBlank()) {
            throw new MisconfiguredException(id, null, "setting '" + key + "' is required for a store of type '"
                    + type + "'" + where());
        }
        return value;
    }

    /** The setting as a boolean ({@code true}/{@code false}), or {@code fallback} when absent. */
    public boolean bool(String key, boolean fallback) {
        String value = string(key);
        if (value == null) {
            return fallback;
        }
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
            return Boolean.parseBoolean(value);
        }
        throw new MisconfiguredException(id, null, "setting '" + key + "' must be true or false" + where());
    }

    /** The setting as an integer, or {@code fallback} when absent. */
    public int integer(String key, int fallback) {
        String value = string(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new MisconfiguredException(id, null, "setting '" + key + "' must be an integer" + where());
        }
    }

    /**
     * The setting as a duration: ISO-8601 ({@code PT30S}) or a number with a unit ({@code 500ms}, {@code 30s},
     * {@code 5m}, {@code 1h}); {@code fallback} when absent.
     */
    public Duration duration(String key, Duration fallback) {
        String value = string(key);
        if (value == null) {
            return fallback;
        }
        Duration parsed = parseDuration(value.trim());
        if (parsed == null || parsed.isNegative()) {
            throw new MisconfiguredException(id, null, "setting '" + key + "' must be a duration such as 30s, 5m "
                    + "or PT1H" + where());
        }
        return parsed;
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601; {@code null} if neither. */
    public static Duration parseDuration(String text) {
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return Duration.parse(text);
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> null;
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    private String where() {
        return location == null ? "" : " (" + location.position() + ")";
    }
}
