package io.jenkins.plugins.kmssecrets.cli;

import static io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager.serviceAccountKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultStoreProvider;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStoreProvider;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.FaultProxy;
import io.jenkins.plugins.kmssecrets.testing.FaultProxy.Fault;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import io.jenkins.plugins.kmssecrets.testing.k8s.FakeEsoController;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every store and {@code eso sync} through a {@link FaultProxy} between the real client and its protocol fake, once
 * per network fault: the exit code and the one-line error, the time to fail within the documented bound (asserted
 * with generous slack, never exactly), no secret value in any output, and a last-known-good cache kept intact.
 * The limits are small (hundreds of milliseconds) so that the whole matrix stays fast.
 *
 * <p>Writes {@code target/reliability-matrix.md} and keeps the table of {@code docs/reliability.md} in step (see
 * {@link FaultMatrix}).
 */
class FaultMatrixTest {

    /** The faults of the matrix, in table order. */
    enum Case {
        REFUSED("refused"),
        HALF_OPEN("accept, then silence (half-open)"),
        SLOW_DRIP("slow drip, 1 byte/s after the headers"),
        RESET_MID_BODY("reset mid-body"),
        TRUNCATED_BODY("truncated body"),
        HANDSHAKE_STALL("TLS handshake stall"),
        WRONG_CERTIFICATE("wrong certificate"),
        RETRY_AFTER_STORM("429 with Retry-After: 1, every time"),
        UNAVAILABLE_STORM("503 with Retry-After: 1, every time"),
        ERROR_THEN_SUCCESS("500 once, then success"),
        DNS_FAILURE("unresolvable name (.invalid)");

        final String label;

        Case(String label) {
            this.label = label;
        }
    }

    static final String VAULT_VALUE = "vault-s3ntinel-7d41";
    static final String AKV_VALUE = "akv-s3ntinel-52ce";
    static final String GSM_VALUE = "gsm-s3ntinel-0b9a";
    static final String VAULT_TOKEN = "hvs.fault-matrix-token-1";
    static final double SLACK = 2.0;
    static final Duration SLACK_ADD = Duration.ofSeconds(5);

    /** Per-request limits of the stores in this test: connect, handshake, response, body. */
    static final Map<String, Object> LIMITS = Map.of("connectTimeout", "500ms", "handshakeTimeout", "1s",
            "bodyTimeout", "1s");
    static final Duration ATTEMPT = Duration.ofMillis(500 + 1000 + 1000 + 1000);

    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @TempDir
    Path dir;

    /**
     * The first TLS handshakes of a JVM (class loading, key generation) take seconds on a loaded machine, longer
     * than the test's limits: one healthy call through a TLS proxy first, with the default limits.
     */
    @BeforeAll
    static void warmUpTls() throws Exception {
        try (FakeKeyVaultServer fake = FakeKeyVaultServer.start();
             FaultProxy proxy = FaultProxy.tls(fake.vaultUrl().getPort(), TestCertificate.get().serverContext(),
                     TestCertificate.get().clientContext());
             SecretStore store = new AzureKeyVaultStoreProvider(fake.transport()).create(new StoreDefinition("warm",
                     "azure-key-vault", Map.of("vaultUrl", proxy.uri("https").toString(), "connectTimeout", "60s",
                     "handshakeTimeout", "60s"), null), new StoreContext(Map.of(), Path.of("."),
                     Clock.systemUTC()))) {
            store.list();
        }
    }

    @AfterAll
    static void publish() throws Exception {
        int expected = Case.values().length * 4;
        String drift = FaultMatrix.publish(Path.of("").toAbsolutePath(), expected);
        assertThat(drift).as("docs/reliability.md").isNull();
    }

    // ---- Vault (JDK HttpClient; plain HTTP, TLS for the TLS faults) -----------------------------------------

    @ParameterizedTest
    @EnumSource(Case.class)
    void vault(Case c) throws Exception {
        boolean tls = c == Case.HANDSHAKE_STALL || c == Case.WRONG_CERTIFICATE;
        try (FakeVault vault = tls ? FakeVault.startTls(Clock.systemUTC(), TestCertificate.get().serverContext())
                : FakeVault.start(Clock.systemUTC());
             FaultProxy proxy = tls ? FaultProxy.tls(vault.address().getPort(),
                     TestCertificate.get().serverContext(), TestCertificate.get().clientContext())
                     : FaultProxy.plain(vault.address().getPort())) {
            vault.mount("secret", 2);
            vault.token(VAULT_TOKEN, Duration.ZERO, false, "secret/data/ci/*:read", "secret/metadata/*:read,list",
                    "secret/metadata/ci/*:read,list");
            vault.put("secret", "ci/db", Map.of("password", VAULT_VALUE));
            String scheme = tls ? "https" : "http";
            Map<String, Object> settings = new LinkedHashMap<>(LIMITS);
            settings.put("responseTimeout", "1s");
            settings.put("maxAttempts", 2);
            settings.put("retryDelay", "1ms");
            if (tls) {
                settings.put("caCertFile", Files.writeString(dir.resolve("ca.pem"),
                        TestCertificate.get().certificatePem()).toString());
            }
            Consumer<Fault> arm = f -> proxy.fault(f);
            Runnable storm = () -> vault.failNext(c == Case.RETRY_AFTER_STORM ? 429 : 503, 1000);
            Runnable once = () -> vault.failNext(500, 1);
            Duration bound = ATTEMPT.multipliedBy(2);
            String boundText = "2 attempts x 3.5 s = 7 s";
            Map<String, String> env = Map.of("VAULT_TOKEN", VAULT_TOKEN);
            measure("Vault", c, proxy, scheme, "address", settings, arm, storm, once, bound, boundText, VAULT_VALUE,
                    "vault", "vault:ci/db#password", new VaultStoreProvider(), env);
        }
    }

    // ---- Azure Key Vault (the SDK on azure-core-http-jdk-httpclient; HTTPS) ----------------------------------

    @ParameterizedTest
    @EnumSource(Case.class)
    void azureKeyVault(Case c) throws Exception {
        try (FakeKeyVaultServer fake = FakeKeyVaultServer.start();
             FaultProxy proxy = FaultProxy.tls(fake.vaultUrl().getPort(), TestCertificate.get().serverContext(),
                     TestCertificate.get().clientContext())) {
            fake.put("db-password", AKV_VALUE, Instant.parse("2026-01-01T00:00:00Z"));
            Map<String, Object> settings = new LinkedHashMap<>(LIMITS);
            settings.put("readTimeout", "1s");
            settings.put("maxRetries", 1);
            Consumer<Fault> arm = f -> proxy.fault(f);
            Runnable storm = () -> fake.failNext(1000, c == Case.RETRY_AFTER_STORM ? 429 : 503, "1");
            Runnable once = () -> fake.failNext(1, 500, null);
            // The test transport records the Retry-After pauses instead of sleeping them.
            measure("Azure Key Vault", c, proxy, "https", "vaultUrl", settings, arm, storm, once,
                    ATTEMPT.multipliedBy(2), "2 attempts x 3.5 s = 7 s (+ Retry-After, at most maxRetryWait)",
                    AKV_VALUE, "akv", "akv:db-password", new AzureKeyVaultStoreProvider(fake.transport()), Map.of());
        }
    }

    // ---- Google Secret Manager (gax HTTP/JSON; plain HTTP fake) ----------------------------------------------

    @ParameterizedTest
    @EnumSource(Case.class)
    void googleSecretManager(Case c) throws Exception {
        try (FakeSecretManager fake = FakeSecretManager.start("ci-project");
             FaultProxy proxy = FaultProxy.plain(URI.create(fake.endpoint()).getPort())) {
            fake.requireBearer("fake-access-token");
            fake.secret("db-password", Map.of()).addVersion("db-password", GSM_VALUE);
            Files.writeString(dir.resolve("sa.json"), serviceAccountKey(fake.tokenUri()));
            warmUpGoogleSignIn(fake);
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("project", "ci-project");
            settings.put("credentialsFile", dir.resolve("sa.json").toString());
            settings.put("timeout", "1s");
            settings.put("maxAttempts", 2);
            settings.put("retryDelay", "1ms");
            Consumer<Fault> arm = f -> proxy.fault(f);
            Runnable storm = () -> {
                for (String method : List.of(FakeSecretManager.ACCESS_SECRET_VERSION, FakeSecretManager.LIST_SECRETS)) {
                    fake.failNext(method, c == Case.RETRY_AFTER_STORM ? 429 : 503,
                            c == Case.RETRY_AFTER_STORM ? "RESOURCE_EXHAUSTED" : "UNAVAILABLE", 1000, "1", null);
                }
            };
            Runnable once = () -> fake.failNext(FakeSecretManager.ACCESS_SECRET_VERSION, 500, "INTERNAL", 1);
            measure("Google Secret Manager", c, proxy, "http", "endpoint", settings, arm, storm, once,
                    Duration.ofMillis(2 * 1000 + 1000), "2 attempts x 1 s + 1 s Retry-After = 3 s", GSM_VALUE,
                    "gsm", "gsm:db-password", new GoogleSecretManagerStoreProvider(), Map.of());
        }
    }

    private static boolean googleWarm;

    /** The first sign-in of the JVM loads and initialises the Google libraries, slower than the test's limits. */
    private void warmUpGoogleSignIn(FakeSecretManager fake) throws Exception {
        if (googleWarm) {
            return;
        }
        Map<String, Object> settings = Map.of("project", "ci-project", "credentialsFile",
                dir.resolve("sa.json").toString(), "endpoint", fake.endpoint(), "timeout", "30s");
        try (SecretStore store = new GoogleSecretManagerStoreProvider().create(new StoreDefinition("warm",
                "google-secret-manager", settings, null), new StoreContext(Map.of(), dir, Clock.systemUTC()))) {
            store.list();
        }
        googleWarm = true;
    }

    /**
     * Runs {@code exec} through the proxy under the fault, then checks a last-known-good cache over a store built
     * the same way: listed while healthy, refreshed under the fault, still serving the same entries.
     */
    private void measure(String component, Case c, FaultProxy proxy, String scheme, String addressKey,
            Map<String, Object> settings, Consumer<Fault> arm, Runnable storm, Runnable once, Duration bound,
            String boundText, String sentinel, String storeId, String reference,
            io.jenkins.plugins.kmssecrets.store.SecretStoreProvider provider, Map<String, String> env)
            throws Exception {
        boolean tlsCase = c == Case.HANDSHAKE_STALL || c == Case.WRONG_CERTIFICATE;
        if (tlsCase && "http".equals(scheme)) {
            FaultMatrix.add(new FaultMatrix.Row(component, c.ordinal(), c.label, -1,
                    "n/a: the fake speaks plain HTTP", "-", 0));
            return;
        }
        Fault fault = switch (c) {
            case REFUSED -> Fault.REFUSED;
            case HALF_OPEN -> Fault.SILENCE;
            case SLOW_DRIP -> Fault.DRIP;
            case RESET_MID_BODY -> Fault.RESET_MID_BODY;
            case TRUNCATED_BODY -> Fault.TRUNCATED_BODY;
            case HANDSHAKE_STALL -> Fault.HANDSHAKE_STALL;
            case WRONG_CERTIFICATE -> Fault.WRONG_CERTIFICATE;
            default -> Fault.NONE;
        };
        // The cache lists while healthy, before the fault.
        Map<String, Object> healthy = new LinkedHashMap<>(settings);
        healthy.put(addressKey, address(proxy, scheme, false));
        StoreContext storeContext = new StoreContext(env, dir, Clock.systemUTC());
        SecretStore direct = provider.create(new StoreDefinition(storeId, provider.type(), healthy, null),
                storeContext);
        CachingSecretStore cache = new CachingSecretStore(direct, Duration.ofMinutes(5), Clock.systemUTC(),
                Runnable::run);
        List<SecretMetadata> before = cache.list();
        assertThat(before).isNotEmpty();

        arm.accept(fault);
        if (c == Case.RETRY_AFTER_STORM || c == Case.UNAVAILABLE_STORM) {
            storm.run();
        } else if (c == Case.ERROR_THEN_SUCCESS) {
            once.run();
        }
        Map<String, Object> faulty = new LinkedHashMap<>(settings);
        faulty.put(addressKey, address(proxy, scheme, c == Case.DNS_FAILURE));
        Files.writeString(dir.resolve("kms-secrets.yaml"), manifest(storeId, provider.type(), faulty, reference));
        Map<String, String> cliEnv = new LinkedHashMap<>(env);
        cliEnv.put("PATH", System.getenv("PATH"));
        cliEnv.put("HOME", dir.toString());
        long start = System.nanoTime();
        CliRun run = CliRun.run(dir, cliEnv, Clock.systemUTC(), StoreTypes.of(provider), "", "exec", "--",
                "sh", "-c", "exit 0");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.all()).as(run.toString()).doesNotContain(sentinel);
        assertThat(took).as(component + " / " + c + ": time to fail").isLessThanOrEqualTo(
                Duration.ofMillis((long) (bound.toMillis() * SLACK)).plus(SLACK_ADD));
        if (c == Case.ERROR_THEN_SUCCESS && !"gsm".equals(storeId)) {
            assertThat(run.exitCode).as(run.toString()).isZero();
        } else if (c == Case.ERROR_THEN_SUCCESS) {
            // Secret Manager's INTERNAL (500) is not among the codes the store retries (UNAVAILABLE,
            // RESOURCE_EXHAUSTED): it fails at once, naming the code.
            assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.STORE);
            assertThat(run.err).contains("INTERNAL");
        } else {
            assertThat(run.exitCode).as(run.toString()).isIn(ExitCode.INPUT, ExitCode.STORE);
            assertThat(run.err.strip()).as(run.toString()).contains("'" + storeId + "'");
        }
        String message = run.exitCode == 0 ? "(none: the retry succeeded)" : firstLine(run.err);

        // Refreshing under the fault keeps the last good list (the cache's store keeps the resolvable address).
        if (c != Case.ERROR_THEN_SUCCESS && c != Case.DNS_FAILURE) {
            cache.refreshNow();
            assertThat(cache.list()).isEqualTo(before);
            assertThat(cache.status().stale()).isTrue();
            assertThat(String.valueOf(cache.status().lastError())).doesNotContain(sentinel);
        }
        cache.close();
        FaultMatrix.add(new FaultMatrix.Row(component, c.ordinal(), c.label, run.exitCode, normalise(message),
                boundText, took.toMillis()));
    }

    // ---- eso sync (fabric8 on the JDK client; the mock API server, plain HTTP) -------------------------------

    @ParameterizedTest
    @EnumSource(Case.class)
    @SuppressWarnings("try")
    void esoSync(Case c) throws Exception {
        EsoApiServer server = EsoApiServer.shared();
        if (c == Case.HANDSHAKE_STALL || c == Case.WRONG_CERTIFICATE) {
            FaultMatrix.add(new FaultMatrix.Row("eso sync", c.ordinal(), c.label, -1,
                    "n/a: the mock API server speaks plain HTTP", "-", 0));
            return;
        }
        String namespace = "fault-" + UNIQUE.incrementAndGet();
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv-prod
                    type: test-metadata
                    present: netbox-db
                externalSecrets:
                  - name: netbox-db
                    app: netbox
                    namespace: %s
                    store: {name: azure-store, kind: ClusterSecretStore}
                    keys:
                      password: akv-prod:netbox-db#password
                """.formatted(namespace));
        Path token = Files.writeString(dir.resolve("token"), "test-token\n");
        assertThat(cli("eso", "declare", "-f", dir.resolve("kms-secrets.yaml").toString(), "--dir",
                dir.toString())[0]).isEqualTo("0");
        try (FaultProxy proxy = FaultProxy.plain(URI.create(server.url()).getPort());
             FakeEsoController eso = new FakeEsoController(server, FakeEsoController.Mode.SYNC, namespace)) {
            switch (c) {
                case REFUSED -> proxy.fault(Fault.REFUSED);
                case HALF_OPEN -> proxy.fault(Fault.SILENCE);
                case SLOW_DRIP -> proxy.fault(Fault.DRIP);
                case RESET_MID_BODY -> proxy.fault(Fault.RESET_MID_BODY);
                case TRUNCATED_BODY -> proxy.fault(Fault.TRUNCATED_BODY);
                case RETRY_AFTER_STORM -> proxy.status(429, "1", 1000);
                case UNAVAILABLE_STORM -> proxy.status(503, "1", 1000);
                case ERROR_THEN_SUCCESS -> proxy.status(500, null, 1);
                default -> proxy.fault(Fault.NONE);
            }
            // https: a bearer token is sent over plain http to loopback only.
            String url = c == Case.DNS_FAILURE ? proxy.unresolvable("https").toString()
                    : "http://127.0.0.1:" + proxy.port();
            long start = System.nanoTime();
            String[] run = cli("eso", "sync", "--server", url, "--token-file", token.toString(), "--timeout", "2s",
                    "--poll-interval", "50ms", dir.resolve("deploy").toString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            int code = Integer.parseInt(run[0]);
            String all = run[1] + run[2];
            assertThat(all).doesNotContain(FakeEsoController.SENTINEL);
            // Every request is bounded by --timeout (2 s) in each phase; fabric8 tries 3 times.
            assertThat(took).as("eso sync / " + c + ": time to fail\n" + all)
                    .isLessThanOrEqualTo(Duration.ofSeconds(3 * 8 * 2 / 2).plus(SLACK_ADD));
            if (c == Case.ERROR_THEN_SUCCESS) {
                assertThat(code).as(all).isZero();
            } else {
                assertThat(code).as(all).isIn(ExitCode.FAILED, ExitCode.STORE);
            }
            String message = code == 0 ? "(none: the retry succeeded)" : firstErrorLine(run[2]);
            FaultMatrix.add(new FaultMatrix.Row("eso sync", c.ordinal(), c.label, code, normalise(message),
                    "3 tries x 4 phases x --timeout 2s", took.toMillis()));
        }
    }

    private static String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private static String address(FaultProxy proxy, String scheme, boolean unresolvable) {
        URI uri = unresolvable ? proxy.unresolvable(scheme) : proxy.uri(scheme);
        String text = uri.toString();
        return "http".equals(scheme) ? text.substring(0, text.length() - 1) : text;
    }

    private static String manifest(String storeId, String type, Map<String, Object> settings, String reference) {
        StringBuilder sb = new StringBuilder("stores:\n  - id: ").append(storeId).append("\n    type: ").append(type)
                .append('\n');
        settings.forEach((k, v) -> sb.append("    ").append(k).append(": '").append(v).append("'\n"));
        sb.append("secrets:\n  - env: SECRET_ONE\n    ref: ").append(reference).append('\n');
        return sb.toString();
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int nl = stripped.indexOf('\n');
        return nl < 0 ? stripped : stripped.substring(0, nl);
    }

    /** The first line saying what failed (the progress lines of {@code eso sync} come first). */
    private static String firstErrorLine(String err) {
        for (String line : err.strip().split("\n")) {
            if (line.startsWith("error") || line.contains("failed") || line.contains("cannot")) {
                return line;
            }
        }
        return firstLine(err);
    }

    /** Ports, namespaces and the temporary directory vary per run; the table must not. */
    static String normalise(String message) {
        return message.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:<port>")
                .replaceAll("/\\S*/junit-?\\d+/", "<tmp>/")
                .replaceAll("kms-fault\\.invalid:\\d+", "kms-fault.invalid:<port>")
                .replaceAll("fault-\\d+", "fault-<n>")
                .replaceAll("localhost:\\d+", "localhost:<port>");
    }
}
