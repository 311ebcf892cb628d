package io.jenkins.plugins.kmssecrets.bench;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Finding one credential by name among many cached entries: {@link CachingSecretStore#lookup(String)} (a hash
 * lookup in the cached snapshot) against the baseline of a linear scan of the same cached list, in the same run.
 * The looked-up names cycle through the whole list so the scan pays its average cost, not its best case.
 *
 * <p>Run: {@code java -jar kms-secrets-bench/target/benchmarks.jar CredentialLookupBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CredentialLookupBenchmark {

    @Param({"10000"})
    public int entries;

    private CachingSecretStore cache;
    private List<SecretMetadata> cachedList;
    private String[] names;
    private int next;

    @Setup
    public void setUp() {
        List<SecretMetadata> all = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            all.add(SecretMetadata.named("bench", "credential-" + i));
        }
        cache = new CachingSecretStore(new FixedListStore(all), Duration.ofDays(1), Clock.systemUTC(),
                Runnable::run);
        cachedList = cache.list();
        names = new String[1024];
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < names.length; i++) {
            names[i] = "credential-" + random.nextInt(entries);
        }
    }

    private String nextName() {
        next = (next + 1) & (names.length - 1);
        return names[next];
    }

    /** The cache's constant-time index. */
    @Benchmark
    public Optional<SecretMetadata> cachedLookup() {
        return cache.lookup(nextName());
    }

    /** Baseline: scanning the cached list, as a provider without an index would. */
    @Benchmark
    public Optional<SecretMetadata> linearScanBaseline() {
        String wanted = nextName();
        for (SecretMetadata entry : cachedList) {
            if (entry.name().equals(wanted)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** A store whose list never changes; it holds no values. */
    private static final class FixedListStore implements SecretStore {
        private final List<SecretMetadata> list;

        FixedListStore(List<SecretMetadata> list) {
            this.list = List.copyOf(list);
        }

        @Override
        public String id() {
            return "bench";
        }

        @Override
        public String type() {
            return "bench";
        }

        @Override
        public List<SecretMetadata> list() {
            return list;
        }

        @Override
        public SecretMetadata describe(SecretReference reference) {
            throw new UnsupportedOperationException("not benchmarked");
        }

        @Override
        public List<SecretMetadata> versions(String name) {
            throw new UnsupportedOperationException("not benchmarked");
        }

        @Override
        public SecretValue fetch(SecretReference reference) {
            throw new UnsupportedOperationException("not benchmarked");
        }
    }
}
