package io.jenkins.plugins.kmssecrets.cli;

import static io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager.serviceAccountKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultStoreProvider;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStoreProvider;
import io.jenkins.plugins.kmssecrets.store.sops.SopsStore;
import io.jenkins.plugins.kmssecrets.store.sops.SopsStoreProvider;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.TestData;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeSecretVersion;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import io.jenkins.plugins.kmssecrets.testing.k8s.EsoApiServer;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kms-secrets rotate} writing new versions through Main.run, against the fake Vault (most cases), the fake
 * Key Vault, the fake Secret Manager and a real sops vector. The new value is a sentinel (or generated and read back
 * from the fake) that must appear in no output, report or error.
 */
class RotateWriteCommandTest {

    private static final String SENTINEL = "SENTINEL-rotated-value-0b7e1d";
    private static final String TOKEN = "hvs.writer-token-77aa";

    @TempDir
    Path dir;

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-11-23T12:00:00Z"));
    private FakeVault vault;

    @BeforeEach
    void setUp() throws Exception {
        vault = FakeVault.start(clock).mount("secret", 2).mount("kv1", 1);
        vault.token(TOKEN, Duration.ZERO, false, "secret/*:read,list,update", "kv1/*:read,list,update");
        vault.put("secret", "apps/netbox", Map.of("password", "old-pass-1", "user", "netbox"));
        vault.put("kv1", "apps/netbox", Map.of("password", "old-pass-1"));
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: vault
                    type: vault
                    address: %1$s
                    retryDelay: 1ms
                  - id: kv1
                    type: vault
                    address: %1$s
                    mount: kv1
                    kvVersion: 1
                    retryDelay: 1ms
                """.formatted(vault.address()));
    }

    @AfterEach
    void stop() {
        vault.close();
        RotateCommand.terminal = WriteConfirmation::system;
    }

    /** Runs the CLI on the system clock: its waits (eso sync, the push) are bounded in real time. */
    private CliRun run(String stdin, String... args) {
        return CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString(), "VAULT_TOKEN", TOKEN),
                Clock.systemUTC(), StoreTypes.of(new VaultStoreProvider()), stdin, args);
    }

    private String password(int version) {
        return vault.data("secret", "apps/netbox", version).path("password").asText();
    }

    @Test
    void valueFromStdinWritesOneVersionAndTheReportShowsOldToNew() throws Exception {
        CliRun run = run(SENTINEL + "\n", "rotate", "--value-stdin", "--yes", "--format", "json", "-o",
                "rotate.json", "vault:apps/netbox#password");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(vault.versionCount("secret", "apps/netbox")).isEqualTo(2);
        assertThat(password(2)).isEqualTo(SENTINEL);
        assertThat(vault.data("secret", "apps/netbox", 2).path("user").asText()).isEqualTo("netbox");
        assertThat(password(1)).isEqualTo("old-pass-1");
        String report = Files.readString(dir.resolve("rotate.json"));
        assertThat(report).contains("\"oldVersion\" : \"1\"").contains("\"newVersion\" : \"2\"")
                .contains("\"result\" : \"WRITTEN\"").contains("not pushed");
        assertThat(run.err).contains("vault:apps/netbox#password: written, 1 -> 2");
        assertThat(run.all()).doesNotContain(SENTINEL);
        assertThat(report).doesNotContain(SENTINEL);
    }

    @Test
    void generatedValueIsNeverShown() {
        CliRun run = run("", "rotate", "--generate", "length=40", "--yes", "vault:apps/netbox#password");

        assertThat(run.exitCode).as(run.toString()).isZero();
        String generated = password(2);
        assertThat(generated).hasSize(40).matches("[A-Za-z0-9]{40}");
        assertThat(run.out).contains("secret vault:apps/netbox#password: 1 -> 2").contains("WRITTEN");
        assertThat(run.all()).doesNotContain(generated);
    }

    @Test
    void valueFileWritesTheWholeSecret() throws Exception {
        Files.writeString(dir.resolve("new.json"), "{\"password\":\"" + SENTINEL + "\",\"user\":\"u2\"}\n");

        CliRun run = run("", "rotate", "--value-file", "new.json", "--yes", "vault:apps/netbox");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(password(2)).isEqualTo(SENTINEL);
        assertThat(vault.data("secret", "apps/netbox", 2).path("user").asText()).isEqualTo("u2");
        assertThat(run.all()).doesNotContain(SENTINEL);
    }

    @Test
    void withoutYesAndWithoutATerminalNothingIsWritten() {
        RotateCommand.terminal = () -> null;

        CliRun run = run(SENTINEL, "rotate", "--value-stdin", "vault:apps/netbox#password");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.INPUT);
        assertThat(run.err.strip()).doesNotContain("\n").contains("needs --yes").contains("nothing was written");
        assertThat(vault.versionCount("secret", "apps/netbox")).isEqualTo(1);
        assertThat(vault.count(FakeVault.WRITE)).isZero();
        assertThat(run.all()).doesNotContain(SENTINEL);
    }

    @Test
    void theTerminalConfirmationNamesStoreSecretAndVersionAndANoWritesNothing() {
        List<String> prompts = new ArrayList<>();
        RotateCommand.terminal = () -> prompt -> {
            prompts.add(prompt);
            return "no";
        };

        CliRun refused = run(SENTINEL, "rotate", "--value-stdin", "vault:apps/netbox#password");

        assertThat(refused.exitCode).as(refused.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err).contains("not confirmed; nothing was written");
        assertThat(vault.versionCount("secret", "apps/netbox")).isEqualTo(1);
        assertThat(prompts).singleElement().asString().contains("a new version").contains("secret 'apps/netbox'")
                .contains("store 'vault'").contains("current version: 1").doesNotContain(SENTINEL);

        RotateCommand.terminal = () -> prompt -> "yes";
        CliRun confirmed = run(SENTINEL, "rotate", "--value-stdin", "vault:apps/netbox#password");

        assertThat(confirmed.exitCode).as(confirmed.toString()).isZero();
        assertThat(password(2)).isEqualTo(SENTINEL);
        assertThat(refused.all() + confirmed.all()).doesNotContain(SENTINEL);
    }

    @Test
    void dryRunWritesNothingAndSaysWhatItWouldWrite() {
        CliRun run = run(SENTINEL, "rotate", "--value-stdin", "--dry-run", "--yes", "vault:apps/netbox#password");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.err).contains("dry run: would write a new version of vault:apps/netbox#password (current "
                + "version: 1)");
        assertThat(run.out).contains("rotation plan for vault:apps/netbox#password");
        assertThat(vault.count(FakeVault.WRITE)).isZero();
        assertThat(run.all()).doesNotContain(SENTINEL);
    }

    @Test
    void exactlyOneValueSource() {
        CliRun run = run(SENTINEL, "rotate", "--value-stdin", "--generate", "length=32", "--yes",
                "vault:apps/netbox#password");

        assertThat(run.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(run.err).contains("give one of --value-stdin, --value-file, --generate and --rollback-to");
        assertThat(vault.count(FakeVault.WRITE)).isZero();
    }

    @Test
    void rollbackWritesTheOldValueAndDisablePreviousSoftDeletes() {
        assertThat(run(SENTINEL, "rotate", "--value-stdin", "--yes", "vault:apps/netbox#password").exitCode)
                .isZero();

        CliRun run = run("", "rotate", "--rollback-to", "1", "--disable-previous", "--yes",
                "vault:apps/netbox#password");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(vault.versionCount("secret", "apps/netbox")).isEqualTo(3);
        assertThat(password(3)).isEqualTo("old-pass-1");
        assertThat(vault.data("secret", "apps/netbox", 2)).isNull();
        assertThat(run.out).contains("2 -> 3 (the value of version 1), previous version disabled");
        assertThat(run.all()).doesNotContain(SENTINEL).doesNotContain("old-pass-1");
    }

    @Test
    void aConcurrentWriterIsAClearErrorAndTheOtherWriteStays() {
        vault.beforeNextWrite(() -> vault.put("secret", "apps/netbox", Map.of("password", "other-writer")));

        CliRun run = run(SENTINEL, "rotate", "--value-stdin", "--yes", "vault:apps/netbox#password");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.STORE);
        assertThat(run.err).contains("changed while it was being written");
        assertThat(password(2)).isEqualTo("other-writer");
        assertThat(run.all()).doesNotContain(SENTINEL).doesNotContain("other-writer");
    }

    @Test
    void aWriteWithPushReachesTheExternalSecretAndTheReportHasBoth() throws Exception {
        String namespace = "rotate-write-" + System.nanoTime();
        Files.writeString(dir.resolve("kms-secrets.yaml"), Files.readString(dir.resolve("kms-secrets.yaml")) + """
                externalSecrets:
                  - name: netbox-db
                    app: netbox
                    namespace: %s
                    store: {name: vault-store, kind: ClusterSecretStore}
                    keys:
                      password: vault:apps/netbox#password
                """.formatted(namespace));
        assertThat(run("", "eso", "declare").exitCode).isZero();
        EsoApiServer server = EsoApiServer.shared();
        KubernetesClient client = server.client();
        Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"), "test");
        run("", "eso", "sync", "--kubeconfig", kubeconfig.toString(), "--context", "test", "--timeout", "1s",
                "deploy/netbox/secrets");
        Thread eso = new Thread(() -> FakeEsoRefresh.answerForcedRefresh(client, namespace, "netbox-db",
                () -> password(vault.versionCount("secret", "apps/netbox"))), "fake-eso");
        eso.start();

        CliRun run = run("", "rotate", "--generate", "length=32", "--yes", "--push", "--kubeconfig",
                kubeconfig.toString(), "--context", "test", "-n", namespace, "--poll-interval", "50ms", "--timeout",
                "20s", "--format", "junit", "-o", "rotate.xml", "vault:apps/netbox#password");
        eso.join(20_000);

        assertThat(run.exitCode).as(run.toString()).isZero();
        String generated = password(2);
        String report = Files.readString(dir.resolve("rotate.xml"));
        assertThat(report).contains("classname=\"rotate.Secret.-\" name=\"vault:apps/netbox#password\"")
                .contains("classname=\"rotate.ExternalSecret." + namespace + "\" name=\"netbox-db\"")
                .doesNotContain("<failure");
        assertThat(run.err).contains("written, 1 -> 2").contains(namespace + "/netbox-db: synced");
        String base64 = Base64.getEncoder().encodeToString(generated.getBytes(StandardCharsets.UTF_8));
        assertThat(run.all() + report).doesNotContain(generated).doesNotContain(base64);
    }

    @Test
    void kv1HasNoVersionsToRollBackTo() {
        CliRun run = run("", "rotate", "--rollback-to", "1", "--yes", "kv1:apps/netbox#password");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.INPUT);
        assertThat(run.err).contains("keeps no versions");
        assertThat(vault.count(FakeVault.WRITE)).isZero();
    }

    @Test
    void azureKeyVaultGetsOneNewVersionWithTheDisabledPrevious() throws Exception {
        try (FakeKeyVaultServer akv = FakeKeyVaultServer.start()) {
            akv.put("db-password", FakeSecretVersion.of("v1", "old-pass-1", Instant.parse("2026-01-01T00:00:00Z")));
            akv.put("other", FakeSecretVersion.of("o1", "untouched", Instant.parse("2026-01-01T00:00:00Z")));
            Files.writeString(dir.resolve("kms-secrets.yaml"), """
                    stores:
                      - id: akv
                        type: azure-key-vault
                        vaultUrl: %s
                    """.formatted(akv.vaultUrl()));

            CliRun run = CliRun.run(dir, Map.of("HOME", dir.toString()), Clock.systemUTC(),
                    StoreTypes.of(new AzureKeyVaultStoreProvider(akv.transport())), SENTINEL, "rotate",
                    "--value-stdin", "--disable-previous", "--yes", "akv:db-password");

            assertThat(run.exitCode).as(run.toString()).isZero();
            assertThat(akv.versionsOf("db-password")).hasSize(2);
            assertThat(akv.versionsOf("db-password").get(1).value()).isEqualTo(SENTINEL);
            assertThat(akv.versionsOf("db-password").get(0).enabled()).isFalse();
            assertThat(akv.versionsOf("other")).hasSize(1);
            assertThat(run.out).contains("secret akv:db-password: v1 -> "
                    + akv.versionsOf("db-password").get(1).version());
            assertThat(run.all()).doesNotContain(SENTINEL);
        }
    }

    @Test
    void googleSecretManagerGetsOneNewVersionOfOneProperty() throws Exception {
        try (FakeSecretManager gsm = FakeSecretManager.start("ci-project")) {
            gsm.secret("db", Map.of()).addVersion("db", "{\"user\":\"u\",\"password\":\"old-pass-1\"}");
            Files.writeString(dir.resolve("sa.json"), serviceAccountKey(gsm.tokenUri()));
            Files.writeString(dir.resolve("kms-secrets.yaml"), """
                    stores:
                      - id: gsm
                        type: google-secret-manager
                        project: ci-project
                        credentialsFile: sa.json
                        endpoint: %s
                        retryDelay: 1ms
                    """.formatted(gsm.endpoint()));

            CliRun run = CliRun.run(dir, Map.of("HOME", dir.toString()), Clock.systemUTC(),
                    StoreTypes.of(new GoogleSecretManagerStoreProvider()), SENTINEL, "rotate", "--value-stdin",
                    "--yes", "--format", "junit", "gsm:db#password");

            assertThat(run.exitCode).as(run.toString()).isZero();
            assertThat(gsm.versionStates("db")).hasSize(2);
            assertThat(new String(gsm.payload("db", 2), StandardCharsets.UTF_8))
                    .isEqualTo("{\"user\":\"u\",\"password\":\"" + SENTINEL + "\"}");
            assertThat(run.out).contains("<testcase").contains("gsm:db#password");
            assertThat(run.all()).doesNotContain(SENTINEL);
        }
    }

    @Test
    void sopsValueIsReEncryptedInPlaceAndRollbackPointsAtGit() throws Exception {
        Path file = dir.resolve("secrets.enc.yaml");
        Files.copy(TestData.path("sops/getsops-sops/pr1031/example.yaml"), file);
        Path key = TestData.path("sops/getsops-sops/age/keys.txt");
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: local
                    type: sops
                    file: secrets.enc.yaml
                    ageKeyFile: %s
                """.formatted(key));
        Files.writeString(dir.resolve("new.txt"), SENTINEL + "\n");

        CliRun run = CliRun.run(dir, Map.of("HOME", dir.toString()), Clock.systemUTC(),
                StoreTypes.of(new SopsStoreProvider()), "", "rotate", "--value-file", "new.txt", "--yes",
                "local:app2.db#password");

        assertThat(run.exitCode).as(run.toString()).isZero();
        SopsStore store = new SopsStore("local", file, key, "secrets.enc.yaml",
                new StoreContext(Map.of(), dir, Clock.systemUTC()));
        try (SecretValue value = store.fetch(SecretReference.parse("local:app2.db.password"))) {
            assertThat(value.asString()).isEqualTo(SENTINEL);
        }
        assertThat(run.out).contains("value replaced in place (no versions)");
        assertThat(run.all()).doesNotContain(SENTINEL);
        assertThat(Files.readString(file)).doesNotContain(SENTINEL);

        CliRun rollback = CliRun.run(dir, Map.of("HOME", dir.toString()), Clock.systemUTC(),
                StoreTypes.of(new SopsStoreProvider()), "", "rotate", "--rollback-to", "1", "--yes",
                "local:app2.db#password");
        assertThat(rollback.exitCode).isEqualTo(ExitCode.INPUT);
        assertThat(rollback.err).contains("keeps no versions").contains("Git");
    }
}
