package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreTypes;
import io.jenkins.plugins.kmssecrets.store.azure.AzureIdentityTestTransport;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultSettings;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeEntraAuthority;
import io.jenkins.plugins.kmssecrets.store.azure.KeyVaultTransport;
import io.jenkins.plugins.kmssecrets.store.azure.AzureKeyVaultStoreProvider;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeSecretVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} and {@code exec} against an {@code azure-key-vault} store: the real SDK and the HTTPS fake. */
class AzureKeyVaultCommandTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String PASSWORD = "akv-db-pw-6e2f91";
    static final String TOKEN_FIELD = "akv-json-tok-0b7c";

    @TempDir
    Path dir;

    FakeKeyVaultServer fake;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeKeyVaultServer.start();
        fake.put("db-password", FakeSecretVersion.of("v1", PASSWORD, NOW.minus(Duration.ofDays(3)))
                        .expiringOn(NOW.plus(Duration.ofDays(90))))
                .put("api", FakeSecretVersion.of("v2", "{\"token\":\"" + TOKEN_FIELD + "\"}",
                        NOW.minus(Duration.ofDays(1))));
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv
                    type: azure-key-vault
                    vaultUrl: %s
                secrets:
                  - env: DB_PASSWORD
                    ref: akv:db-password
                  - env: API_TOKEN
                    ref: akv:api#token
                """.formatted(fake.vaultUrl()));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    CliRun run(String... args) {
        return CliRun.run(dir, Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString()),
                Clock.fixed(NOW, ZoneOffset.UTC), StoreTypes.of(new AzureKeyVaultStoreProvider(fake.transport())),
                "", args);
    }

    @Test
    void checkPassesWithAListOnlyIdentityAndReadsNoValue() {
        fake.denyValueReads(true);
        CliRun run = run("check", "--format", "junit");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.out).contains("DB_PASSWORD").contains("API_TOKEN");
        assertThat(fake.valueReads()).isZero();
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(TOKEN_FIELD);
    }

    @Test
    void checkFailsOnAMissingSecret() {
        fake.clear().put("api", "{}", NOW);
        CliRun run = run("check");
        assertThat(run.exitCode).isEqualTo(ExitCode.FAILED);
        assertThat(run.out).contains("db-password").contains("not found");
    }

    static final String CLIENT_SECRET = "sp-client-secret-4b2e";
    static final String CERT_PASSWORD = "pfx-password-9d1c";
    static final String IDENTITY_HEADER = "identity-header-7a3f";
    static final String MSI_SECRET = "msi-secret-0e5b";
    static final String FEDERATED_TOKEN = "eyJhbGciOiJSUzI1NiJ9.sa-token-c8d2.sig";

    /** The environment of an agent carrying every kind of Azure credential. */
    Map<String, String> credentialEnvironment() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("azure-identity-token"), FEDERATED_TOKEN + "\n");
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME",
                dir.toString()));
        env.put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
        env.put("AZURE_CLIENT_CERTIFICATE_PASSWORD", CERT_PASSWORD);
        env.put("IDENTITY_HEADER", IDENTITY_HEADER);
        env.put("IDENTITY_ENDPOINT", "http://127.0.0.1:1/msi/token");
        env.put("MSI_SECRET", MSI_SECRET);
        env.put("AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString());
        // The same values under names kms-secrets does not know: printed by the command, they must be masked.
        env.put("COPIES", String.join(" ", CLIENT_SECRET, CERT_PASSWORD, IDENTITY_HEADER, MSI_SECRET));
        return env;
    }

    void writeManifest(String authSettings) throws Exception {
        Files.writeString(dir.resolve("kms-secrets.yaml"), """
                stores:
                  - id: akv
                    type: azure-key-vault
                    vaultUrl: %s
                %s
                secrets:
                  - env: DB_PASSWORD
                    ref: akv:db-password
                """.formatted(fake.vaultUrl(), authSettings.indent(4).stripTrailing()));
    }

    static final List<String> AUTH_MODES = List.of(
            "auth: default",
            "auth: clientSecret\ntenantId: t-1\nclientId: c-1",
            "auth: clientCertificate\ntenantId: t-1\nclientId: c-1\nclientCertificatePath: sp.pfx\n"
                    + "clientCertificatePasswordEnv: AZURE_CLIENT_CERTIFICATE_PASSWORD",
            "auth: managedIdentity",
            "auth: workloadIdentity",
            "auth: azureCli");

    CliRun runWith(Map<String, String> env, String... args) {
        return CliRun.run(dir, env, Clock.fixed(NOW, ZoneOffset.UTC),
                StoreTypes.of(new AzureKeyVaultStoreProvider(fake.transport())), "", args);
    }

    @Test
    void execKeepsAzureCredentialsFromTheCommandAndMasksThemInEveryAuthMode() throws Exception {
        for (String auth : AUTH_MODES) {
            writeManifest(auth);
            Map<String, String> env = credentialEnvironment();
            CliRun run = runWith(env, "exec", "--", "sh", "-c",
                    "env | sort; echo \"copies: $COPIES\"; cat " + env.get("AZURE_FEDERATED_TOKEN_FILE"));
            assertThat(run.exitCode).as(auth + "\n" + run).isZero();
            assertThat(run.stdout).as(auth).doesNotContain("AZURE_CLIENT_SECRET=").doesNotContain("IDENTITY_HEADER=")
                    .doesNotContain("MSI_SECRET=").doesNotContain("AZURE_CLIENT_CERTIFICATE_PASSWORD=")
                    .doesNotContain("AZURE_FEDERATED_TOKEN_FILE=").contains("DB_PASSWORD=****")
                    .contains("copies: **** **** **** ****").contains("IDENTITY_ENDPOINT=");
            assertThat(run.err).as(auth).contains("not passed to the command").contains("IDENTITY_HEADER")
                    .contains("AZURE_FEDERATED_TOKEN_FILE");
            assertNoCredentialIn(run.all(), auth);
        }
    }

    @Test
    void keepStoreCredentialsPassesThemMasked() throws Exception {
        for (String auth : AUTH_MODES) {
            writeManifest(auth);
            CliRun run = runWith(credentialEnvironment(), "exec", "--keep-store-credentials", "--", "sh", "-c",
                    "env | sort; cat \"$AZURE_FEDERATED_TOKEN_FILE\"");
            assertThat(run.exitCode).as(auth + "\n" + run).isZero();
            assertThat(run.stdout).as(auth).contains("AZURE_CLIENT_SECRET=****").contains("IDENTITY_HEADER=****")
                    .contains("MSI_SECRET=****").contains("AZURE_CLIENT_CERTIFICATE_PASSWORD=****")
                    .contains("AZURE_FEDERATED_TOKEN_FILE=" + dir.resolve("azure-identity-token"));
            assertThat(run.err).doesNotContain("not passed to the command");
            assertNoCredentialIn(run.all(), auth);
        }
    }

    @Test
    void maskMasksAzureCredentialsInEveryAuthMode() throws Exception {
        for (String auth : AUTH_MODES) {
            writeManifest(auth);
            String input = String.join("\n", CLIENT_SECRET, CERT_PASSWORD, IDENTITY_HEADER, MSI_SECRET,
                    FEDERATED_TOKEN, PASSWORD) + "\n";
            CliRun run = CliRun.run(dir, credentialEnvironment(), Clock.fixed(NOW, ZoneOffset.UTC),
                    StoreTypes.of(new AzureKeyVaultStoreProvider(fake.transport())), input, "mask");
            assertThat(run.exitCode).as(auth + "\n" + run).isZero();
            assertThat(run.stdout).as(auth).isEqualTo("****\n****\n****\n****\n****\n****\n");
        }
    }

    void assertNoCredentialIn(String output, String auth) {
        assertThat(output).as(auth).doesNotContain(CLIENT_SECRET).doesNotContain(CERT_PASSWORD)
                .doesNotContain(IDENTITY_HEADER).doesNotContain(MSI_SECRET).doesNotContain(FEDERATED_TOKEN)
                .doesNotContain(PASSWORD);
    }

    @Test
    void verboseReportsTheRequestsOfTheRun() {
        CliRun run = run("exec", "--verbose", "--", "true");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.err).contains("kms-secrets: store 'akv': 3 request(s) (challenge 1, vault 2, token 1)");
        assertThat(fake.count(FakeKeyVaultServer.Operation.CHALLENGE)).isEqualTo(1);
    }

    @Test
    void signInFailureExitsWithThreeNamingEverySecretAndTheCode() {
        KeyVaultTransport refused = new KeyVaultTransport() {
            private final KeyVaultTransport base = fake.transport();

            @Override
            public java.net.http.HttpClient.Builder httpClientBuilder() {
                return base.httpClientBuilder();
            }

            @Override
            public TokenCredential credential(String storeId, AzureKeyVaultSettings settings, StoreContext context,
                    HttpClient httpClient) {
                return request -> Mono.error(new ClientAuthenticationException("AADSTS7000215: Invalid client "
                        + "secret provided " + CLIENT_SECRET, null));
            }

            @Override
            public boolean verifyChallengeResource() {
                return false;
            }
        };
        CliRun run = CliRun.run(dir, Map.of("PATH", System.getenv("PATH")), Clock.fixed(NOW, ZoneOffset.UTC),
                StoreTypes.of(new AzureKeyVaultStoreProvider(refused)), "", "exec", "--verbose", "--", "true");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.STORE);
        assertThat(run.err).contains("'db-password'").contains("'api").contains("could not get a token")
                .contains("store 'akv': 1 request(s) (challenge 1, token 1)");
        assertThat(run.all()).doesNotContain(CLIENT_SECRET).doesNotContain(PASSWORD);
        assertThat(fake.valueReads()).isZero();
    }

    @Test
    void wrongClientSecretExitsWithThreeNamingTheAuthoritysCodeAndNotTheSecret() throws Exception {
        try (FakeEntraAuthority authority = FakeEntraAuthority.start()
                .clientSecret(FakeKeyVaultServer.TENANT, "app-1", CLIENT_SECRET)) {
            writeManifest("auth: clientSecret\ntenantId: " + FakeKeyVaultServer.TENANT + "\nclientId: app-1\n"
                    + "authorityHost: " + authority.authorityHost() + "\nclientSecretEnv: KV_SP_SECRET");
            Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "KV_SP_SECRET", "wrong-secret-1f7e");
            CliRun run = CliRun.run(dir, env, Clock.fixed(NOW, ZoneOffset.UTC),
                    StoreTypes.of(new AzureKeyVaultStoreProvider(AzureIdentityTestTransport.create())), "",
                    "exec", "--verbose", "--", "true");
            assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.STORE);
            assertThat(run.err).contains("error: store 'akv'").contains("'db-password'")
                    .contains("sign-in (auth 'clientSecret', client id 'app-1') was refused by "
                            + authority.authorityHost() + FakeKeyVaultServer.TENANT + "/oauth2/v2.0/token")
                    .contains("AADSTS7000215").contains("the client secret is wrong or expired")
                    .contains("kms-secrets: store 'akv': 1 request(s) (token 1, identity 1)");
            assertThat(run.all()).doesNotContain("wrong-secret-1f7e").doesNotContain(CLIENT_SECRET)
                    .doesNotContain(PASSWORD);
            assertThat(authority.tokenRequests()).isEqualTo(1);
            assertThat(fake.valueReads()).isZero();
        }
    }

    @Test
    void clientSecretSignInFetchesWithOneTokenRequest() throws Exception {
        try (FakeEntraAuthority authority = FakeEntraAuthority.start()
                .clientSecret(FakeKeyVaultServer.TENANT, "app-1", CLIENT_SECRET)) {
            writeManifest("auth: clientSecret\ntenantId: " + FakeKeyVaultServer.TENANT + "\nclientId: app-1\n"
                    + "authorityHost: " + authority.authorityHost());
            Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "AZURE_CLIENT_SECRET", CLIENT_SECRET);
            CliRun run = CliRun.run(dir, env, Clock.fixed(NOW, ZoneOffset.UTC),
                    StoreTypes.of(new AzureKeyVaultStoreProvider(AzureIdentityTestTransport.create())), "",
                    "exec", "--verbose", "--", "sh", "-c", "echo \"[$DB_PASSWORD] [$AZURE_CLIENT_SECRET]\"");
            assertThat(run.exitCode).as(run.toString()).isZero();
            assertThat(run.stdout).isEqualTo("[****] []\n");
            // tenantId is set: the bearer challenge is answered without asking the vault.
            assertThat(run.err).contains("store 'akv': 2 request(s) (vault 1, token 1, identity 1)");
            assertThat(run.all()).doesNotContain(CLIENT_SECRET).doesNotContain(PASSWORD);
            assertThat(authority.tokenRequests()).isEqualTo(1);
            assertThat(authority.otherRequests()).isEmpty();
        }
    }

    @Test
    void execInjectsValuesFromKeyVaultAndMasksThem() {
        CliRun run = run("exec", "--", "sh", "-c", "echo \"pw=$DB_PASSWORD tok=$API_TOKEN\"");
        assertThat(run.exitCode).as(run.toString()).isZero();
        assertThat(run.stdout).contains("pw=****").contains("tok=****");
        assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(TOKEN_FIELD);
        assertThat(fake.valueReads()).isEqualTo(2);
    }
}
