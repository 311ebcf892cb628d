package io.jenkins.plugins.kmssecrets.bench;

import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.util.Map;
import org.openjdk.jol.info.GraphLayout;

/**
 * Prints the retained size of a compiled {@link SecretMasker} (every object reachable from it, as JOL walks the heap
 * graph: measured, not estimated) for 10, 100, 1,000 and 10,000 {@link BenchSecrets}. Run:
 * {@code java -cp kms-secrets-bench/target/benchmarks.jar io.jenkins.plugins.kmssecrets.bench.MaskerFootprint}.
 */
public final class MaskerFootprint {

    private MaskerFootprint() {
    }

    /** Retained bytes of the masker's object graph. */
    static long retainedBytes(SecretMasker masker) {
        return GraphLayout.parseInstance(masker).totalSize();
    }

    public static void main(String[] args) {
        int[] counts = args.length == 0 ? new int[] {10, 100, 1000, 10000}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf("%8s %8s %14s %10s%n", "secrets", "forms", "retained bytes", "MB");
        for (int count : counts) {
            Map<String, SecretValue> secrets = BenchSecrets.generate(count, MaskingBenchmark.SECRET_SEED);
            SecretMasker masker = SecretMasker.compile(secrets);
            long bytes = retainedBytes(masker);
            System.out.printf("%8d %8d %14d %10.2f%n", count, masker.formCount(), bytes, bytes / 1e6);
        }
    }
}
