package io.jenkins.plugins.kmssecrets.bench;

import io.jenkins.plugins.kmssecrets.testing.CacheLoad;
import java.time.Duration;

/**
 * The long variant of the cache load test (the short one is {@code CachingSecretStoreLoadTest} in the core suite):
 * N threads (default 64) resolve overlapping references through one {@code CachingSecretStore} over the real Vault
 * store and the core's fake Vault for a wall time (default 30 s), while a rotator writes a new version of one secret
 * every 50 ms. It checks, and prints with the figures: no worker stuck (else a thread dump), no lost or mixed-up value
 * (each value's SHA-256 against those written for its name), never two listings in flight, and at most one listing
 * per TTL (listings ≤ 2 + elapsed / TTL, counted at the fake server). Exit code 0 when all hold, 1 otherwise. Run:
 * <pre>
 * ./mvnw -B -q -pl kms-secrets-bench -am -DskipTests package
 * java -cp kms-secrets-bench/target/benchmarks.jar io.jenkins.plugins.kmssecrets.bench.CacheLoadHarness \
 *     [--threads 64] [--seconds 30] [--ttl-ms 1000] [--secrets 48] [--refs 6]
 * </pre>
 */
public final class CacheLoadHarness {

    private CacheLoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        int threads = 64;
        int seconds = 30;
        long ttlMillis = 1000;
        int secrets = 48;
        int refs = 6;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--ttl-ms" -> ttlMillis = Long.parseLong(args[i + 1]);
                case "--secrets" -> secrets = Integer.parseInt(args[i + 1]);
                case "--refs" -> refs = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Duration ttl = Duration.ofMillis(ttlMillis);
        CacheLoad.Report report;
        try (CacheLoad load = CacheLoad.wallClock(threads, secrets, refs, ttl)) {
            report = load.runFor(Duration.ofSeconds(seconds), Duration.ofMillis(50), Duration.ofSeconds(60));
        }
        System.out.println(report.summary());
        long promise = 2 + report.elapsed().toMillis() / ttlMillis;
        System.out.printf("listing promise: at most %d (1 cold load + one per elapsed TTL + 1 in flight at the end); "
                + "%d made%n", promise, report.listRequests());
        boolean ok = true;
        if (!report.finished()) {
            System.out.println("STUCK: workers did not finish within 60 s after the end; thread dump:");
            System.out.println(report.threadDump());
            ok = false;
        }
        if (report.lost() > 0 || report.mixedUp() > 0 || !report.errors().isEmpty()) {
            System.out.println("FAIL: lost " + report.lost() + ", mixed up " + report.mixedUp() + ", errors "
                    + report.errors().stream().distinct().toList());
            ok = false;
        }
        if (report.listMaxInFlight() > 1 || report.listRequests() > promise || report.listRequests() < 1) {
            System.out.println("FAIL: listings " + report.listRequests() + " (max in flight "
                    + report.listMaxInFlight() + "), promise at most " + promise + ", one at a time");
            ok = false;
        }
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }
}
