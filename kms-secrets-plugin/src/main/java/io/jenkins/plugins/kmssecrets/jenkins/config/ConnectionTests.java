package io.jenkins.plugins.kmssecrets.jenkins.config;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest "Test connection" outcome per store id, kept in memory for the store page (until Jenkins restarts). An
 * outcome is the engine's one-line message or a count, never a value.
 */
public final class ConnectionTests {

    private static final int MAX = 100;
    private static final Map<String, Outcome> LATEST = new LinkedHashMap<>();

    private ConnectionTests() {
    }

    /**
     * One test.
     *
     * @param storeId the store id typed in the form
     * @param at      when it ran
     * @param ok      whether it connected
     * @param message what the form showed
     */
    public record Outcome(String storeId, Instant at, boolean ok, String message) {
    }

    static synchronized void record(String storeId, boolean ok, String message) {
        String id = storeId == null || storeId.isBlank() ? "(no id)" : storeId.trim();
        LATEST.remove(id);
        LATEST.put(id, new Outcome(id, Instant.now(), ok, message));
        if (LATEST.size() > MAX) {
            LATEST.remove(LATEST.keySet().iterator().next());
        }
    }

    /** The latest outcome per store id, most recent last. */
    public static synchronized List<Outcome> latest() {
        return new ArrayList<>(LATEST.values());
    }
}
