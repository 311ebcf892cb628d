package io.jenkins.plugins.kmssecrets.store.cache;

import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessVerification;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SecretStore} decorator that caches the metadata list (never values) with last-known-good semantics.
 *
 * <ul>
 *   <li>The first {@link #list()} fetches synchronously. Later calls return the cached list at once; when it is
 *       older than the TTL (default 5 minutes) one background refresh is started on the executor.</li>
 *   <li><b>An outage never empties the list.</b> A refresh that throws keeps the last-known-good list, which is then
 *       served flagged stale with its age and the error ({@link #status()}). An empty answer straight after a failed
 *       refresh is treated the same way (a backend coming back half-initialised must not wipe every credential);
 *       a second consecutive empty answer is believed, so a vault that really was emptied shows as empty.</li>
 *   <li><b>Back-off.</b> After a failed (or held-back empty) refresh, the next background refresh starts no sooner
 *       than {@code min(TTL, 5 s × 2^(failures − 1))} after it: 5 s, 10 s, 20 s … up to the TTL, so a backend that is
 *       down or throttling is not asked again by every lookup. A success resets it. {@link #refreshNow()} is
 *       explicit and ignores the back-off. The same back-off applies before anything was ever fetched: within it,
 *       {@link #list()} throws the last failure again (retryable) without calling the backend.</li>
 *   <li>Refresh results are ordered: a refresh's outcome is applied only if no refresh started after it has already
 *       been applied, so a slow, older answer never overwrites a newer one.</li>
 *   <li>{@link #lookup(String)} finds one entry by name in constant time (a hash map built once per refresh).</li>
 *   <li>{@link #describe}, {@link #versions} and {@link #fetch} go to the backend every time: values are never
 *       cached, and a describe must show the backend's current state to a check.</li>
 * </ul>
 * Thread-safe; the served snapshot is immutable and replaced atomically.
 *
 * <p>Audit: a listing served from the cache makes no request, so the provider's audit log shows only the caller whose
 * call loaded or refreshed it (its {@link AuditContext}); a background refresh carries the context of the caller that
 * found the list old, marked {@code [cache refresh]}. Values are never cached: every {@link #fetch} is a request in
 * the fetching caller's context.
 *
 * @since 0.1.0
 */
public final class CachingSecretStore implements SecretStore {

    /** The TTL when none is configured. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    /** The wait before the first retry after a failed refresh; it doubles per consecutive failure, up to the TTL. */
    public static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(5);

    private final SecretStore delegate;
    private final Duration ttl;
    private final Clock clock;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Object loadLock = new Object();
    /** Guards applying an outcome, so snapshot, flags and back-off change together. */
    private final Object stateLock = new Object();
    private final AtomicLong attempts = new AtomicLong();
    private long appliedAttempt;
    private int consecutiveFailures;
    private volatile Instant nextAttempt = Instant.MIN;

    private volatile Snapshot snapshot;
    private volatile String lastError;
    private volatile boolean lastRefreshFailed;
    private volatile boolean pendingEmpty;
    /** While nothing was ever fetched: what the last failed load said (its detail, no store prefix), or null. */
    private volatile String coldFailure;

    /** Immutable cached list plus its index by name. */
    private record Snapshot(List<SecretMetadata> entries, Map<String, SecretMetadata> byName, Instant fetchedAt,
            Instant refreshAfter) {

        static Snapshot of(List<SecretMetadata> entries, Instant fetchedAt, Duration ttl) {
            Map<String, SecretMetadata> byName = new HashMap<>(Math.max(16, entries.size() * 2));
            for (SecretMetadata entry : entries) {
                byName.putIfAbsent(entry.name(), entry);
            }
            return new Snapshot(List.copyOf(entries), Collections.unmodifiableMap(byName), fetchedAt,
                    fetchedAt.plus(ttl));
        }
    }

    /**
     * A cache over {@code delegate} refreshing on {@code executor}.
     *
     * @param ttl      how long a fetched list counts as fresh
     * @param clock    decides freshness (tests pass a controllable clock)
     * @param executor runs background refreshes (tests pass one they drive by hand)
     */
    public CachingSecretStore(SecretStore delegate, Duration ttl, Clock clock, Executor executor) {
        this(delegate, ttl, clock, executor, null);
    }

    /** A cache with the default TTL, the system clock and its own single daemon refresh thread. */
    public static CachingSecretStore withDefaults(SecretStore delegate) {
        ExecutorService own = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "kms-secrets-refresh-" + delegate.id());
            thread.setDaemon(true);
            return thread;
        });
        return new CachingSecretStore(delegate, DEFAULT_TTL, Clock.systemUTC(), own, own);
    }

    private CachingSecretStore(SecretStore delegate, Duration ttl, Clock clock, Executor executor,
            ExecutorService owned) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.ownedExecutor = owned;
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public String type() {
        return delegate.type();
    }

    /** The decorated store. */
    public SecretStore delegate() {
        return delegate;
    }

    /**
     * The cached list. The first call (or a call while nothing was ever fetched) fetches synchronously and throws
     * the backend's error if that fails; afterwards the cached list is returned at once, refreshed in the background
     * when older than the TTL.
     */
    @Override
    public List<SecretMetadata> list() {
        return current().entries();
    }

    /** The cached entry named {@code name}, in constant time; loads the list first if nothing was fetched yet. */
    public Optional<SecretMetadata> lookup(String name) {
        return Optional.ofNullable(current().byName().get(name));
    }

    /**
     * Fetches the list now, on the calling thread, with the same last-known-good rules as a background refresh. It
     * ignores the back-off; its outcome is dropped if a refresh started later has already been applied.
     */
    public void refreshNow() {
        refresh();
    }

    /** Freshness of the served list. */
    public CacheStatus status() {
        Snapshot s = snapshot;
        if (s == null) {
            return new CacheStatus(null, null, true, lastError, 0);
        }
        Duration age = Duration.between(s.fetchedAt(), clock.instant());
        boolean stale = lastRefreshFailed || age.compareTo(ttl) > 0;
        return new CacheStatus(s.fetchedAt(), age.isNegative() ? Duration.ZERO : age, stale, lastError,
                s.entries().size());
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null) {
            synchronized (loadLock) {
                if (snapshot == null) {
                    load();
                }
                return snapshot;
            }
        }
        Instant now = clock.instant();
        if (now.isAfter(s.refreshAfter()) && !now.isBefore(nextAttempt)) {
            refreshInBackground();
        }
        return s;
    }

    /**
     * The first load, on the calling thread. Holds {@link #loadLock}. While nothing was ever fetched and the last
     * attempt failed, callers inside the back-off get that failure at once (as a retryable
     * {@link StoreUnavailableException}) instead of each asking the backend again: a store that is down when Jenkins
     * starts must not be hit by every credentials lookup.
     */
    private void load() {
        Instant now = clock.instant();
        String failure = coldFailure;
        if (failure != null && now.isBefore(nextAttempt)) {
            throw new StoreUnavailableException(delegate.id(), null, failure + " (not retried for another "
                    + Math.max(1, Duration.between(now, nextAttempt).toSeconds()) + "s)");
        }
        long attempt = attempts.incrementAndGet();
        List<SecretMetadata> fetched;
        try {
            fetched = delegate.list();
        } catch (SecretStoreException e) {
            coldFailed(attempt, e.detail(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            // Not one of ours, so its message may quote anything: keep only the type.
            coldFailed(attempt, "list failed: " + e.getClass().getSimpleName(),
                    "list failed: " + e.getClass().getSimpleName());
            throw e;
        }
        synchronized (stateLock) {
            coldFailure = null;
            if (snapshot == null || attempt > appliedAttempt) {
                succeed(attempt, fetched);
            }
        }
    }

    private void coldFailed(long attempt, String detail, String summary) {
        synchronized (stateLock) {
            if (snapshot == null) {
                coldFailure = detail;
                appliedAttempt = Math.max(appliedAttempt, attempt);
                fail(summary);
            }
        }
    }

    private void refreshInBackground() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        // The refresh runs for whoever calls next, but the caller that found the list old caused it: its requests
        // carry that caller's context, marked as a cache refresh.
        AuditContext cause = AuditContext.current().causing("cache refresh");
        try {
            executor.execute(() -> {
                try {
                    cause.run(this::refresh);
                } finally {
                    refreshing.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            refreshing.set(false);
        }
    }

    private void refresh() {
        long attempt = attempts.incrementAndGet();
        List<SecretMetadata> fetched;
        try {
            fetched = delegate.list();
        } catch (SecretStoreException e) {
            failed(attempt, e.getMessage());
            return;
        } catch (RuntimeException e) {
            // Not one of ours, so its message may quote anything: keep only the type.
            failed(attempt, "refresh failed: " + e.getClass().getSimpleName());
            return;
        }
        synchronized (stateLock) {
            if (attempt < appliedAttempt) {
                return; // a refresh started later has already answered
            }
            Snapshot previous = snapshot;
            if (fetched.isEmpty() && previous != null && !previous.entries().isEmpty() && lastRefreshFailed
                    && !pendingEmpty) {
                // First empty answer right after a failure: suspect; keep last-known-good until it is confirmed.
                appliedAttempt = attempt;
                pendingEmpty = true;
                fail("store '" + delegate.id() + "' returned no secrets right after a failed refresh; serving the "
                        + "last known list until an empty answer is confirmed");
                return;
            }
            succeed(attempt, fetched);
        }
    }

    /** Holds {@link #stateLock}. */
    private void succeed(long attempt, List<SecretMetadata> fetched) {
        coldFailure = null;
        appliedAttempt = Math.max(appliedAttempt, attempt);
        pendingEmpty = false;
        snapshot = Snapshot.of(fetched, clock.instant(), ttl);
        lastError = null;
        lastRefreshFailed = false;
        consecutiveFailures = 0;
        nextAttempt = Instant.MIN;
    }

    private void failed(long attempt, String summary) {
        synchronized (stateLock) {
            if (attempt < appliedAttempt) {
                return; // a refresh started later has already answered
            }
            appliedAttempt = attempt;
            pendingEmpty = false;
            fail(summary);
        }
    }

    /** Holds {@link #stateLock}: records the error and pushes the next background attempt back. */
    private void fail(String summary) {
        lastError = summary;
        lastRefreshFailed = true;
        consecutiveFailures++;
        nextAttempt = clock.instant().plus(backoff(consecutiveFailures));
    }

    /** {@code min(ttl, FIRST_RETRY_DELAY × 2^(failures − 1))}. */
    private Duration backoff(int failures) {
        int doublings = Math.min(failures - 1, 20); // 5 s × 2^20 is weeks: far past any TTL, and no overflow
        Duration delay = FIRST_RETRY_DELAY.multipliedBy(1L << doublings);
        return delay.compareTo(ttl) < 0 ? delay : ttl;
    }

    /** Always the backend's answer; never cached. */
    @Override
    public SecretMetadata describe(SecretReference reference) {
        return delegate.describe(reference);
    }

    /** Always the backend's answer; never cached. */
    @Override
    public List<SecretMetadata> versions(String name) {
        return delegate.versions(name);
    }

    /** Always read from the backend: values are never cached. */
    @Override
    public SecretValue fetch(SecretReference reference) {
        return delegate.fetch(reference);
    }

    /** Always the backend's answer: a connection test must reach the backend. */
    @Override
    public AccessVerification verifyAccess() {
        return delegate.verifyAccess();
    }

    /** Always the backend's answer; never cached. */
    @Override
    public ReadAccess readAccess(SecretReference reference) {
        return delegate.readAccess(reference);
    }

    /** Stops the refresh thread this cache created (if any) and closes the backend. */
    @Override
    public void close() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
        delegate.close();
    }

    @Override
    public String toString() {
        return "CachingSecretStore[" + delegate.id() + ", " + status().summary() + "]";
    }
}
