package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultStoreProvider;
import io.jenkins.plugins.kmssecrets.store.gcp.GoogleSecretManagerStoreProvider;
import io.jenkins.plugins.kmssecrets.store.sops.SopsStoreProvider;
import io.jenkins.plugins.kmssecrets.store.vault.VaultStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeOAuthTokenEndpoint;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor} against the four local fakes: Azure Key Vault (with a fake {@code az} on the PATH for
 * {@code auth: azureCli}), Google Secret Manager (with an ADC file of type {@code authorized_user} under a fake HOME and
 * a loopback token endpoint), Vault (with {@code ~/.vault-token}) and the demo SOPS file. No value is read, none is
 * printed, and neither are tokens or key material.
 */
@DisabledOnOs(OS.WINDOWS)
class DoctorCommandTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Path DEMO = Path.of("..", "examples", "demo").toAbsolutePath().normalize();
    static final String AKV_VALUE = "akv-doctor-value-2f81";
    static final String GSM_VALUE = "gsm-doctor-value-9c4e";
    static final String VAULT_VALUE = "vault-doctor-value-61da";
    static final String CLIENT_SECRET = "doctor-client-secret-b7e0";
    static final String REFRESH_TOKEN = "doctor-refresh-token-33fa";
    static final String GSM_ACCESS_TOKEN = "doctor-gsm-access-4a1c";
    static final String VAULT_TOKEN = "hvs.doctor-vault-token-d05e";

    @TempDir
    Path dir;

    final SteppingClock clock = new SteppingClock(NOW);
    FakeKeyVaultServer akv;
    FakeSecretManager gsm;
    FakeOAuthTokenEndpoint oauth;
    FakeVault vault;
    Path home;
    Path bin;

    @BeforeEach
    void setUp() throws Exception {
        akv = FakeKeyVaultServer.start();
        akv.put("db-password", AKV_VALUE, NOW.minus(Duration.ofDays(1)));
        gsm = FakeSecretManager.start("proj-1");
        gsm.requireBearer(GSM_ACCESS_TOKEN);
        gsm.secret("api", Map.of());
        gsm.addVersion("api", GSM_VALUE);
        oauth = FakeOAuthTokenEndpoint.start("doctor-client", CLIENT_SECRET, REFRESH_TOKEN, GSM_ACCESS_TOKEN);
        vault = FakeVault.start(clock).mount("secret", 2);
        vault.token(VAULT_TOKEN, Duration.ZERO, false, "*:read,list");
        vault.put("secret", "ci/app", Map.of("password", VAULT_VALUE));
        home = Files.createDirectories(dir.resolve("home"));
        bin = Files.createDirectories(dir.resolve("bin"));
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.copy(DEMO.resolve("secrets.enc.yaml"), project.resolve("dev.enc.yaml"));
        Files.writeString(project.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv
                    type: azure-key-vault
                    vaultUrl: %s
                    auth: azureCli
                  - id: gsm
                    type: google-secret-manager
                    project: proj-1
                    endpoint: %s
                    auth: adc
                    maxAttempts: 1
                  - id: vault
                    type: vault
                    address: %s
                    maxAttempts: 1
                    retryDelay: 1ms
                  - id: dev
                    type: sops
                    file: dev.enc.yaml
                secrets:
                  - env: DB_PASSWORD
                    ref: akv:db-password
                  - env: API
                    ref: gsm:api
                  - env: APP
                    ref: vault:ci/app#password
                  - env: DEMO
                    ref: dev:api.token
                environments:
                  laptop:
                    stores:
                      akv: none
                """.formatted(akv.vaultUrl(), gsm.endpoint(), vault.address()));
    }

    @AfterEach
    void stop() {
        akv.close();
        gsm.close();
        oauth.close();
        vault.close();
    }

    /** Signs this fake HOME in everywhere: az, gcloud ADC, vault login, sops' age key file. */
    void signedIn() throws Exception {
        fakeAz("""
                if [ "$1 $2" = "account show" ]; then
                  echo '{"environmentName":"AzureCloud","tenantId":"72f988bf-86f1-41af-91ab-2d7cd011db47",\
                "user":{"name":"dev@example.com","type":"user"},"name":"dev-subscription"}'
                  exit 0
                fi
                echo "unexpected: $*" >&2; exit 2""");
        Path adc = home.resolve(".config/gcloud/application_default_credentials.json");
        Files.createDirectories(adc.getParent());
        Files.writeString(adc, oauth.authorizedUserJson());
        Files.writeString(home.resolve(".vault-token"), VAULT_TOKEN + "\n");
        Path keys = home.resolve(".config/sops/age/keys.txt");
        Files.createDirectories(keys.getParent());
        Files.copy(DEMO.resolve("demo-age-key.txt"), keys);
    }

    void fakeAz(String body) throws Exception {
        Path az = bin.resolve("az");
        Files.writeString(az, "#!/bin/sh\necho \"$@\" >> \"" + dir.resolve("az-args") + "\"\n" + body + "\n");
        Files.setPosixFilePermissions(az, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    CliRun run(String... args) {
        Map<String, String> env = new HashMap<>(Map.of("PATH", bin + ":/usr/bin:/bin", "HOME", home.toString()));
        return CliRun.run(dir.resolve("project"), env, clock, StoreTypes.of(
                new AzureKeyVaultStoreProvider(akv.transport()), new GoogleSecretManagerStoreProvider(),
                new VaultStoreProvider(), new SopsStoreProvider()), "", args);
    }

    void assertNoSecretPrinted(CliRun run) throws Exception {
        List<String> secrets = List.of(AKV_VALUE, GSM_VALUE, VAULT_VALUE, CLIENT_SECRET, REFRESH_TOKEN,
                GSM_ACCESS_TOKEN, VAULT_TOKEN, "demo-api-token-5f3a9c1e", "AGE-SECRET-KEY-1");
        for (String secret : secrets) {
            assertThat(run.all()).as("doctor output must not contain %s", secret).doesNotContain(secret);
        }
        assertThat(akv.valueReads()).isZero();
        assertThat(gsm.calls(FakeSecretManager.ACCESS_SECRET_VERSION)).isZero();
        assertThat(vault.count(FakeVault.READ)).isZero();
    }

    @Test
    void tableShowsEverySignInAndThatEveryStoreAnswers() throws Exception {
        signedIn();

        CliRun run = run("doctor");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("environment: (base stores)")
                .containsPattern("akv +azure-key-vault +base +azureCli: az login as dev@example\\.com "
                        + "\\(tenant 72f988bf-86f1-41af-91ab-2d7cd011db47\\) +yes")
                .containsPattern("gsm .*adc: ADC file " + home + "/\\.config/gcloud/application_default_credentials"
                        + "\\.json \\(authorized_user, from HOME\\) +yes \\(1 secret listed\\)")
                .containsPattern("vault .*token: token file " + home + "/\\.vault-token \\(vault login\\) +yes")
                .containsPattern("dev +sops .*age: age key from " + home + "/\\.config/sops/age/keys\\.txt +yes")
                .contains("4 stores: 4 ready, 0 need attention")
                .doesNotContain("To fix:");
        assertThat(Files.readAllLines(dir.resolve("az-args"))).containsExactly("account show --output json");
        assertThat(gsm.authorizations()).isNotEmpty().allMatch(("Bearer " + GSM_ACCESS_TOKEN)::equals);
        assertNoSecretPrinted(run);
    }

    @Test
    void nothingSignedInNamesTheCommandForEachStoreAndAsksNoStore() throws Exception {
        fakeAz("echo \"ERROR: Please run 'az login' to setup account.\" >&2; exit 1");

        CliRun run = run("doctor");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        assertThat(run.out).containsPattern("akv .*MISSING azureCli: the Azure CLI is not signed in .* not tried")
                .containsPattern("gsm .*MISSING adc: no ADC file at " + home + "/\\.config/gcloud/"
                        + "application_default_credentials\\.json \\(from HOME\\)")
                .containsPattern("vault .*MISSING token: no VAULT_TOKEN, no token_helper, no " + home
                        + "/\\.vault-token")
                .containsPattern("dev .*MISSING age: no age key")
                .contains("To fix:")
                .contains("  akv: az login\n")
                .contains("  gsm: gcloud auth application-default login\n")
                .contains("  vault: vault login\n")
                .contains("  dev: age-keygen -o " + home + "/.config/sops/age/keys.txt; then someone who can "
                        + "decrypt dev.enc.yaml runs: sops -r -i --add-age")
                .contains("4 stores: 0 ready, 4 need attention");
        assertThat(gsm.apiCalls()).isZero();
        assertThat(oauth.requests()).isEmpty();
        assertThat(vault.count(FakeVault.LOOKUP_SELF)).isZero();
        assertThat(akv.count(FakeKeyVaultServer.Operation.LIST_SECRETS)).isZero();
    }

    @Test
    void jsonSaysTheSameForTools() throws Exception {
        signedIn();
        Files.delete(home.resolve(".vault-token"));

        CliRun run = run("doctor", "--format", "json");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(run.out);
        assertThat(report.path("ok").asBoolean(true)).isFalse();
        assertThat(report.path("environment").isNull()).isTrue();
        JsonNode stores = report.path("stores");
        assertThat(stores).hasSize(4);
        assertThat(stores.get(0).path("id").asText()).isEqualTo("akv");
        assertThat(stores.get(0).path("answers").asText()).isEqualTo("yes");
        JsonNode gsmEntry = stores.get(2);
        assertThat(gsmEntry.path("id").asText()).isEqualTo("gsm");
        assertThat(gsmEntry.path("signIn").path("method").asText()).isEqualTo("adc");
        assertThat(gsmEntry.path("signIn").path("found").asBoolean()).isTrue();
        assertThat(gsmEntry.path("signIn").path("source").asText()).contains("authorized_user");
        assertThat(gsmEntry.path("fix").isNull()).isTrue();
        JsonNode vaultEntry = stores.get(3);
        assertThat(vaultEntry.path("signIn").path("found").asBoolean(true)).isFalse();
        assertThat(vaultEntry.path("answers").asText()).isEqualTo("not tried");
        assertThat(vaultEntry.path("fix").asText()).isEqualTo("vault login");
        assertNoSecretPrinted(run);
    }

    @Test
    void vaultTokenFromTheEnvironmentAndAStoreThatRejectsIt() throws Exception {
        signedIn();

        CliRun run = CliRun.run(dir.resolve("project"), Map.of("PATH", bin + ":/usr/bin:/bin", "HOME",
                home.toString(), "VAULT_TOKEN", "hvs.unknown-to-vault-7a"), clock, StoreTypes.of(
                new AzureKeyVaultStoreProvider(akv.transport()), new GoogleSecretManagerStoreProvider(),
                new VaultStoreProvider(), new SopsStoreProvider()), "", "doctor");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(1);
        assertThat(run.out).containsPattern("vault .*token: VAULT_TOKEN +no \\(")
                .contains("  vault: ask for read/list access for the signed-in identity, or vault login as another one")
                .doesNotContain("hvs.unknown-to-vault-7a");
    }

    @Test
    void environmentSelectsItsStoresAndShowsNoneStores() throws Exception {
        signedIn();

        CliRun run = run("doctor", "--env", "laptop");

        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("environment: laptop")
                .containsPattern("akv +none +none in environment laptop +- +none");
        assertThat(dir.resolve("az-args")).doesNotExist();
    }

    @Test
    void unknownEnvironmentIsAnInputError() throws Exception {
        CliRun run = run("doctor", "--env", "nope");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
    }

    @Test
    void withoutAManifestItSuggestsInit() throws Exception {
        Files.delete(dir.resolve("project/kms-secrets.yaml"));
        CliRun run = run("doctor");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(2);
        assertThat(run.err).contains("kms-secrets init");
    }
}
