package io.jenkins.plugins.kmssecrets.bench;

import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
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
 * Masking a Maven-style build log written in 8 KiB chunks, as a Jenkins agent streams it, with no secret present
 * (the common case, and the one measured inside Jenkins for the issue). Three variants over the same sink: the
 * pass-through floor, the credentials-binding-style line regex, and {@link SecretMasker}. Read the {@code megabytes}
 * secondary result: MB (10^6 bytes) masked per second, and {@code mbPerCpuSecond}.
 *
 * <p>{@code passThroughHitLog} and {@code secretMaskerHitLog} run the same two variants over the {@link HitLog}: the
 * same log with a secret form (literal, base64 or hex) in 1 % of its lines.
 *
 * <p>The line-regex baseline is measured on a leading slice of the log, smaller as the secret count grows (see
 * {@link #baselineBytes}), because on the full 64 MiB a single operation would take minutes to hours.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MaskingBenchmark {

    static final int CHUNK = 8 * 1024;
    static final long LOG_SEED = 20261123L;
    static final long SECRET_SEED = 3L;
    static final long HIT_SEED = 14L;

    @Param({"10", "100", "1000", "10000"})
    public int secrets;

    /** 64 MiB. */
    @Param({"67108864"})
    public int logBytes;

    private byte[] log;
    private byte[] hitLog;
    private byte[] baselineSlice;
    private SecretMasker masker;
    private LineRegexMasker baseline;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        log = MavenLog.generate(logBytes, LOG_SEED);
        baselineSlice = Arrays.copyOf(log, Math.min(log.length, baselineBytes(secrets)));
        Map<String, SecretValue> values = BenchSecrets.generate(secrets, SECRET_SEED);
        masker = SecretMasker.compile(values);
        baseline = new LineRegexMasker(values);
        HitLog hits = HitLog.generate(log, values, HIT_SEED);
        hitLog = hits.bytes;
        values.values().forEach(SecretValue::wipe);
        // The workload is what it claims to be: no secret in the log, so every variant writes every byte.
        CopySink check = new CopySink();
        try (OutputStream out = masker.wrap(check)) {
            write(out, log);
        }
        if (check.bytes != log.length) {
            throw new IllegalStateException("benchmark log unexpectedly contains a secret form");
        }
        // ... and every inserted form of the hit log is masked, each by one mask.
        int masks = countMasks(masker.mask(hitLog));
        if (masks != hits.forms) {
            throw new IllegalStateException("hit log: " + hits.forms + " forms inserted, " + masks + " masks");
        }
        System.out.printf("%n[setup] secrets=%d forms=%d log=%d bytes baselineSlice=%d bytes hitLog=%d bytes with %d"
                        + " forms, compiled masker retains %d bytes (JOL)%n",
                secrets, masker.formCount(), log.length, baselineSlice.length, hitLog.length, hits.forms,
                MaskerFootprint.retainedBytes(masker));
    }

    /** Leading slice of the log used for the baseline: about the same wall time per operation at every count. */
    static int baselineBytes(int secretCount) {
        if (secretCount <= 10) {
            return 8 << 20;
        } else if (secretCount <= 100) {
            return 2 << 20;
        } else if (secretCount <= 1000) {
            return 256 << 10;
        }
        return 32 << 10;
    }

    /**
     * Secondary results: {@code megabytes}, reported per wall-clock second; and {@code mbPerCpuSecond}, megabytes per
     * second of this thread's CPU time, which stays meaningful when other processes compete for the cores.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Throughput {
        public double megabytes;

        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
        }
    }

    /** See {@link Throughput}. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public double mbPerCpuSecond;
        private double megabytes;
        private long cpuStart;

        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
            cpuStart = THREADS.getCurrentThreadCpuTime();
        }

        void add(int bytes) {
            megabytes += bytes / 1e6;
            mbPerCpuSecond = megabytes / ((THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9);
        }
    }

    @Benchmark
    public long passThrough(Throughput counter, CpuTime cpu) throws IOException {
        CopySink sink = new CopySink();
        try (OutputStream out = new PassThrough(sink)) {
            write(out, log);
        }
        counter.megabytes += log.length / 1e6;
        cpu.add(log.length);
        return sink.bytes;
    }

    @Benchmark
    public long credentialsBindingStyle(Throughput counter, CpuTime cpu) throws IOException {
        CopySink sink = new CopySink();
        try (OutputStream out = baseline.wrap(sink)) {
            write(out, baselineSlice);
        }
        counter.megabytes += baselineSlice.length / 1e6;
        cpu.add(baselineSlice.length);
        return sink.bytes;
    }

    @Benchmark
    public long secretMasker(Throughput counter, CpuTime cpu) throws IOException {
        CopySink sink = new CopySink();
        try (OutputStream out = masker.wrap(sink)) {
            write(out, log);
        }
        counter.megabytes += log.length / 1e6;
        cpu.add(log.length);
        return sink.bytes;
    }

    @Benchmark
    public long passThroughHitLog(Throughput counter, CpuTime cpu) throws IOException {
        CopySink sink = new CopySink();
        try (OutputStream out = new PassThrough(sink)) {
            write(out, hitLog);
        }
        counter.megabytes += hitLog.length / 1e6;
        cpu.add(hitLog.length);
        return sink.bytes;
    }

    @Benchmark
    public long secretMaskerHitLog(Throughput counter, CpuTime cpu) throws IOException {
        CopySink sink = new CopySink();
        try (OutputStream out = masker.wrap(sink)) {
            write(out, hitLog);
        }
        counter.megabytes += hitLog.length / 1e6;
        cpu.add(hitLog.length);
        return sink.bytes;
    }

    private static int countMasks(byte[] output) {
        byte[] mask = SecretMasker.MASK.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int count = 0;
        for (int i = 0; i + mask.length <= output.length; i++) {
            if (Arrays.equals(output, i, i + mask.length, mask, 0, mask.length)) {
                count++;
                i += mask.length - 1;
            }
        }
        return count;
    }

    static void write(OutputStream out, byte[] data) throws IOException {
        for (int at = 0; at < data.length; at += CHUNK) {
            out.write(data, at, Math.min(CHUNK, data.length - at));
        }
    }
}
