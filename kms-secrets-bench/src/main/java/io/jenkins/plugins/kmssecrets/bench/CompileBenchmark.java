package io.jenkins.plugins.kmssecrets.bench;

import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Building the compiled masker from the secret list, which Jenkins would do on the controller and on every agent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBenchmark {

    @Param({"10000"})
    public int secrets;

    private Map<String, SecretValue> values;

    @Setup(Level.Trial)
    public void setUp() {
        values = BenchSecrets.generate(secrets, MaskingBenchmark.SECRET_SEED);
    }

    /** Secondary result: milliseconds of this thread's CPU time per compile, meaningful under CPU contention. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public double cpuMillisPerCompile;
        private long compiles;
        private long cpuStart;

        @Setup(Level.Iteration)
        public void reset() {
            compiles = 0;
            cpuStart = THREADS.getCurrentThreadCpuTime();
        }

        void add() {
            compiles++;
            cpuMillisPerCompile = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6 / compiles;
        }
    }

    @Benchmark
    public SecretMasker compile(CpuTime cpu) {
        SecretMasker masker = SecretMasker.compile(values);
        cpu.add();
        return masker;
    }
}
