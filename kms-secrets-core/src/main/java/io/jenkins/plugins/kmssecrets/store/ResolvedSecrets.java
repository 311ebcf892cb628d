package io.jenkins.plugins.kmssecrets.store;

import java.util.Collections;
import java.util.Map;

/**
 * Values fetched for one run, by label (environment variable name). Closing wipes every value.
 *
 * @since 0.1.0
 */
public final class ResolvedSecrets implements AutoCloseable {

    private final Map<String, SecretValue> values;

    ResolvedSecrets(Map<String, SecretValue> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Label to value, in request order. */
    public Map<String, SecretValue> values() {
        return values;
    }

    @Override
    public void close() {
        values.values().forEach(SecretValue::wipe);
    }

    /** Names only. */
    @Override
    public String toString() {
        return "ResolvedSecrets" + values.keySet();
    }
}
