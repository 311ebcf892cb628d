package io.jenkins.plugins.kmssecrets.testing;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.ResolvedSecrets;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretResolver;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import io.jenkins.plugins.kmssecrets.store.vault.VaultAuth;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStore;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many threads resolving overlapping references through one {@link CachingSecretStore} over the real
 * {@link VaultStore} and a {@link FakeVault}, so that listings and value reads are counted at the server.
 *
 * <p>Each thread, in each iteration, looks every one of its names up in the cache (the credential provider's path:
 * this is what makes listings) and resolves its references with a {@link SecretResolver} (values are never cached),
 * then checks each value's SHA-256 against the values written for that name: a value of another secret, or one never
 * written, is counted as mixed up; a name the cache does not know is counted as lost.
 *
 * <p>Two modes. {@link #rounds} (the unit test): a {@link SteppingClock} shared by the fake and the cache, rounds
 * separated by barriers; between rounds every value is rotated and the clock moved past the TTL, so every count is
 * exact: listings = rounds, metadata reads = rounds × secrets, value reads = rounds × threads × references.
 * {@link #forDuration} (the bench harness): the system clock, a rotator writing new versions, for a wall time; the
 * promise is then listings ≤ 1 + elapsed / TTL + 1, never two at once.
 *
 * <p>When the workers do not finish within the deadline the run stops with a thread dump ({@link Report#threadDump}).
 */
public final class CacheLoad implements AutoCloseable {

    /** The store id the load uses. */
    public static final String STORE = "load";

    private static final String TOKEN = "hvs.load-token";
    private static final String MOUNT = "secret";

    private final int threads;
    private final int secrets;
    private final int referencesPerThread;
    private final Duration ttl;
    private final Clock clock;
    private final FakeVault vault;
    private final CachingSecretStore cache;
    private final ThreadPoolExecutor refresher;
    private final StoreSet stores;
    /** Name -> SHA-256 of every value ever written under it. */
    private final Map<String, Set<String>> written = new ConcurrentHashMap<>();
    /** Name -> SHA-256 of its current value; in round mode a value must be exactly that. */
    private final Map<String, String> current = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    private CacheLoad(int threads, int secrets, int referencesPerThread, Duration ttl, Clock clock) throws Exception {
        if (referencesPerThread > secrets) {
            throw new IllegalArgumentException("more references per thread than secrets");
        }
        this.threads = threads;
        this.secrets = secrets;
        this.referencesPerThread = referencesPerThread;
        this.ttl = ttl;
        this.clock = clock;
        this.vault = FakeVault.start(clock).mount(MOUNT, 2);
        vault.token(TOKEN, Duration.ZERO, false, "*:read,list");
        rotate();
        VaultStore store = VaultStore.builder(STORE, vault.address(),
                VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .clock(clock).retryDelay(Duration.ofMillis(1)).build();
        this.refresher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "load-refresh");
                    t.setDaemon(true);
                    return t;
                });
        this.cache = new CachingSecretStore(store, ttl, clock, refresher);
        this.stores = StoreSet.of(cache);
    }

    /** Round mode: a stepping clock, exact counts. */
    public static CacheLoad rounds(int threads, int secrets, int referencesPerThread, Duration ttl) throws Exception {
        return new CacheLoad(threads, secrets, referencesPerThread, ttl,
                new SteppingClock(Instant.parse("2026-06-01T00:00:00Z")));
    }

    /** Wall-time mode: the system clock. */
    public static CacheLoad wallClock(int threads, int secrets, int referencesPerThread, Duration ttl) throws Exception {
        return new CacheLoad(threads, secrets, referencesPerThread, ttl, Clock.systemUTC());
    }

    /** What a run saw; the request counts are the fake server's. */
    public record Report(int threads, int secrets, int referencesPerThread, Duration ttl, long iterations,
            long valuesChecked, long lost, long mixedUp, int listRequests, int listMaxInFlight, int metadataRequests,
            int valueReads, Duration elapsed, String threadDump, List<String> errors) {

        /** Whether the workers finished (no deadlock, no stuck thread). */
        public boolean finished() {
            return threadDump == null;
        }

        /** One line of figures, no value. */
        public String summary() {
            return String.format(Locale.ROOT, "threads=%d secrets=%d refs/thread=%d ttl=%ss elapsed=%.1fs iterations=%d "
                            + "values-checked=%d lost=%d mixed-up=%d errors=%d LIST=%d (max in flight %d) metadata=%d "
                            + "value-reads=%d", threads, secrets, referencesPerThread, ttl.toMillis() / 1000.0,
                    elapsed.toMillis() / 1000.0, iterations, valuesChecked, lost, mixedUp, errors.size(), listRequests,
                    listMaxInFlight, metadataRequests, valueReads);
        }
    }

    /**
     * {@code rounds} rounds: all threads start each round together and do one iteration; between rounds the background
     * refresh is awaited, every value rotated and the clock moved past the TTL.
     */
    public Report runRounds(int rounds, Duration deadline) throws Exception {
        if (!(clock instanceof SteppingClock stepping)) {
            throw new IllegalStateException("round mode needs the stepping clock");
        }
        Stats stats = new Stats();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier end = new CyclicBarrier(threads + 1);
        ExecutorService workers = workers();
        long t0 = System.nanoTime();
        String dump = null;
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(workers.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        start.await();
                        iteration(thread, stats);
                        end.await();
                    }
                    return null;
                }));
            }
            long until = System.nanoTime() + deadline.toNanos();
            for (int r = 0; r < rounds && dump == null; r++) {
                try {
                    start.await(remaining(until), TimeUnit.NANOSECONDS);
                    end.await(remaining(until), TimeUnit.NANOSECONDS);
                    awaitRefresher(until);
                } catch (TimeoutException e) {
                    dump = threadDump();
                    break;
                }
                rotate();
                stepping.advance(ttl.plusSeconds(1));
            }
            if (dump == null) {
                for (Future<?> f : futures) {
                    f.get(remaining(until), TimeUnit.NANOSECONDS);
                }
            }
        } catch (TimeoutException e) {
            dump = threadDump();
        } finally {
            workers.shutdownNow();
        }
        return report(stats, Duration.ofNanos(System.nanoTime() - t0), dump);
    }

    /**
     * For {@code duration} of wall time: every thread iterates until the end, a rotator writes a new version of one
     * secret every {@code rotateEvery}.
     */
    public Report runFor(Duration duration, Duration rotateEvery, Duration deadline) throws Exception {
        Stats stats = new Stats();
        ExecutorService workers = workers();
        long t0 = System.nanoTime();
        long stop = t0 + duration.toNanos();
        String dump = null;
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(workers.submit(() -> {
                    while (System.nanoTime() < stop) {
                        iteration(thread, stats);
                    }
                    return null;
                }));
            }
            int next = 0;
            while (System.nanoTime() < stop) {
                Thread.sleep(Math.max(1, Math.min(rotateEvery.toMillis(), (stop - System.nanoTime()) / 1_000_000)));
                rotateOne(next++ % secrets);
            }
            long until = stop + deadline.toNanos();
            for (Future<?> f : futures) {
                f.get(remaining(until), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            dump = threadDump();
        } finally {
            workers.shutdownNow();
        }
        return report(stats, Duration.ofNanos(System.nanoTime() - t0), dump);
    }

    private ExecutorService workers() {
        AtomicLong n = new AtomicLong();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "load-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static long remaining(long until) {
        return Math.max(1, until - System.nanoTime());
    }

    private void awaitRefresher(long until) throws TimeoutException, InterruptedException {
        while (refresher.getActiveCount() > 0 || !refresher.getQueue().isEmpty()) {
            if (System.nanoTime() > until) {
                throw new TimeoutException();
            }
            Thread.sleep(2);
        }
    }

    /** One thread's work: look its names up in the cache, resolve its references, check every value. */
    private void iteration(int thread, Stats stats) {
        Map<String, SecretReference> references = new LinkedHashMap<>();
        for (int j = 0; j < referencesPerThread; j++) {
            String name = name((thread * 3 + j) % secrets);
            Optional<SecretMetadata> listed = cache.lookup(name);
            if (listed.isEmpty() || !listed.get().name().equals(name)) {
                stats.lost.incrementAndGet();
            }
            references.put("V" + j, SecretReference.parse(STORE + ":" + name + "#value"));
        }
        try (ResolvedSecrets resolved = new SecretResolver(stores, 2).resolve(references)) {
            references.forEach((label, reference) -> {
                SecretValue value = resolved.values().get(label);
                if (value == null) {
                    stats.lost.incrementAndGet();
                    return;
                }
                byte[] bytes = value.bytes();
                String digest = sha256(bytes);
                java.util.Arrays.fill(bytes, (byte) 0);
                boolean expected = clock instanceof SteppingClock
                        ? digest.equals(current.get(reference.name()))
                        : written.getOrDefault(reference.name(), Set.of()).contains(digest);
                if (!expected) {
                    stats.mixedUp.incrementAndGet();
                }
                stats.checked.incrementAndGet();
            });
        } catch (RuntimeException e) {
            // Names the type and store only: a store exception names the secret, never its value.
            stats.errors.add(e.getClass().getSimpleName());
        }
        stats.iterations.incrementAndGet();
    }

    private void rotate() {
        for (int i = 0; i < secrets; i++) {
            rotateOne(i);
        }
    }

    private void rotateOne(int i) {
        String name = name(i);
        String value = "load-value-" + name + "-v" + version.incrementAndGet();
        // Recorded before the write, so a reader that sees the new version always finds it.
        written.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet())
                .add(sha256(value.getBytes(StandardCharsets.UTF_8)));
        current.put(name, sha256(value.getBytes(StandardCharsets.UTF_8)));
        vault.put(MOUNT, name, Map.of("value", value));
    }

    /** The secret names: flat, so one listing is one LIST request. */
    static String name(int i) {
        return String.format(Locale.ROOT, "load-%04d", i);
    }

    private Report report(Stats stats, Duration elapsed, String dump) {
        return new Report(threads, secrets, referencesPerThread, ttl, stats.iterations.get(), stats.checked.get(),
                stats.lost.get(), stats.mixedUp.get(), vault.count(FakeVault.LIST), vault.listMaxInFlight(),
                vault.count(FakeVault.METADATA), vault.count(FakeVault.READ), elapsed, dump,
                List.copyOf(stats.errors));
    }

    /** Every live thread's stack, with the locks each holds and waits for, and any deadlock the JVM detects. */
    public static String threadDump() {
        var bean = ManagementFactory.getThreadMXBean();
        StringBuilder out = new StringBuilder();
        long[] deadlocked = bean.findDeadlockedThreads();
        out.append(deadlocked == null ? "no JVM-detected deadlock\n" : "DEADLOCK between " + deadlocked.length
                + " threads\n");
        for (ThreadInfo info : bean.dumpAllThreads(true, true)) {
            out.append(info.getThreadName()).append(' ').append(info.getThreadState());
            if (info.getLockName() != null) {
                out.append(" on ").append(info.getLockName());
            }
            if (info.getLockOwnerName() != null) {
                out.append(" held by ").append(info.getLockOwnerName());
            }
            out.append('\n');
            for (StackTraceElement e : info.getStackTrace()) {
                out.append("    at ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stores.close();
        refresher.shutdownNow();
        vault.close();
    }

    private static final class Stats {
        final AtomicLong iterations = new AtomicLong();
        final AtomicLong checked = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        final AtomicLong mixedUp = new AtomicLong();
        final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    }
}
