package io.jenkins.plugins.kmssecrets.bench;

import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    @Benchmark
    public SecretMasker compile() {
        return SecretMasker.compile(values);
    }
}
