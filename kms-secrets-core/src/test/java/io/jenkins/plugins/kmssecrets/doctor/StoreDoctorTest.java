package io.jenkins.plugins.kmssecrets.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretStoreProvider;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreDefinition;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStoreProvider;
import io.jenkins.plugins.kmssecrets.store.sops.SopsStoreProvider;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStoreProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor's sign-in findings under a fake HOME, and its rule that a store without a sign-in is never built (so no
 * default credential chain can fall through to a metadata endpoint).
 */
@DisabledOnOs(OS.WINDOWS)
class StoreDoctorTest {

    @TempDir
    Path dir;

    private final AtomicInteger created = new AtomicInteger();

    /** Counts the stores built, delegating to the real provider. */
    private SecretStoreProvider counting(SecretStoreProvider real) {
        return new SecretStoreProvider() {
            @Override
            public String type() {
                return real.type();
            }

            @Override
            public Set<String> settingKeys() {
                return real.settingKeys();
            }

            @Override
            public SecretStore create(StoreDefinition definition, StoreContext context) {
                created.incrementAndGet();
                return real.create(definition, context);
            }
        };
    }

    private StoreDiagnosis diagnose(String type, Map<String, Object> settings, Map<String, String> env) {
        StoreTypes types = StoreTypes.of(counting(new GoogleSecretManagerStoreProvider()),
                counting(new VaultStoreProvider()), counting(new SopsStoreProvider()));
        Map<String, String> environment = new HashMap<>(Map.of("PATH", dir.resolve("bin").toString()));
        environment.putAll(env);
        return new StoreDoctor(types, new StoreContext(environment, dir, Clock.systemUTC()), Duration.ofSeconds(5))
                .diagnose(new StoreDefinition("s", type, settings, null), "base");
    }

    @Test
    void googleDefaultChainWithoutAnAdcFileIsNotTriedSoTheMetadataServerIsNeverAsked() {
        StoreDiagnosis diagnosis = diagnose("google-secret-manager", Map.of("project", "p"),
                Map.of("HOME", dir.resolve("home").toString()));

        assertThat(diagnosis.answer()).isEqualTo(StoreDiagnosis.Answer.NOT_TRIED);
        assertThat(diagnosis.signIn().source()).contains("application_default_credentials.json")
                .contains("metadata server (not probed)");
        assertThat(diagnosis.fix()).isEqualTo("gcloud auth application-default login");
        assertThat(created).hasValue(0);
    }

    @Test
    void googleCredentialsFileIsReportedWithItsTypeOnly() throws Exception {
        Files.writeString(dir.resolve("wif.json"), "{\"type\":\"external_account\",\"audience\":\"//iam/x\"}");

        SignInFinding finding = new SignInInspector(new StoreContext(Map.of(), dir, Clock.systemUTC()),
                Duration.ofSeconds(1)).inspect(new StoreDefinition("s", "google-secret-manager",
                Map.of("project", "p", "credentialsFile", "wif.json"), null));

        assertThat(finding.found()).isTrue();
        assertThat(finding.source()).isEqualTo("credentials file " + dir.resolve("wif.json") + " (external_account)");
    }

    @Test
    void vaultTokenHelperIsNamedWithTheFileThatConfiguresIt() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path helper = Files.writeString(dir.resolve("helper"), "#!/bin/sh\nexit 1\n");
        Files.writeString(home.resolve(".vault"), "token_helper = \"" + helper + "\"\n");

        SignInFinding notExecutable = new SignInInspector(new StoreContext(Map.of("HOME", home.toString(),
                "VAULT_ADDR", "http://127.0.0.1:1"), dir, Clock.systemUTC()), Duration.ofSeconds(1))
                .inspect(new StoreDefinition("s", "vault", Map.of(), null));
        assertThat(notExecutable.found()).isFalse();
        assertThat(notExecutable.fix()).isEqualTo("chmod +x " + helper);

        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        SignInFinding executable = new SignInInspector(new StoreContext(Map.of("HOME", home.toString(),
                "VAULT_ADDR", "http://127.0.0.1:1"), dir, Clock.systemUTC()), Duration.ofSeconds(1))
                .inspect(new StoreDefinition("s", "vault", Map.of(), null));
        assertThat(executable.found()).isTrue();
        assertThat(executable.source()).isEqualTo("token_helper " + helper + " (from " + home.resolve(".vault") + ")");
    }

    @Test
    void vaultWithoutAddressSaysToExportVaultAddr() {
        StoreDiagnosis diagnosis = diagnose("vault", Map.of(), Map.of("VAULT_TOKEN", "hvs.x"));

        assertThat(diagnosis.answer()).isEqualTo(StoreDiagnosis.Answer.NOT_TRIED);
        assertThat(diagnosis.fix()).startsWith("export VAULT_ADDR=");
        assertThat(created).hasValue(0);
    }

    @Test
    void unusedKmsSecretsAgeKeyIsPointedOut() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path key = home.resolve(".config/kms-secrets/age.key");
        Files.createDirectories(key.getParent());
        Files.writeString(key, "# not read by the doctor\n");

        StoreDiagnosis diagnosis = diagnose("sops", Map.of("file", "dev.enc.yaml"), Map.of("HOME", home.toString()));

        assertThat(diagnosis.signIn().found()).isFalse();
        assertThat(diagnosis.fix()).isEqualTo("export SOPS_AGE_KEY_FILE=" + key);
    }

    @Test
    void azureDefaultChainFromServicePrincipalVariablesNeedsNoAz() {
        SignInFinding finding = new SignInInspector(new StoreContext(Map.of("AZURE_CLIENT_ID", "c",
                "AZURE_TENANT_ID", "t", "AZURE_CLIENT_SECRET", "never-shown-4f2"), dir, Clock.systemUTC()),
                Duration.ofSeconds(1)).inspect(new StoreDefinition("s", "azure-key-vault",
                Map.of("vaultUrl", "https://x.vault.azure.net"), null));

        assertThat(finding.found()).isTrue();
        assertThat(finding.source()).contains("AZURE_CLIENT_ID").doesNotContain("never-shown-4f2");
    }

    @Test
    void azureCliMissingFromPathSaysToInstallIt() {
        SignInFinding finding = new SignInInspector(new StoreContext(Map.of("PATH", dir.toString()), dir,
                Clock.systemUTC()), Duration.ofSeconds(1)).inspect(new StoreDefinition("s", "azure-key-vault",
                Map.of("vaultUrl", "https://x.vault.azure.net", "auth", "azureCli", "tenantId", "t1"), null));

        assertThat(finding.found()).isFalse();
        assertThat(finding.source()).contains("not on the PATH");
        assertThat(finding.fix()).contains("install the Azure CLI").endsWith("az login --tenant t1");
    }
}
