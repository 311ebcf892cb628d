package io.jenkins.plugins.kmssecrets.cli.eso;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.cli.CliContext;
import io.jenkins.plugins.kmssecrets.cli.Main;
import io.jenkins.plugins.kmssecrets.k8s.EsoResources;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreProvider;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import io.jenkins.plugins.kmssecrets.testing.k8s.FakeEsoController;
import io.jenkins.plugins.kmssecrets.testing.k8s.FakeEsoController.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kms-secrets eso declare|validate|sync end to end through Main.run against the mock API server. */
// The controllers run while open; the try blocks scope them, nothing else needs to reference them.
@SuppressWarnings("try")
class EsoCommandTest {

    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @TempDir
    Path work;

    private final EsoApiServer server = EsoApiServer.shared();
    private String namespace;
    private Path manifest;
    private String out;
    private String err;

    @BeforeEach
    void manifest() throws IOException {
        namespace = "cli-" + UNIQUE.incrementAndGet();
        manifest = Files.writeString(work.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv-prod
                    type: test-metadata
                    present: netbox-db,netbox-api-token
                    disabled: old-token
                externalSecrets:
                  - name: netbox-db
                    app: netbox
                    namespace: %1$s
                    store: {name: azure-store, kind: ClusterSecretStore}
                    keys:
                      username: akv-prod:netbox-db#username
                      password: akv-prod:netbox-db#password
                  - name: netbox-api
                    app: netbox
                    namespace: %1$s
                    store: {name: azure-store, kind: ClusterSecretStore}
                    keys:
                      token: akv-prod:netbox-api-token
                """.formatted(namespace));
    }

    private int run(String... args) {
        StringWriter outText = new StringWriter();
        StringWriter errText = new StringWriter();
        int code = Main.run(args, new PrintWriter(outText), new PrintWriter(errText));
        out = outText.toString();
        err = errText.toString();
        return code;
    }

    /** Runs with a context of the test's own: working directory {@code work}, the given environment and types. */
    private int runIn(Map<String, String> environment, Clock clock, StoreTypes types, String... args) {
        StringWriter outText = new StringWriter();
        StringWriter errText = new StringWriter();
        CliContext context = new CliContext(environment, work, clock, types, InputStream.nullInputStream(),
                OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        int code = Main.run(args, new PrintWriter(outText), new PrintWriter(errText), context);
        out = outText.toString();
        err = errText.toString();
        return code;
    }

    private Path secretsDir() {
        return work.resolve("deploy/netbox/secrets");
    }

    private int declare() {
        return run("eso", "declare", "-f", manifest.toString(), "--dir", work.toString());
    }

    private Path tokenFile() throws IOException {
        return Files.writeString(work.resolve("token"), "test-token\n");
    }

    @Test
    void declareWritesOneFilePerExternalSecretAndRerunChangesNothing() throws IOException {
        assertThat(declare()).isZero();
        assertThat(out).isEqualTo("wrote deploy/netbox/secrets/externalsecret-netbox-db.yaml\n"
                + "wrote deploy/netbox/secrets/externalsecret-netbox-api.yaml\n");
        String first = Files.readString(secretsDir().resolve("externalsecret-netbox-db.yaml"));

        assertThat(declare()).isZero();

        assertThat(out).startsWith("unchanged deploy/netbox/secrets/externalsecret-netbox-db.yaml\n");
        assertThat(Files.readString(secretsDir().resolve("externalsecret-netbox-db.yaml"))).isEqualTo(first);
    }

    @Test
    void declareFromArguments() throws IOException {
        int code = run("eso", "declare", "--dir", work.toString(), "--name", "billing-db", "--app", "billing",
                "--namespace", "billing", "--store", "vault", "--key", "password=vault:apps/billing#password");

        assertThat(code).as(err).isZero();
        assertThat(Files.readString(work.resolve("deploy/billing/secrets/externalsecret-billing-db.yaml")))
                .contains("        key: apps/billing\n        property: password\n");
    }

    @Test
    void declareReportsManifestProblemsWithLines() throws IOException {
        Files.writeString(manifest, Files.readString(manifest).replace("name: netbox-api", "name: Netbox_API"));

        assertThat(declare()).isEqualTo(2);
        assertThat(err).contains("kms-secrets.yaml:14:11: 'Netbox_API' is not a valid name");
        assertThat(secretsDir()).doesNotExist();
    }

    @Test
    void validateAcceptsDeclaredFiles() {
        declare();

        int code = run("eso", "validate", "-f", manifest.toString(), secretsDir().toString());

        assertThat(code).as(err).isZero();
        assertThat(out).contains("validated 2 ExternalSecret(s) in 2 file(s) against the built-in schema (ESO "
                + "v2.9.0): no problems");
    }

    @Test
    void validateReportsEveryProblemWithFileLineAndPath() throws IOException {
        Path file = Files.writeString(work.resolve("bad.yaml"), """
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata:
                  name: Bad_Name
                spec:
                  refreshInterval: 5
                  target:
                    creationPolicy: None
                    deletionPolicy: Delete
                """);

        int code = run("eso", "validate", file.toString());

        assertThat(code).isEqualTo(1);
        String name = file.toString().replace('\\', '/');
        assertThat(err.lines()).containsExactly(
                "error: " + name + ":4:9: 'Bad_Name' is not a valid resource name; use an RFC 1123 name (at most 253 "
                        + "lower-case letters, digits, '-' and '.') (at $.metadata.name)",
                "error: " + name + ":6:3: either data or dataFrom must be set (ESO webhook) (at $.spec)",
                "error: " + name + ":6:20: must be a string, found integer (at $.spec.refreshInterval)",
                "error: " + name + ":9:21: deletionPolicy Delete is not allowed with creationPolicy None: ESO would "
                        + "delete a Secret it does not own; use creationPolicy Owner or deletionPolicy Retain (ESO "
                        + "webhook) (at $.spec.target.deletionPolicy)");
        assertThat(out).contains("4 problem(s)");
    }

    @Test
    void validateShowsTheV1EquivalentOfV1beta1() {
        declare();
        Path file = secretsDir().resolve("externalsecret-netbox-api.yaml");
        rewrite(file, "external-secrets.io/v1\n", "external-secrets.io/v1beta1\n");

        assertThat(run("eso", "validate", file.toString())).isEqualTo(1);

        assertThat(err).contains("is no longer served by External Secrets Operator; use external-secrets.io/v1");
        assertThat(out).contains("v1 equivalent of ").contains("apiVersion: external-secrets.io/v1\n");
    }

    @Test
    void validateCheckRemoteUsesDescribeOnly() throws IOException {
        declare();
        Files.writeString(manifest, Files.readString(manifest).replace("present: netbox-db,netbox-api-token",
                "present: netbox-db"));
        int describesBefore = MetadataStoreProvider.DESCRIBES.get();

        int code = run("eso", "validate", "-f", manifest.toString(), "--check-remote", secretsDir().toString());

        assertThat(code).isEqualTo(1);
        assertThat(err).contains("store 'akv-prod', secret 'netbox-api-token' does not exist (at "
                + "$.spec.data[0].remoteRef.key)");
        assertThat(MetadataStoreProvider.DESCRIBES.get() - describesBefore).isEqualTo(3);
        assertThat(MetadataStoreProvider.FETCHES.get()).isZero();
    }

    @Test
    void validateConnectedChecksTheStoreInTheCluster() throws IOException {
        declare();

        int code = run("eso", "validate", "--server", server.url(), "--token-file", tokenFile().toString(),
                secretsDir().toString());

        assertThat(code).isEqualTo(1);
        assertThat(out).contains("against the cluster CRD externalsecrets.external-secrets.io");
        assertThat(err).contains("ClusterSecretStore azure-store does not exist in the cluster");
    }

    @Test
    void syncAppliesAndReportsATable() throws IOException {
        declare();
        try (FakeEsoController eso = new FakeEsoController(server, Mode.SYNC, namespace)) {
            int code = run("eso", "sync", "--server", server.url(), "--token-file", tokenFile().toString(),
                    "--poll-interval", "20ms", secretsDir().toString());

            assertThat(code).as(err).isZero();
            List<String> lines = new ArrayList<>(out.lines().toList());
            assertThat(lines.get(0)).startsWith("NAMESPACE").contains("RESULT");
            assertThat(lines.subList(1, 3)).allMatch(l -> l.startsWith(namespace) && l.contains(" SYNCED "));
            assertThat(err).contains(namespace + "/netbox-db: synced");
            assertThat(out + err).doesNotContain(FakeEsoController.SENTINEL);
        }
    }

    @Test
    void syncWithKubeconfigContextWritesJunit() throws IOException {
        declare();
        Path kubeconfig = server.writeKubeconfig(work.resolve("kubeconfig"), "ci");
        try (FakeEsoController eso = new FakeEsoController(server, Mode.ERROR, namespace)) {
            int code = run("eso", "sync", "--kubeconfig", kubeconfig.toString(), "--context", "ci",
                    "--poll-interval", "20ms", "--format", "junit", secretsDir().toString());

            assertThat(code).isEqualTo(1);
            assertThat(out).contains("tests=\"2\" failures=\"2\"")
                    .contains("<failure type=\"FAILED\" message=\"SecretSyncedError: could not get secret data from "
                            + "provider\"");
        }
    }

    @Test
    void syncTimesOutAsJson() throws IOException {
        declare();
        try (FakeEsoController eso = new FakeEsoController(server, Mode.NEVER_READY, namespace)) {
            int code = run("eso", "sync", "--server", server.url(), "--timeout", "300ms", "--poll-interval", "20ms",
                    "--format", "json", secretsDir().resolve("externalsecret-netbox-db.yaml").toString());

            assertThat(code).isEqualTo(1);
            assertThat(out).contains("\"success\" : false").contains("\"result\" : \"TIMED_OUT\"");
        }
    }

    @Test
    void syncPruneDryRunListsUndeclaredResources() throws IOException {
        declare();
        try (FakeEsoController eso = new FakeEsoController(server, Mode.SYNC, namespace)) {
            assertThat(run("eso", "sync", "--server", server.url(), "--poll-interval", "20ms",
                    secretsDir().toString())).as(err).isZero();
            Files.delete(secretsDir().resolve("externalsecret-netbox-api.yaml"));

            int code = run("eso", "sync", "--server", server.url(), "--prune", "--dry-run", secretsDir().toString());

            assertThat(code).as(err).isZero();
            assertThat(out).contains("netbox-api").contains("WOULD_PRUNE").contains("DRY_RUN");
            assertThat(EsoResources.externalSecrets(server.client()).inNamespace(namespace).withName("netbox-api")
                    .get()).isNotNull();
        }
    }

    @Test
    void syncRefusesInvalidFilesBeforeApplyingAnything() throws IOException {
        declare();
        rewrite(secretsDir().resolve("externalsecret-netbox-db.yaml"), "secretStoreRef", "secretStoreRefs");
        int appliesBefore = server.applies();

        int code = run("eso", "sync", "--server", server.url(), secretsDir().toString());

        assertThat(code).isEqualTo(2);
        assertThat(err).contains("unknown field 'secretStoreRefs'");
        assertThat(server.applies()).isEqualTo(appliesBefore);
    }

    @Test
    void syncAgainstAnUnreachableClusterExitsWithThree() {
        declare();

        int code = run("eso", "sync", "--server", "http://127.0.0.1:1", secretsDir().toString());

        assertThat(code).isEqualTo(3);
        assertThat(err).startsWith("error: http://127.0.0.1:1/: cannot reach the API server (").hasLineCount(1);
    }

    @Test
    void declareReadsTheManifestAndWritesInTheContextsWorkingDirectory() {
        int code = runIn(Map.of(), Clock.systemUTC(), StoreTypes.installed(), "eso", "declare");

        assertThat(code).as(err).isZero();
        assertThat(out).contains("wrote deploy/netbox/secrets/externalsecret-netbox-db.yaml");
        assertThat(secretsDir().resolve("externalsecret-netbox-db.yaml")).isRegularFile();
    }

    @Test
    void validateUsesTheContextsStoreTypesAndDefaultManifest() throws IOException {
        declare();
        Files.writeString(manifest, Files.readString(manifest).replace("type: test-metadata",
                "type: context-only"));
        MetadataStoreProvider metadata = new MetadataStoreProvider();
        SecretStoreProvider contextOnly = new SecretStoreProvider() {
            @Override
            public String type() {
                return "context-only";
            }

            @Override
            public Set<String> settingKeys() {
                return metadata.settingKeys();
            }

            @Override
            public SecretStore create(StoreDefinition definition, StoreContext context) {
                return metadata.create(definition, context);
            }
        };

        int code = runIn(Map.of(), Clock.systemUTC(), StoreTypes.of(contextOnly), "eso", "validate",
                "--check-remote", "deploy/netbox/secrets");

        assertThat(code).as(err).isZero();
        assertThat(out).contains("validated 2 ExternalSecret(s) in 2 file(s)");
    }

    @Test
    void syncTakesKubeconfigFromTheContextsEnvironmentAndTimeFromItsClock() throws IOException {
        declare();
        Path kubeconfig = server.writeKubeconfig(work.resolve("kubeconfig"), "ci");
        // Each read of this clock moves a minute: a two-minute timeout passes after a few polls, and the reported
        // duration is minutes, which the real clock could not produce in this test's time.
        AtomicLong minutes = new AtomicLong();
        Clock stepping = new Clock() {
            @Override
            public Instant instant() {
                return Instant.EPOCH.plus(Duration.ofMinutes(minutes.getAndIncrement()));
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        try (FakeEsoController eso = new FakeEsoController(server, Mode.NEVER_READY, namespace)) {
            int code = runIn(Map.of("KUBECONFIG", kubeconfig.toString()), stepping, StoreTypes.installed(),
                    "eso", "sync", "--context", "ci", "--timeout", "2m", "--poll-interval", "1ms", "--format", "json",
                    "deploy/netbox/secrets/externalsecret-netbox-db.yaml");

            assertThat(code).as(err).isEqualTo(1);
            assertThat(out).contains("\"result\" : \"TIMED_OUT\"")
                    .containsPattern("\"durationMillis\" : [1-9]\\d{5,}");
        }
    }

    private static void rewrite(Path file, String from, String to) {
        try {
            Files.writeString(file, Files.readString(file).replace(from, to));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
