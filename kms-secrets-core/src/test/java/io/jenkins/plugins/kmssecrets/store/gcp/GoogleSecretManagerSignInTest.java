package io.jenkins.plugins.kmssecrets.store.gcp;

import static io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager.ACCESS_SECRET_VERSION;
import static io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.ConcurrentCalls;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SignInFailedException;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import io.jenkins.plugins.kmssecrets.testing.gsm.SilentEndpoint;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signing in with a real service-account key through Google's credentials library: the fake answers the key's token
 * endpoint, rejects it as Google does, or the token endpoint is absent or silent. Every failure is a
 * {@link SignInFailedException} naming the token endpoint and the OAuth error, and never the key or a value.
 */
class GoogleSecretManagerSignInTest {

    private static final String VALUE = "gsm-signin-value-5e1f";
    private static final String ACCOUNT = "ci@ci-project.iam.gserviceaccount.com";

    private FakeSecretManager fake;
    private final List<GoogleSecretManagerStore> stores = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = FakeSecretManager.start("proj-1");
        fake.requireBearer("fake-access-token");
        for (int i = 0; i < 10; i++) {
            fake.secret("s" + i, Map.of());
            fake.addVersion("s" + i, VALUE + i);
        }
    }

    @AfterEach
    void stop() {
        stores.forEach(GoogleSecretManagerStore::close);
        fake.close();
    }

    private GoogleSecretManagerStore store(String key, Duration timeout) {
        GoogleSecretManagerStore store = GoogleSecretManagerStore.builder("gsm", "proj-1").endpoint(fake.endpoint())
                .credentials(GoogleSecretManagerStoreProvider.fromEnvironment("gsm", "GSM_KEY", key))
                .retryDelay(Duration.ofMillis(1)).maxAttempts(3).timeout(timeout).build();
        stores.add(store);
        return store;
    }

    private GoogleSecretManagerStore store(String key) {
        return store(key, Duration.ofSeconds(5));
    }

    private static SecretReference ref(String text) {
        return SecretReference.parse(text);
    }

    /**
     * Fetches s0..s9 as a run does, at most {@code parallelism} at a time, and returns the failures in reference
     * order (values received are closed at once).
     */
    private static List<SecretStoreException> fetchTen(GoogleSecretManagerStore store, int parallelism) {
        List<SecretReference> refs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            refs.add(ref("gsm:s" + i));
        }
        List<SecretStoreException> outcomes = ConcurrentCalls.map(refs, parallelism, ref -> {
            try (SecretValue value = store.fetch(ref)) {
                return null;
            } catch (SecretStoreException e) {
                return e;
            }
        });
        return outcomes.stream().filter(java.util.Objects::nonNull).toList();
    }

    @Test
    void signsInOnceForManySecrets() {
        GoogleSecretManagerStore store = store(FakeSecretManager.serviceAccountKey(fake.tokenUri()));

        assertThat(fetchTen(store, 8)).isEmpty();

        assertThat(fake.calls(TOKEN)).isEqualTo(1);
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isEqualTo(10);
        assertThat(store.requestCounts()).containsExactly(Map.entry("api", 10L), Map.entry("sign-in", 1L));
    }

    @Test
    void rejectedKeyIsASignInFailureNamingTheTokenEndpointAndTheOAuthError() {
        String key = FakeSecretManager.serviceAccountKey(fake.tokenUri());
        fake.rejectSignIn("invalid_grant", "Invalid JWT Signature.");

        assertThatThrownBy(() -> store(key).fetch(ref("gsm:s0")))
                .isInstanceOf(SignInFailedException.class)
                .hasMessage("store 'gsm', secret 's0': the token endpoint " + fake.tokenUri() + " rejected the sign-in"
                        + " of " + ACCOUNT + ": HTTP 400, invalid_grant (Invalid JWT Signature.); the key is wrong, "
                        + "revoked or deleted, or the account does not exist or is disabled")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("PRIVATE KEY").doesNotContain(VALUE));
        assertThat(fake.calls(TOKEN)).isEqualTo(1);
        assertThat(fake.apiCalls()).isZero();
    }

    @Test
    void unknownAccountIsASignInFailureWithGooglesDescription() {
        String key = FakeSecretManager.serviceAccountKey(fake.tokenUri());
        fake.rejectSignIn("invalid_grant", "Invalid grant: account not found");

        assertThatThrownBy(() -> store(key).fetch(ref("gsm:s0")))
                .isInstanceOf(SignInFailedException.class)
                .hasMessageContaining("invalid_grant (Invalid grant: account not found)");
    }

    @Test
    void rejectedSignInCostsOneTokenRequestForTenSecrets() {
        String key = FakeSecretManager.serviceAccountKey(fake.tokenUri());
        fake.rejectSignIn("invalid_grant", "Invalid JWT Signature.");

        List<SecretStoreException> failures = fetchTen(store(key), 1);

        assertThat(failures).hasSize(10).allSatisfy(e -> assertThat(e).isInstanceOf(SignInFailedException.class)
                .hasMessageContaining("invalid_grant"));
        assertThat(failures).extracting(SecretStoreException::secretName)
                .containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
        assertThat(failures).extracting(SecretStoreException::detail).containsOnly(failures.get(0).detail());
        assertThat(fake.calls(TOKEN)).isEqualTo(1);
        assertThat(fake.apiCalls()).isZero();
    }

    @Test
    void rejectedSignInCostsOneTokenRequestForConcurrentCalls() {
        String key = FakeSecretManager.serviceAccountKey(fake.tokenUri());
        fake.rejectSignIn("invalid_grant", "Invalid JWT Signature.");

        List<SecretStoreException> failures = fetchTen(store(key), 8);

        assertThat(failures).hasSize(10).allSatisfy(e -> assertThat(e).isInstanceOf(SignInFailedException.class));
        assertThat(failures).extracting(SecretStoreException::detail).containsOnly(failures.get(0).detail());
        assertThat(fake.calls(TOKEN)).isEqualTo(1);
    }

    @Test
    void unreachableTokenEndpointIsASignInFailureNamingIt() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String tokenUri = "http://127.0.0.1:" + closed + "/token";

        assertThatThrownBy(() -> store(FakeSecretManager.serviceAccountKey(tokenUri)).fetch(ref("gsm:s0")))
                .isInstanceOf(SignInFailedException.class)
                .hasMessage("store 'gsm', secret 's0': cannot reach the token endpoint " + tokenUri
                        + ": connection refused");
        assertThat(fake.apiCalls()).isZero();
    }

    @Test
    void silentTokenEndpointIsASignInFailureAfterTheTimeoutOnce() throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            GoogleSecretManagerStore store = store(FakeSecretManager.serviceAccountKey(silent.url() + "/token"),
                    Duration.ofMillis(300));

            List<SecretStoreException> failures = fetchTen(store, 8);

            assertThat(failures).hasSize(10).allSatisfy(e -> assertThat(e)
                    .isInstanceOf(SignInFailedException.class)
                    .hasMessageEndingWith(": the token endpoint " + silent.url() + "/token did not answer within "
                            + "300 ms (setting 'timeout')"));
            assertThat(failures).extracting(SecretStoreException::secretName).doesNotHaveDuplicates().hasSize(10);
            // one sign-in in flight for the whole store: concurrent calls wait for the same token request
            assertThat(silent.connections()).isEqualTo(1);
            assertThat(fake.apiCalls()).isZero();
        }
    }

    @Test
    void apiRefusingTheTokenIsReauthenticatedOnceThenASignInFailure() {
        fake.requireBearer("a-token-the-fake-never-issues");
        GoogleSecretManagerStore store = store(FakeSecretManager.serviceAccountKey(fake.tokenUri()));

        assertThatThrownBy(() -> store.fetch(ref("gsm:s0")))
                .isInstanceOf(SignInFailedException.class)
                .hasMessage("store 'gsm', secret 's0': AccessSecretVersion was refused with UNAUTHENTICATED "
                        + "(HTTP 401) by " + fake.endpoint() + " after one re-authentication; the access token from "
                        + "the token endpoint " + fake.tokenUri() + " is not accepted: check credentialsFile, "
                        + "credentialsJsonEnv or Application Default Credentials");
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isEqualTo(2);
        assertThat(fake.calls(TOKEN)).isEqualTo(2);
    }

    @Test
    void apiRefusingTheTokenCostsOneReauthenticationForTenSecrets() {
        fake.requireBearer("a-token-the-fake-never-issues");
        GoogleSecretManagerStore store = store(FakeSecretManager.serviceAccountKey(fake.tokenUri()));

        List<SecretStoreException> sequential = fetchTen(store, 1);

        assertThat(sequential).hasSize(10).allSatisfy(e -> assertThat(e).isInstanceOf(SignInFailedException.class));
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isEqualTo(2);
        assertThat(fake.calls(TOKEN)).isEqualTo(2);
        assertThat(store.requestCounts()).containsExactly(Map.entry("api", 2L), Map.entry("sign-in", 2L));
    }

    @Test
    void apiRefusingTheTokenToConcurrentCallsCostsOneReauthentication() {
        fake.requireBearer("a-token-the-fake-never-issues");
        GoogleSecretManagerStore store = store(FakeSecretManager.serviceAccountKey(fake.tokenUri()));

        List<SecretStoreException> failures = fetchTen(store, 8);

        assertThat(failures).hasSize(10).allSatisfy(e -> assertThat(e).isInstanceOf(SignInFailedException.class));
        assertThat(fake.calls(TOKEN)).isEqualTo(2);
        // at most the first wave of eight calls, each sent at most twice (before and after the one re-authentication)
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isBetween(2, 16);
    }

    @Test
    void nothingLogsTheKeyTheTokenOrAValueEvenAtTheFinestLevel() throws Exception {
        String key = FakeSecretManager.serviceAccountKey(fake.tokenUri());
        String keyLine = new com.fasterxml.jackson.databind.ObjectMapper().readTree(key).path("private_key").asText()
                .replace("-----BEGIN PRIVATE KEY-----", "").replace("\n", "").substring(100, 164);
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        java.util.logging.Level level = root.getLevel();
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record.getLoggerName() + " " + new java.util.logging.SimpleFormatter().format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(java.util.logging.Level.ALL);
        root.addHandler(capture);
        root.setLevel(java.util.logging.Level.ALL);
        java.util.Map<String, java.util.logging.Level> before = new java.util.HashMap<>();
        for (String name : List.of("com.google", "com.google.api.client.http.HttpTransport")) {
            before.put(name, java.util.logging.Logger.getLogger(name).getLevel());
            java.util.logging.Logger.getLogger(name).setLevel(java.util.logging.Level.ALL);
        }
        try {
            GoogleSecretManagerStore store = store(key);
            try (SecretValue value = store.fetch(ref("gsm:s1"))) {
                assertThat(value.asString()).isEqualTo(VALUE + 1);
            }
            fake.requireBearer("a-token-the-fake-never-issues");
            assertThatThrownBy(() -> store(key).fetch(ref("gsm:s2"))).isInstanceOf(SignInFailedException.class);
            fake.rejectSignIn("invalid_grant", "Invalid JWT Signature.");
            assertThatThrownBy(() -> store(key).fetch(ref("gsm:s3"))).isInstanceOf(SignInFailedException.class);
        } finally {
            root.removeHandler(capture);
            root.setLevel(level);
            before.forEach((name, old) -> java.util.logging.Logger.getLogger(name).setLevel(old));
        }
        assertThat(String.join("\n", logged)).doesNotContain(VALUE).doesNotContain(keyLine)
                .doesNotContain("fake-access-token").doesNotContain("PRIVATE KEY");
    }

    @Test
    void workingKeySignsInAndSendsItsToken() {
        String key = FakeSecretManager.serviceAccountKey(fake.tokenUri());
        GoogleSecretManagerStore store = store(key);

        try (SecretValue value = store.fetch(ref("gsm:s3"))) {
            assertThat(value.asString()).isEqualTo(VALUE + 3);
        }
        assertThat(fake.authorizations()).containsOnly("Bearer fake-access-token");
    }
}
