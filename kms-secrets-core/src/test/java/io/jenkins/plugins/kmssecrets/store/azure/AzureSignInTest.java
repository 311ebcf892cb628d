package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SignInFailedException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.RequestLog;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeEntraAuthority;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.SilentServer;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in with the real azure-identity credentials (and {@code az}) against a local Entra token endpoint and the
 * local vault: the credential of each mode asks only its own endpoint, never the public authority, and a failed
 * sign-in says so with the authority's code, within the time allowed.
 */
class AzureSignInTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String TENANT = FakeKeyVaultServer.TENANT;
    private static final String CLIENT = "11111111-2222-3333-4444-555555555555";
    private static final String CLIENT_SECRET = "sp-secret-value-Q9x7";
    private static final String VALUE = "akv-value-7f3c";
    private static final String FEDERATED_TOKEN = "eyJhbGciOiJSUzI1NiJ9.federated-sa-token.sig-2b81";

    @TempDir
    Path dir;

    private FakeKeyVaultServer vault;
    private FakeEntraAuthority authority;
    private final List<URI> proxied = new CopyOnWriteArrayList<>();
    private ProxySelector previousDefault;

    /** Records every URI a client connects to; anything not on the loopback is sent to a closed port. */
    private final ProxySelector recording = new ProxySelector() {
        @Override
        public List<Proxy> select(URI uri) {
            proxied.add(uri);
            if ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost())) {
                return List.of(Proxy.NO_PROXY);
            }
            return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", 1)));
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        }
    };

    @BeforeEach
    void start() {
        vault = FakeKeyVaultServer.start();
        vault.put("db-password", VALUE, T0);
        authority = FakeEntraAuthority.start().clientSecret(TENANT, CLIENT, CLIENT_SECRET);
        // Whatever does not use the store's HTTP client (URLConnection, for example) is caught here.
        previousDefault = ProxySelector.getDefault();
        ProxySelector.setDefault(recording);
    }

    @AfterEach
    void stop() {
        ProxySelector.setDefault(previousDefault);
        vault.close();
        authority.close();
    }

    private AzureIdentityTransport transport() {
        return new AzureIdentityTransport(() -> java.net.http.HttpClient.newBuilder()
                .sslContext(TestCertificate.get().clientContext()).proxy(recording), false);
    }

    private SecretStore store(Map<String, Object> settings, Map<String, String> env) {
        Map<String, Object> all = new HashMap<>(Map.of("authorityHost", authority.authorityHost().toString(),
                "tenantId", TENANT, "clientId", CLIENT, "maxRetries", 0));
        all.putAll(settings);
        StoreContext context = new StoreContext(env, dir, Clock.systemUTC());
        return new AzureKeyVaultStoreProvider(transport()).create(vault.definition("akv", all), context);
    }

    private static String fetch(SecretStore store) {
        try (SecretValue value = store.fetch(SecretReference.of("akv", "db-password"))) {
            return value.asString();
        }
    }

    private void assertNothingLeftTheLoopback() {
        assertThat(proxied).as("URIs the JVM tried to reach").isNotEmpty()
                .allSatisfy(uri -> assertThat(uri.getHost()).isEqualTo("127.0.0.1"));
        assertThat(authority.otherRequests()).as("instance discovery or metadata requests").isEmpty();
    }

    @Test
    void clientSecretSignInAsksOnlyTheConfiguredAuthorityForOneToken() {
        try (SecretStore store = store(Map.of("auth", "clientSecret"), Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
            assertThat(fetch(store)).isEqualTo(VALUE);
            assertThat(authority.tokenRequests()).isEqualTo(1);
            // The tenant is configured: the bearer challenge is answered without asking the vault.
            assertThat(store.requestCounts()).containsEntry("challenge", 0L).containsEntry("vault", 2L)
                    .containsEntry("token", 1L).containsEntry("identity", 1L);
            assertThat(vault.count(FakeKeyVaultServer.Operation.CHALLENGE)).isZero();
        }
        assertNothingLeftTheLoopback();
    }

    @Test
    void tokenRequestsToTheAuthorityNameTheCallerThatNeededTheTokenAndCarryNoSecret() {
        AuditContext caller = AuditContext.of(AuditContext.Tool.CLI, "alice@build-host");
        try (SecretStore store = store(Map.of("auth", "clientSecret"), Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET))) {
            assertThat(caller.call(() -> fetch(store))).isEqualTo(VALUE);
        }
        List<RequestLog.Request> tokens = authority.requests().all();
        assertThat(tokens).isNotEmpty().allSatisfy(r -> {
            assertThat(r.header("User-Agent")).startsWith(caller.userAgent() + " azsdk-java-azure-identity/");
            r.headers().values().forEach(values -> assertThat(values).noneMatch(v -> v.contains(CLIENT_SECRET)));
        });
    }

    @Test
    void wrongClientSecretIsASignInFailureNamingModeClientAndCode() {
        try (SecretStore store = store(Map.of("auth", "clientSecret", "clientSecretEnv", "KV_SP_SECRET"),
                Map.of("KV_SP_SECRET", "not-the-secret-8c1d"))) {
            SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
            assertThat(e).hasMessageContaining("store 'akv'").hasMessageContaining("secret 'db-password'")
                    .hasMessageContaining("auth 'clientSecret'").hasMessageContaining("client id '" + CLIENT + "'")
                    .hasMessageContaining("AADSTS7000215").hasMessageContaining("HTTP 401")
                    .hasMessageContaining(authority.authorityHost() + TENANT + "/oauth2/v2.0/token")
                    .hasMessageNotContaining("not-the-secret-8c1d").hasNoCause();
            assertThat(e.isRetryable()).isFalse();
            assertThat(authority.tokenRequests()).as("a refused sign-in is not retried").isEqualTo(1);
            assertThat(vault.valueReads()).isZero();
        }
        assertNothingLeftTheLoopback();
    }

    @Test
    void unknownTenantIsASignInFailureWithTheAuthoritysCode() {
        vault.challengeTenant("no-such-tenant");
        try (SecretStore store = store(Map.of("auth", "clientSecret", "tenantId", "no-such-tenant"),
                Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET))) {
            SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
            assertThat(e).hasMessageContaining("AADSTS90002").hasMessageContaining("tenant does not exist");
        }
    }

    @Test
    void vaultOfAnotherTenantIsASignInFailureNamingBothWithoutAskingTheAuthorityForTheVaultsTenant() {
        vault.challengeTenant("99999999-0000-0000-0000-000000000000");
        try (SecretStore store = store(Map.of("auth", "clientSecret"), Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET))) {
            SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
            assertThat(e).hasMessageContaining("tenant '99999999-0000-0000-0000-000000000000'")
                    .hasMessageContaining("set 'tenantId'");
        }
        // One token for the configured tenant (the challenge is answered locally); the vault refuses it with its own
        // challenge, the call is sent once more so that the SDK follows that challenge, and the credential refuses
        // the vault's tenant without asking the authority.
        assertThat(authority.tokenRequests()).isEqualTo(1);
        assertThat(vault.count(FakeKeyVaultServer.Operation.CHALLENGE)).isEqualTo(2);
        assertThat(vault.valueReads()).isZero();
    }

    @Test
    void silentAuthorityFailsWithinTheSignInTimeoutNamingTheEndpoint() {
        try (SilentServer silent = SilentServer.start();
             SecretStore store = store(Map.of("auth", "clientSecret", "signInTimeout", "1s",
                     "authorityHost", silent.httpsUrl().toString()), Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET))) {
            SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
            assertThat(e).hasMessageContaining("got no token from " + silent.httpsUrl() + TENANT)
                    .hasMessageContaining("within 1s").hasMessageContaining("signInTimeout");
            assertThat(silent.connections()).isEqualTo(1);
        }
    }

    @Test
    void unreachableAuthorityIsASignInFailureNamingTheEndpoint() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "https://127.0.0.1:" + closedPort + "/";
        try (SecretStore store = store(Map.of("auth", "clientSecret", "authorityHost", unreachable),
                Map.of("AZURE_CLIENT_SECRET", CLIENT_SECRET))) {
            SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
            assertThat(e).hasMessageContaining(unreachable + TENANT + "/oauth2/v2.0/token")
                    .hasMessageContaining("connection refused");
        }
    }

    @Test
    void workloadIdentityExchangesTheFederatedTokenFileAtTheConfiguredAuthority() throws IOException {
        authority.federated(TENANT, "wi-client", FEDERATED_TOKEN);
        Path tokenFile = Files.writeString(dir.resolve("azure-identity-token"), FEDERATED_TOKEN);
        Map<String, Object> settings = new HashMap<>(Map.of("auth", "workloadIdentity"));
        try (SecretStore store = storeWithout(settings, Map.of("AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString(),
                "AZURE_CLIENT_ID", "wi-client", "AZURE_TENANT_ID", TENANT))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
        }
        assertThat(authority.tokenRequests()).isEqualTo(1);
        assertThat(authority.assertionTypes())
                .containsExactly("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        assertNothingLeftTheLoopback();
    }

    @Test
    void workloadIdentityWithAnUnmatchedTokenNamesTheCode() throws IOException {
        authority.federated(TENANT, "wi-client", "another-token");
        Path tokenFile = Files.writeString(dir.resolve("azure-identity-token"), FEDERATED_TOKEN);
        try (SecretStore store = storeWithout(Map.of("auth", "workloadIdentity", "clientId", "wi-client"),
                Map.of("AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString(), "AZURE_TENANT_ID", TENANT))) {
            SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
            assertThat(e).hasMessageContaining("auth 'workloadIdentity'").hasMessageContaining("wi-client")
                    .hasMessageContaining("AADSTS700213").hasMessageNotContaining(FEDERATED_TOKEN);
        }
    }

    @Test
    void workloadIdentityWithoutTheTokenFileIsAConfigurationError() {
        MisconfiguredException e = catchThrowableOfType(MisconfiguredException.class,
                () -> storeWithout(Map.of("auth", "workloadIdentity"), Map.of("AZURE_CLIENT_ID", "wi-client",
                        "AZURE_TENANT_ID", TENANT)));
        assertThat(e).hasMessageContaining("AZURE_FEDERATED_TOKEN_FILE");
    }

    /** A store whose tenant and client id come only from {@code settings} and the environment. */
    private SecretStore storeWithout(Map<String, Object> settings, Map<String, String> env) {
        Map<String, Object> all = new HashMap<>(Map.of("authorityHost", authority.authorityHost().toString(),
                "maxRetries", 0));
        all.putAll(settings);
        StoreContext context = new StoreContext(env, dir, Clock.systemUTC());
        return new AzureKeyVaultStoreProvider(transport()).create(vault.definition("akv", all), context);
    }

    // ---- az ---------------------------------------------------------------------------------------------------

    /** A fake {@code az} on a PATH of its own: prints a token for the fake vault and records its arguments. */
    private Map<String, String> fakeAz(String body) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path az = bin.resolve("az");
        Files.writeString(az, "#!/bin/sh\necho \"$@\" >> \"" + dir.resolve("az-args") + "\"\n" + body + "\n");
        Files.setPosixFilePermissions(az, PosixFilePermissions.fromString("rwxr-xr-x"));
        return Map.of("PATH", bin + ":/usr/bin:/bin");
    }

    private static final String PRINT_TOKEN = "cat <<'EOF'\n{\n  \"accessToken\": \"" + FakeKeyVaultServer.TOKEN
            + "\",\n  \"expiresOn\": \"2099-01-01 00:00:00.000000\",\n  \"expires_on\": 4070908800,\n"
            + "  \"subscription\": \"sub\",\n  \"tenant\": \"" + TENANT + "\",\n  \"tokenType\": \"Bearer\"\n}\nEOF";

    @Test
    void azureCliRunsAzAccountGetAccessTokenForTheVault() throws IOException {
        try (SecretStore store = storeWithout(Map.of("auth", "azureCli", "tenantId", TENANT), fakeAz(PRINT_TOKEN))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
            assertThat(fetch(store)).isEqualTo(VALUE);
        }
        assertThat(Files.readAllLines(dir.resolve("az-args"))).containsExactly(
                "account get-access-token --output json --resource https://vault.azure.net --tenant " + TENANT);
        assertThat(authority.tokenRequests()).isZero();
        assertThat(vault.count(FakeKeyVaultServer.Operation.CHALLENGE)).isZero();
    }

    @Test
    void azureCliNotSignedInSaysRunAzLogin() throws IOException {
        try (SecretStore store = storeWithout(Map.of("auth", "azureCli"), fakeAz(
                "echo \"ERROR: Please run 'az login' to setup account.\" >&2; exit 1"))) {
            SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
            assertThat(e).hasMessageContaining("auth 'azureCli'").hasMessageContaining("run 'az login'");
        }
    }

    @Test
    void azureCliRefusalNamesTheAadstsCodeButNotItsOutput() throws IOException {
        try (SecretStore store = storeWithout(Map.of("auth", "azureCli"), fakeAz(
                "echo \"ERROR: AADSTS70043: The refresh token has expired. secret-ish-detail\" >&2; exit 1"))) {
            SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
            assertThat(e).hasMessageContaining("AADSTS70043").hasMessageNotContaining("secret-ish-detail");
        }
    }

    @Test
    void azureCliMissingFromPathIsNamed() {
        try (SecretStore store = storeWithout(Map.of("auth", "azureCli"), Map.of("PATH", dir.toString()))) {
            SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
            assertThat(e).hasMessageContaining("'az'").hasMessageContaining("PATH");
        }
    }

    @Test
    void azureCliThatHangsIsStoppedAfterTheSignInTimeout() throws IOException {
        try (SecretStore store = storeWithout(Map.of("auth", "azureCli", "signInTimeout", "1s"),
                fakeAz("sleep 30"))) {
            SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
            assertThat(e).hasMessageContaining("within").hasMessageContaining("signInTimeout");
        }
    }
}
