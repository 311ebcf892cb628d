package io.jenkins.plugins.kmssecrets.store;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches the values a run needs, concurrently across stores and secrets. Either every value is returned or none:
 * when one fetch fails, the values already fetched are wiped and the failures are thrown together (the first, with
 * the others {@linkplain Throwable#getSuppressed() suppressed}). This holds whatever a fetch throws, and when the
 * calling thread is interrupted: every value received is wiped in every failure path.
 *
 * @since 0.1.0
 */
public final class SecretResolver {

    /** Default number of fetches in flight. */
    public static final int DEFAULT_PARALLELISM = 8;

    private final StoreSet stores;
    private final int parallelism;

    public SecretResolver(StoreSet stores, int parallelism) {
        this.stores = stores;
        this.parallelism = Math.max(1, parallelism);
    }

    /**
     * Fetches every reference.
     *
     * @param references label (an environment variable name) to reference, in the order results should keep
     * @return label to value; the caller owns the values and should close the result when done
     */
    public ResolvedSecrets resolve(Map<String, SecretReference> references) {
        List<Map.Entry<String, SecretReference>> entries = new ArrayList<>(references.entrySet());
        // Every fetch's outcome is kept, failures included, so that all of them finish and every value received
        // can be wiped when any fetch failed, whatever it threw.
        List<Object> outcomes = ConcurrentCalls.map(entries, parallelism, entry -> {
            try {
                return stores.get(entry.getValue().storeId()).fetch(entry.getValue());
            } catch (RuntimeException e) {
                return e;
            }
        }, SecretResolver::wipeIfValue);
        Map<String, SecretValue> values = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (int i = 0; i < entries.size(); i++) {
            Object outcome = outcomes.get(i);
            if (outcome instanceof SecretValue value) {
                values.put(entries.get(i).getKey(), value);
            } else {
                RuntimeException error = (RuntimeException) outcome;
                if (failure == null) {
                    failure = error;
                } else if (error != failure) {
                    failure.addSuppressed(error);
                }
            }
        }
        if (failure != null) {
            outcomes.forEach(SecretResolver::wipeIfValue);
            throw failure;
        }
        return new ResolvedSecrets(values);
    }

    private static void wipeIfValue(Object outcome) {
        if (outcome instanceof SecretValue value) {
            value.wipe();
        }
    }
}
