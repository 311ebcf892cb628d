package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer.Operation;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeSecretVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Azure-specific behaviour beyond the contract suite: paging, retries, disabled secrets, list-only identities. */
class AzureKeyVaultStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private FakeKeyVaultServer fake;
    private SecretStore store;

    @BeforeEach
    void start() {
        fake = FakeKeyVaultServer.start();
        store = store(Map.of());
    }

    @AfterEach
    void stop() {
        store.close();
        fake.close();
    }

    private SecretStore store(Map<String, Object> extra) {
        StoreContext context = new StoreContext(Map.of(), Path.of("."), Clock.systemUTC());
        return new AzureKeyVaultStoreProvider(fake.transport()).create(fake.definition("akv", extra), context);
    }

    private static SecretReference ref(String name) {
        return SecretReference.of("akv", name);
    }

    @Test
    void firstCallAnswersTheBearerChallengeWithAToken() {
        fake.put("db-password", "value-1", T0);
        store.fetch(ref("db-password")).wipe();
        assertThat(fake.count(Operation.CHALLENGE)).isEqualTo(1);
        assertThat(fake.tokenRequests()).isEqualTo(1);
    }

    @Test
    void listFollowsNextLinkToTheLastPage() {
        fake.pageSize(2);
        for (int i = 0; i < 5; i++) {
            fake.put("s" + i, "v" + i, T0);
        }
        List<SecretMetadata> all = store.list();
        assertThat(all).extracting(SecretMetadata::name).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(fake.count(Operation.LIST_SECRETS)).isEqualTo(3);
    }

    @Test
    void listCarriesTagsContentTypeAndDates() {
        fake.put("api-user", FakeSecretVersion.of("a1", "pw", T0).withContentType("text/plain")
                .withTags(Map.of("jenkins-credentials-type", "usernamePassword",
                        "jenkins-credentials-username", "svc"))
                .expiringOn(T0.plus(Duration.ofDays(90))));
        SecretMetadata metadata = store.list().get(0);
        assertThat(metadata.tags()).containsEntry("jenkins-credentials-username", "svc");
        assertThat(metadata.contentType()).isEqualTo("text/plain");
        assertThat(metadata.created()).isEqualTo(T0);
        assertThat(metadata.expiresOn()).isEqualTo(T0.plus(Duration.ofDays(90)));
    }

    @Test
    void listShowsDisabledAndExpiredSecretsWithAReason() {
        fake.put("off", FakeSecretVersion.of("a1", "x", T0).disabled())
                .put("old", FakeSecretVersion.of("b1", "y", T0).expiringOn(T0.plusSeconds(60)));
        Map<String, String> reasons = new java.util.TreeMap<>();
        store.list().forEach(m -> reasons.put(m.name(), m.unusableReason(T0.plusSeconds(120))));
        assertThat(reasons).containsEntry("off", "disabled");
        assertThat(reasons.get("old")).startsWith("expired on");
    }

    @Test
    void tagFilterKeepsOnlyMatchingSecrets() {
        store = store(Map.of("tagFilter", Map.of("team", "netbox")));
        fake.put("mine", FakeSecretVersion.of("a1", "x", T0).withTags(Map.of("team", "netbox")))
                .put("theirs", FakeSecretVersion.of("b1", "y", T0).withTags(Map.of("team", "other")))
                .put("untagged", "z", T0);
        assertThat(store.list()).extracting(SecretMetadata::name).containsExactly("mine");
    }

    @Test
    void describeWorksForAnIdentityThatMayOnlyListSecrets() {
        fake.put("db-password", "old", T0).put("db-password", "new", T0.plusSeconds(60)).denyValueReads(true);
        SecretMetadata metadata = store.describe(ref("db-password"));
        assertThat(metadata.version()).isEqualTo(FakeKeyVaultServer.versionId("db-password", 1));
        assertThat(fake.valueReads()).isZero();
    }

    @Test
    void describeOfMissingVersionThrowsNotFound() {
        fake.put("db-password", "old", T0);
        SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                () -> store.describe(new SecretReference("akv", "db-password", "ffff", null)));
        assertThat(e).hasMessageContaining("version 'ffff'");
    }

    @Test
    void fetchByAListOnlyIdentityNamesTheGetPermission() {
        fake.put("db-password", "value-1", T0).denyValueReads(true);
        AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class,
                () -> store.fetch(ref("db-password")));
        assertThat(e).hasMessageContaining("secrets/get").hasMessageContaining("Key Vault Secrets User")
                .hasMessageContaining("store 'akv'").hasMessageContaining("secret 'db-password'");
    }

    @Test
    void listDeniedNamesTheListPermission() {
        fake.denyAll(true);
        AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, () -> store.list());
        assertThat(e).hasMessageContaining("secrets/list").hasMessageContaining("Key Vault Reader");
    }

    @Test
    void fetchOfDisabledSecretSaysItIsDisabled() {
        fake.put("off", FakeSecretVersion.of("a1", "disabled-value-3e", T0).disabled());
        AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, () -> store.fetch(ref("off")));
        assertThat(e).hasMessageContaining("disabled").hasNoCause();
        assertThat(e.getMessage()).doesNotContain("disabled-value-3e").doesNotContain("{");
    }

    @Test
    void fetchOfExpiredSecretReturnsTheValueAsKeyVaultDoes() {
        fake.put("old", FakeSecretVersion.of("a1", "still-here", T0).expiringOn(T0.plusSeconds(1)));
        try (SecretValue value = store.fetch(ref("old"))) {
            assertThat(value.asString()).isEqualTo("still-here");
        }
    }

    @Test
    void fetchOfPropertyFromNonJsonValueFailsWithoutEchoingIt() {
        fake.put("plain", "not-json-9a8b", T0);
        // One type (and exit code) for every property error: the value lacks what the reference asks for.
        SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                () -> store.fetch(new SecretReference("akv", "plain", null, "password")));
        assertThat(e).hasMessageContaining("not a JSON object").hasNoCause();
        assertThat(e.getMessage()).doesNotContain("not-json-9a8b");
    }

    @Test
    void fetchOfPropertyFromMalformedJsonFailsWithoutEchoingIt() {
        fake.put("broken", "{\"password\": \"leak-me-77\", ", T0);
        SecretNotFoundException e = catchThrowableOfType(SecretNotFoundException.class,
                () -> store.fetch(new SecretReference("akv", "broken", null, "password")));
        assertThat(e.getMessage()).doesNotContain("leak-me-77");
        assertThat(e).hasNoCause();
    }

    @Test
    void invalidSecretNameIsRejectedBeforeAnyCall() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> store.fetch(ref("../keys/master")));
        assertThat(e).hasMessageContaining("not a Key Vault secret name");
        assertThat(fake.count(Operation.GET_SECRET) + fake.count(Operation.OTHER)).isZero();
    }

    @Test
    void throttledCallIsRetriedAfterTheRetryAfterDelay() {
        fake.put("db-password", "value-1", T0).failNext(2, 429, "7");
        try (SecretValue value = store.fetch(ref("db-password"))) {
            assertThat(value.asString()).isEqualTo("value-1");
        }
        assertThat(fake.pauses()).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
        assertThat(fake.valueReads()).isEqualTo(3);
    }

    @Test
    void serverErrorWithoutRetryAfterBacksOffExponentially() {
        fake.put("db-password", "value-1", T0).failNext(2, 503, null);
        store.fetch(ref("db-password")).wipe();
        assertThat(fake.pauses()).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void retriesStopAfterMaxRetries() {
        store = store(Map.of("maxRetries", 2));
        fake.put("db-password", "value-1", T0).failNext(10, 503, "1");
        StoreUnavailableException e = catchThrowableOfType(StoreUnavailableException.class,
                () -> store.fetch(ref("db-password")));
        assertThat(e).hasMessageContaining("503").hasMessageContaining("3 attempt(s)");
        assertThat(fake.valueReads()).isEqualTo(3);
    }

    @Test
    void retriesStopWhenTheNextWaitWouldExceedMaxRetryWait() {
        store = store(Map.of("maxRetryWait", "10s"));
        fake.put("db-password", "value-1", T0).failNext(10, 429, "6");
        catchThrowableOfType(StoreUnavailableException.class, () -> store.fetch(ref("db-password")));
        assertThat(fake.pauses()).containsExactly(Duration.ofSeconds(6));
        assertThat(fake.valueReads()).isEqualTo(2);
    }

    @Test
    void forbiddenIsNotRetried() {
        fake.put("db-password", "value-1", T0).denyAll(true);
        catchThrowableOfType(AccessDeniedException.class, () -> store.fetch(ref("db-password")));
        assertThat(fake.valueReads()).isEqualTo(1);
        assertThat(fake.pauses()).isEmpty();
    }

    @Test
    void slowVaultFailsAsUnavailableAfterTheReadTimeout() {
        store = store(Map.of("readTimeout", "200ms", "maxRetries", 1));
        fake.put("db-password", "value-1", T0).delay(Duration.ofSeconds(3));
        StoreUnavailableException e = catchThrowableOfType(StoreUnavailableException.class,
                () -> store.fetch(ref("db-password")));
        assertThat(e).hasMessageContaining("2 attempt(s)").hasNoCause();
    }

    @Test
    void rejectedTokenIsAccessDeniedNamingTheTenant() {
        fake.put("db-password", "value-1", T0).rejectTokens(true);
        AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class,
                () -> store.fetch(ref("db-password")));
        assertThat(e).hasMessageContaining("rejected the token (401)").hasMessageContaining("tenantId").hasNoCause();
    }

    @Test
    void tokenFailureIsASignInFailureWithoutTheIdentityProvidersText() {
        KeyVaultTransport failing = new KeyVaultTransport() {
            private final KeyVaultTransport fakeTransport = fake.transport();

            @Override
            public java.net.http.HttpClient.Builder httpClientBuilder() {
                return fakeTransport.httpClientBuilder();
            }

            @Override
            public com.azure.core.credential.TokenCredential credential(String storeId,
                    AzureKeyVaultSettings settings, StoreContext context, com.azure.core.http.HttpClient http) {
                return request -> reactor.core.publisher.Mono.error(new com.azure.core.exception
                        .ClientAuthenticationException("AADSTS7000215: Invalid client secret provided: sp-xyz",
                        null));
            }

            @Override
            public boolean verifyChallengeResource() {
                return false;
            }
        };
        fake.put("db-password", "value-1", T0);
        StoreContext context = new StoreContext(Map.of(), Path.of("."), Clock.systemUTC());
        SecretStore failingStore = new AzureKeyVaultStoreProvider(failing).create(fake.definition("akv", Map.of()),
                context);
        io.jenkins.plugins.kmssecrets.store.SignInFailedException e = catchThrowableOfType(
                io.jenkins.plugins.kmssecrets.store.SignInFailedException.class,
                () -> failingStore.fetch(ref("db-password")));
        assertThat(e).hasMessageContaining("could not get a token").hasMessageContaining("auth 'default'")
                .hasNoCause();
        assertThat(e.getMessage()).doesNotContain("sp-xyz");
        assertThat(fake.valueReads()).isZero();
    }

    @Test
    void refusedConnectionFailsAsUnavailable() {
        fake.close();
        StoreUnavailableException e = catchThrowableOfType(StoreUnavailableException.class,
                () -> store.list());
        assertThat(e).hasMessageContaining("could not list secrets").hasMessageContaining("(connection refused)")
                .hasNoCause();
        assertThat(e.getMessage()).doesNotContain("ClosedChannelException").doesNotContain("ConnectException");
    }
}
