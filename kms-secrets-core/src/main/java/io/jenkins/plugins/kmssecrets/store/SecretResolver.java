package io.jenkins.plugins.kmssecrets.store;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fetches the values a run needs, concurrently across stores and secrets.
 *
 * <p>Each value (store, name, version) is fetched once per run, however many labels or properties refer to it: the
 * {@code #property} of a reference is selected here, from the one fetched value, with {@link JsonProperty}.
 *
 * <p>One bounded wait per store: the first value of each store is fetched before that store's others. When a fetch
 * fails for a reason that concerns the whole store (unreachable, silent, sign-in refused, untrusted certificate,
 * misconfigured), the store's fetches that have not started fail at once with the same exception, so a store that is
 * down does not cost one wait per secret; each reference is still named in the failure.
 *
 * <p>Either every value is returned or none: when fetches fail, the values already fetched are wiped and an
 * {@link UnresolvedSecretsException} names every reference that failed, with its reason. Any other runtime exception
 * a store throws is rethrown as it is, after the same wiping; so is an interrupt of the calling thread. Every value
 * received is wiped in every failure path.
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
     * @throws UnresolvedSecretsException naming every reference that could not be fetched (or lacks its property)
     */
    public ResolvedSecrets resolve(Map<String, SecretReference> references) {
        Map<String, Object> outcomes = inspect(references, (reference, document, failure) -> {
            if (failure != null) {
                return failure;
            }
            if (reference.property() == null) {
                return document.copy();
            }
            try {
                return JsonProperty.select(document, reference.property(), reference.storeId(), reference.name());
            } catch (SecretStoreException e) {
                return e;
            }
        });
        Map<String, SecretValue> values = new LinkedHashMap<>();
        List<UnresolvedSecretsException.Failure> failures = new ArrayList<>();
        outcomes.forEach((label, outcome) -> {
            if (outcome instanceof SecretValue value) {
                values.put(label, value);
            } else {
                failures.add(new UnresolvedSecretsException.Failure(label, references.get(label),
                        (SecretStoreException) outcome));
            }
        });
        if (!failures.isEmpty()) {
            values.values().forEach(SecretValue::wipe);
            throw new UnresolvedSecretsException(failures, references.size());
        }
        return new ResolvedSecrets(values);
    }

    /**
     * Fetches every reference's value (each distinct store, name and version once) and hands it, or the store's
     * failure, to {@code inspector} once per label; every fetched value is wiped before this method returns.
     * {@code check --read} uses this to verify values without keeping them.
     *
     * @param references label to reference
     * @param inspector  gets the reference, and either the whole value (without its property selected; the
     *                   inspector must not keep it) or the failure of fetching it
     * @return label to what the inspector returned, in the order of {@code references}
     */
    public <R> Map<String, R> inspect(Map<String, SecretReference> references, Inspector<R> inspector) {
        List<SecretReference> distinct = references.values().stream().map(SecretReference::withoutProperty)
                .distinct().toList();
        // The first value of each store is fetched before the others of that store: a store that is down, refuses
        // the sign-in or is misconfigured costs one bounded wait, and its other values fail at once with the same
        // reason (each reference still named). Stores are still fetched concurrently with each other.
        List<SecretReference> first = new ArrayList<>();
        List<SecretReference> rest = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (SecretReference secret : distinct) {
            (seen.add(secret.storeId()) ? first : rest).add(secret);
        }
        Map<String, SecretStoreException> storeFailures = new java.util.concurrent.ConcurrentHashMap<>();
        Map<SecretReference, Object> bySecret = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            fetchAll(first, storeFailures, bySecret);
            fetchAll(rest, storeFailures, bySecret);
            for (Object outcome : bySecret.values()) {
                if (outcome instanceof RuntimeException e && !(e instanceof SecretStoreException)) {
                    throw e;
                }
            }
            Map<String, R> results = new LinkedHashMap<>();
            references.forEach((label, reference) -> {
                Object outcome = bySecret.get(reference.withoutProperty());
                results.put(label, outcome instanceof SecretValue document
                        ? inspector.inspect(reference, document, null)
                        : inspector.inspect(reference, null, (SecretStoreException) outcome));
            });
            return results;
        } finally {
            bySecret.values().forEach(SecretResolver::wipeIfValue);
        }
    }

    /**
     * Fetches {@code secrets} concurrently into {@code outcomes} (a value or the exception). A store-wide failure is
     * recorded in {@code storeFailures}, and fetches of that store that have not started yet fail with it at once.
     */
    private void fetchAll(List<SecretReference> secrets, Map<String, SecretStoreException> storeFailures,
            Map<SecretReference, Object> outcomes) {
        if (Thread.currentThread().isInterrupted()) {
            // As ConcurrentCalls does; a single fetch would otherwise run on this thread, interrupted or not.
            throw new IllegalStateException("interrupted");
        }
        // Every fetch's outcome is kept, failures included, so that all of them finish and every value received
        // can be wiped whatever any fetch threw.
        ConcurrentCalls.map(secrets, parallelism, secret -> {
            SecretStoreException known = storeFailures.get(secret.storeId());
            Object outcome;
            if (known != null) {
                outcome = known;
            } else {
                try {
                    outcome = fetch(secret);
                } catch (SecretStoreException e) {
                    if (isStoreWide(e)) {
                        storeFailures.putIfAbsent(secret.storeId(), e);
                    }
                    outcome = e;
                } catch (RuntimeException e) {
                    outcome = e;
                }
            }
            outcomes.put(secret, outcome);
            return outcome;
        }, SecretResolver::wipeIfValue);
    }

    /**
     * Whether a failure says something about the whole store rather than one secret: anything but a missing secret,
     * a denied secret or a bad name or version (an unreachable or silent store, a rejected sign-in, an untrusted
     * certificate, a bad setting).
     */
    private static boolean isStoreWide(SecretStoreException e) {
        return !(e instanceof SecretNotFoundException || e instanceof AccessDeniedException
                || e instanceof InvalidInputException);
    }

    /** One fetch of one value (no property). */
    private SecretValue fetch(SecretReference secret) {
        return stores.get(secret.storeId()).fetch(secret);
    }

    private static void wipeIfValue(Object outcome) {
        if (outcome instanceof SecretValue value) {
            value.wipe();
        }
    }

    /**
     * Looks at one reference's fetched value, or at why it could not be fetched.
     *
     * @param <R> what the inspection yields per label
     */
    @FunctionalInterface
    public interface Inspector<R> {

        /**
         * @param reference the reference, property included
         * @param document  the value without property selected, or {@code null} when the fetch failed; wiped after
         *                  the inspection, never to be kept
         * @param failure   why the fetch failed, or {@code null}
         */
        R inspect(SecretReference reference, SecretValue document, SecretStoreException failure);
    }
}
