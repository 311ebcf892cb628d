package io.jenkins.plugins.kmssecrets.store.cache;

import java.time.Duration;
import java.time.Instant;

/**
 * What a {@link CachingSecretStore} can say about its cached list.
 *
 * @param fetchedAt when the served list was fetched from the backend, or {@code null} before the first success
 * @param age       how old the served list is, or {@code null} before the first success
 * @param stale     whether the served list is last-known-good: the latest refresh failed, or the list is older than
 *                  the TTL and has not been refreshed yet
 * @param lastError one-line summary of the latest failed refresh (an exception message, which names store and
 *                  secret but never a value), or {@code null} when the latest refresh succeeded
 * @param size      how many entries the served list has
 * @since 0.1.0
 */
public record CacheStatus(Instant fetchedAt, Duration age, boolean stale, String lastError, int size) {

    /**
     * Whether the store was asked for its list and has never answered: every attempt so far failed. A monitor shows
     * this as <i>never listed</i>; it differs from a store not asked yet ({@code fetchedAt} and {@code lastError}
     * both {@code null}) and from a stale list (an earlier list is served).
     *
     * @since 0.2.0
     */
    public boolean neverListed() {
        return fetchedAt == null && lastError != null;
    }

    /**
     * One line for logs and status pages: {@code 42 entries fetched 7s ago, stale (store 'x': ...)},
     * {@code never listed (store 'x': ...)} when every attempt failed, {@code no list fetched yet} before the first.
     */
    public String summary() {
        if (fetchedAt == null) {
            return lastError == null ? "no list fetched yet" : "never listed (" + lastError + ")";
        }
        String text = size + " entries fetched " + age.toSeconds() + "s ago";
        if (stale) {
            text += ", stale";
        }
        return lastError == null ? text : text + " (" + lastError + ")";
    }
}
