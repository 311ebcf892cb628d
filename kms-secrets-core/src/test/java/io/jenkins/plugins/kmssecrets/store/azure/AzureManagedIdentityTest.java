package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SignInFailedException;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeManagedIdentityEndpoint;
import io.jenkins.plugins.kmssecrets.testing.akv.SilentServer;
import io.jenkins.plugins.kmssecrets.testing.akv.TestCertificate;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code auth: managedIdentity} with the real identity library against a local App Service identity endpoint.
 *
 * <p>The identity library (MSAL) reads the managed-identity variables from the process environment, which a test
 * cannot set; it has a hook for exactly that, which this test points at the test's variables for its duration. The
 * instance metadata service is never involved: {@code IDENTITY_ENDPOINT} is always set.
 */
class AzureManagedIdentityTest {

    private static final String HEADER = "identity-header-61c9";
    private static final String VALUE = "akv-value-mi-0d4e";

    private FakeKeyVaultServer vault;
    private FakeManagedIdentityEndpoint endpoint;
    private Object previousEnvironment;
    private boolean replaced;

    @BeforeEach
    void start() {
        vault = FakeKeyVaultServer.start();
        vault.put("db-password", VALUE, Instant.parse("2026-01-01T00:00:00Z"));
        endpoint = FakeManagedIdentityEndpoint.start(HEADER).userAssigned("ua-known");
    }

    @AfterEach
    void stop() throws Exception {
        if (replaced) {
            msalEnvironment(previousEnvironment);
        }
        vault.close();
        endpoint.close();
    }

    /** Points MSAL's managed-identity environment at {@code env} (or back at the original object). */
    private void useEnvironment(Map<String, String> env) throws Exception {
        Class<?> app = Class.forName("com.microsoft.aad.msal4j.ManagedIdentityApplication");
        Field field = app.getDeclaredField("environmentVariables");
        field.setAccessible(true);
        previousEnvironment = field.get(null);
        replaced = true;
        Class<?> type = Class.forName("com.microsoft.aad.msal4j.IEnvironmentVariables");
        msalEnvironment(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> "getEnvironmentVariable".equals(method.getName())
                        ? env.get((String) args[0]) : null));
    }

    private static void msalEnvironment(Object environment) throws Exception {
        Class<?> app = Class.forName("com.microsoft.aad.msal4j.ManagedIdentityApplication");
        Class<?> type = Class.forName("com.microsoft.aad.msal4j.IEnvironmentVariables");
        Method set = app.getDeclaredMethod("setEnvironmentVariables", type);
        set.setAccessible(true);
        set.invoke(null, environment);
    }

    private SecretStore store(Map<String, Object> extra, Map<String, String> env) throws Exception {
        useEnvironment(env);
        Map<String, Object> settings = new HashMap<>(Map.of("auth", "managedIdentity", "maxRetries", 0));
        settings.putAll(extra);
        AzureIdentityTransport transport = new AzureIdentityTransport(() -> java.net.http.HttpClient.newBuilder()
                .sslContext(TestCertificate.get().clientContext()), false);
        return new AzureKeyVaultStoreProvider(transport).create(vault.definition("akv", settings),
                new StoreContext(env, Path.of("."), Clock.systemUTC()));
    }

    private static String fetch(SecretStore store) {
        try (SecretValue value = store.fetch(SecretReference.of("akv", "db-password"))) {
            return value.asString();
        }
    }

    @Test
    void unknownUserAssignedIdentityIsASignInFailureWithTheEndpointsStatus() throws Exception {
        try (SecretStore store = store(Map.of("clientId", "ua-unknown"), Map.of(
                "IDENTITY_ENDPOINT", endpoint.endpoint().toString(), "IDENTITY_HEADER", HEADER))) {
            SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
            assertThat(e).hasMessageContaining("auth 'managedIdentity'")
                    .hasMessageContaining("identity client id 'ua-unknown'")
                    .hasMessageContaining(endpoint.endpoint().toString()).hasMessageContaining("HTTP 400")
                    .hasMessageNotContaining(HEADER);
            assertThat(endpoint.requests()).isPositive();
            assertThat(vault.valueReads()).isZero();
        }
    }

    @Test
    void silentIdentityEndpointFailsWithinTheSignInTimeoutNamingIt() throws Exception {
        try (SilentServer silent = SilentServer.start()) {
            String url = "http://127.0.0.1:" + silent.httpsUrl().getPort() + "/msi/token";
            try (SecretStore store = store(Map.of("signInTimeout", "1s", "clientId", "ua-silent"), Map.of(
                    "IDENTITY_ENDPOINT", url, "IDENTITY_HEADER", HEADER))) {
                SignInFailedException e = catchThrowableOfType(SignInFailedException.class, () -> fetch(store));
                assertThat(e).hasMessageContaining("got no token from the App Service / Container Apps identity "
                        + "endpoint " + url).hasMessageContaining("within 1s");
            }
        }
    }

    @Test
    void userAssignedIdentityGetsItsToken() throws Exception {
        try (SecretStore store = store(Map.of("clientId", "ua-known"), Map.of(
                "IDENTITY_ENDPOINT", endpoint.endpoint().toString(), "IDENTITY_HEADER", HEADER))) {
            assertThat(fetch(store)).isEqualTo(VALUE);
            assertThat(store.requestCounts()).containsEntry("challenge", 1L).containsEntry("vault", 1L);
        }
    }
}
