package io.jenkins.plugins.kmssecrets.store.gcp;

import static io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager.ACCESS_SECRET_VERSION;
import static io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager.GET_SECRET;
import static io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager.LIST_SECRETS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.core.NoCredentialsProvider;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SignInFailedException;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GoogleSecretManagerStoreTest {

    private static final String VALUE = "s3cr3t-Value-never-printed";

    private FakeSecretManager fake;
    private GoogleSecretManagerStore store;

    @BeforeEach
    void start() throws Exception {
        fake = FakeSecretManager.start("proj-1");
        store = storeBuilder().build();
    }

    @AfterEach
    void stop() {
        store.close();
        fake.close();
    }

    private GoogleSecretManagerStore.Builder storeBuilder() {
        return GoogleSecretManagerStore.builder("gsm", "proj-1").endpoint(fake.endpoint())
                .credentials(NoCredentialsProvider.create()).retryDelay(Duration.ofMillis(1)).maxAttempts(3);
    }

    private static SecretReference ref(String text) {
        return SecretReference.parse(text);
    }

    @Test
    void listFollowsPagingAndReturnsLabels() {
        for (int i = 0; i < 5; i++) {
            fake.secret("s" + i, Map.of("jenkins-credentials-type", "string", "n", "v" + i));
        }
        store.close();
        store = storeBuilder().pageSize(2).build();

        List<SecretMetadata> listed = store.list();

        assertThat(listed).extracting(SecretMetadata::name).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(listed.get(3).tags()).containsEntry("jenkins-credentials-type", "string").containsEntry("n", "v3");
        assertThat(fake.calls(LIST_SECRETS)).isEqualTo(3);
        assertThat(store.requestCounts()).containsEntry("api", 3L + 5L);
    }

    @Test
    void listSendsTheFilterToTheServer() {
        fake.secret("a", Map.of("team", "platform")).secret("b", Map.of("team", "web"));
        store.close();
        store = storeBuilder().filter("labels.team=platform").build();

        assertThat(store.list()).extracting(SecretMetadata::name).containsExactly("a");
        assertThat(fake.filtersSeen()).containsExactly("labels.team=platform");
    }

    @Test
    void listAndDescribeNeverAccessValues() {
        fake.secret("db", Map.of());
        fake.addVersion("db", VALUE);

        store.list();
        store.describe(ref("gsm:db"));
        store.versions("db");

        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isZero();
    }

    @Test
    void describeReportsLatestVersionAndExpiry() {
        fake.secret("db", Map.of("env", "prod"));
        fake.addVersion("db", "one");
        fake.addVersion("db", "two");
        Instant expiry = Instant.parse("2027-03-01T00:00:00Z");
        fake.expire("db", expiry);

        SecretMetadata metadata = store.describe(ref("gsm:db"));

        assertThat(metadata.version()).isEqualTo("2");
        assertThat(metadata.enabled()).isTrue();
        assertThat(metadata.expiresOn()).isEqualTo(expiry);
        assertThat(metadata.tags()).containsEntry("env", "prod");
        assertThat(metadata.created()).isNotNull();
    }

    @Test
    void describeReportsTheVersionsCreateTimeAsItsUpdateTime() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "one");
        fake.addVersion("db", "two");

        SecretMetadata latest = store.describe(ref("gsm:db"));
        SecretMetadata first = store.describe(ref("gsm:db@1"));

        assertThat(latest.updated()).isNotNull().isAfter(first.updated());
        assertThat(latest.updated()).isEqualTo(store.versions("db").get(0).created());
    }

    @Test
    void listShowsTheNewestVersionAndWhetherItIsUsable() {
        fake.secret("ok", Map.of());
        fake.addVersion("ok", "one");
        fake.addVersion("ok", "two");
        fake.secret("disabled", Map.of());
        fake.addVersion("disabled", "one");
        fake.disable("disabled", 1);
        fake.secret("destroyed", Map.of());
        fake.addVersion("destroyed", "one");
        fake.destroy("destroyed", 1);
        fake.secret("empty", Map.of());

        List<SecretMetadata> listed = store.list();

        assertThat(listed).extracting(SecretMetadata::name)
                .containsExactly("destroyed", "disabled", "empty", "ok");
        assertThat(listed).extracting(SecretMetadata::enabled).containsExactly(false, false, false, true);
        assertThat(listed).extracting(SecretMetadata::version).containsExactly("1", "1", null, "2");
        assertThat(listed.get(3).updated()).isNotNull();
        assertThat(listed.get(0).unusableReason(Instant.now())).isNotNull();
        assertThat(fake.calls(FakeSecretManager.LIST_SECRET_VERSIONS)).isEqualTo(4);
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isZero();
        assertThat(store.requestCounts()).containsEntry("api", (long) fake.apiCalls());
    }

    @Test
    void listKeepsASecretAsItIsWhenItsVersionsMayNotBeListed() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "one");
        fake.failNext(FakeSecretManager.LIST_SECRET_VERSIONS, 403, "PERMISSION_DENIED", 1);

        assertThat(store.list()).singleElement().satisfies(m -> {
            assertThat(m.enabled()).isTrue();
            assertThat(m.version()).isNull();
        });
    }

    @Test
    void mayAccessValueAsksTestIamPermissionsPerSecret() {
        fake.secret("readable", Map.of());
        fake.secret("metadata-only", Map.of());
        fake.grant("metadata-only", "secretmanager.versions.get", "secretmanager.secrets.get");

        assertThat(store.mayAccessValue("readable")).isTrue();
        assertThat(store.mayAccessValue("metadata-only")).isFalse();
        assertThat(fake.calls(FakeSecretManager.TEST_IAM_PERMISSIONS)).isEqualTo(2);
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isZero();
    }

    @Test
    void readAccessSaysYesOrNoPerSecretAndNotVerifiedWhenItCannotAsk() {
        fake.secret("readable", Map.of());
        fake.secret("metadata-only", Map.of());
        fake.grant("metadata-only", "secretmanager.versions.get");

        assertThat(store.readAccess(ref("gsm:readable@3#user"))).isEqualTo(ReadAccess.READABLE);
        assertThat(store.readAccess(ref("gsm:metadata-only"))).isEqualTo(ReadAccess.NOT_READABLE);
        assertThat(store.readAccess(ref("gsm:nope"))).isEqualTo(ReadAccess.NOT_VERIFIED);
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isZero();
    }

    @Test
    void mayAccessValueOfAnUnknownSecretIsNotFound() {
        assertThatThrownBy(() -> store.mayAccessValue("nope")).isInstanceOf(SecretNotFoundException.class);
    }

    @Test
    void inspectReportsDisabledVersionState() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "one");
        fake.disable("db", 1);

        SecretManagerSecretDetails details = store.inspect(ref("gsm:db@1"));

        assertThat(details.versionState()).isEqualTo("DISABLED");
        assertThat(details.metadata().enabled()).isFalse();
        assertThat(details.metadata().unusableReason(Instant.now())).isEqualTo("disabled");
    }

    @Test
    void inspectReportsDestroyedVersionWithDestroyTime() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "one");
        fake.destroy("db", 1);

        SecretManagerSecretDetails details = store.inspect(ref("gsm:db"));

        assertThat(details.versionState()).isEqualTo("DESTROYED");
        assertThat(details.destroyed()).isNotNull();
        assertThat(details.metadata().enabled()).isFalse();
    }

    @Test
    void inspectReportsRotationSchedule() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "one");
        Instant next = Instant.parse("2026-12-01T00:00:00Z");
        fake.rotation("db", next, Duration.ofDays(30));

        SecretManagerSecretDetails details = store.inspect(ref("gsm:db"));

        assertThat(details.nextRotationTime()).isEqualTo(next);
        assertThat(details.rotationPeriod()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void versionsAreListedNewestFirstWithState() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "one");
        fake.addVersion("db", "two");
        fake.addVersion("db", "three");
        fake.disable("db", 2);

        List<SecretMetadata> versions = store.versions("db");

        assertThat(versions).extracting(SecretMetadata::version).containsExactly("3", "2", "1");
        assertThat(versions).extracting(SecretMetadata::enabled).containsExactly(true, false, true);
    }

    @Test
    void fetchReadsTheLatestVersion() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "old");
        fake.addVersion("db", VALUE);

        try (SecretValue value = store.fetch(ref("gsm:db"))) {
            assertThat(value.asString()).isEqualTo(VALUE);
        }
    }

    @Test
    void fetchReadsAPinnedVersion() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "old");
        fake.addVersion("db", VALUE);

        try (SecretValue value = store.fetch(ref("gsm:db@1"))) {
            assertThat(value.asString()).isEqualTo("old");
        }
    }

    @Test
    void fetchReadsOnePropertyOfAJsonValue() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "{\"user\":\"app\",\"password\":\"" + VALUE + "\",\"port\":5432}");

        try (SecretValue password = store.fetch(ref("gsm:db#password"));
                SecretValue port = store.fetch(ref("gsm:db#port"))) {
            assertThat(password.asString()).isEqualTo(VALUE);
            assertThat(port.asString()).isEqualTo("5432");
        }
    }

    @Test
    void missingPropertyIsNotFoundWithoutTheValue() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "{\"password\":\"" + VALUE + "\"}");

        assertThatThrownBy(() -> store.fetch(ref("gsm:db#user")))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageContaining("'user'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(VALUE));
    }

    @Test
    void propertyOfANonJsonValueFailsWithoutTheValue() {
        fake.secret("db", Map.of());
        fake.addVersion("db", VALUE + "{");

        // JsonProperty decides the type (one for every store); the store adds the reference's name
        assertThatThrownBy(() -> store.fetch(ref("gsm:db#user")))
                .isInstanceOf(SecretStoreException.class)
                .hasMessageStartingWith("store 'gsm', secret 'db': ")
                .hasMessageContaining("'user'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(VALUE))
                .hasNoCause();
    }

    @Test
    void corruptedPayloadFailsItsChecksum() {
        fake.secret("db", Map.of());
        fake.addVersion("db", VALUE);
        fake.corruptChecksums();

        assertThatThrownBy(() -> store.fetch(ref("gsm:db")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("CRC32C")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(VALUE));
    }

    @Test
    void fetchOfADisabledVersionSaysItIsDisabled() {
        fake.secret("db", Map.of());
        fake.addVersion("db", VALUE);
        fake.disable("db", 1);

        assertThatThrownBy(() -> store.fetch(ref("gsm:db")))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageStartingWith("store 'gsm', secret 'db': ")
                .hasMessageContaining("version 1 is DISABLED; enable it");
    }

    @Test
    void fetchOfADestroyedVersionSaysItIsDestroyed() {
        fake.secret("db", Map.of());
        fake.addVersion("db", VALUE);
        fake.destroy("db", 1);

        assertThatThrownBy(() -> store.fetch(ref("gsm:db@1")))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageStartingWith("store 'gsm', secret 'db@1': ")
                .hasMessageContaining("version 1 is DESTROYED")
                .hasMessageContaining("pin another version")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("enable"));
    }

    @Test
    void disabledVersionWithoutPermissionToSeeItsStateIsStillNotFound() {
        fake.secret("db", Map.of());
        fake.addVersion("db", VALUE);
        fake.disable("db", 1);
        fake.failNext(FakeSecretManager.GET_SECRET_VERSION, 403, "PERMISSION_DENIED", 1);

        assertThatThrownBy(() -> store.fetch(ref("gsm:db")))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageContaining("most likely disabled or destroyed");
    }

    @Test
    void unknownSecretIsNotFound() {
        assertThatThrownBy(() -> store.describe(ref("gsm:nope")))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageStartingWith("store 'gsm', secret 'nope': ")
                .hasNoCause();
    }

    @Test
    void permissionDeniedNamesTheRoleToGrant() {
        fake.secret("db", Map.of());
        fake.addVersion("db", VALUE);
        fake.failNext(ACCESS_SECRET_VERSION, 403, "PERMISSION_DENIED", 1);

        assertThatThrownBy(() -> store.fetch(ref("gsm:db")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("secretmanager.versions.access")
                .hasMessageContaining("roles/secretmanager.secretAccessor")
                .hasNoCause();
    }

    @Test
    void unavailableIsRetriedUntilItSucceeds() {
        fake.secret("db", Map.of());
        fake.failNext(GET_SECRET, 503, "UNAVAILABLE", 2);
        fake.addVersion("db", VALUE);

        assertThat(store.describe(ref("gsm:db")).name()).isEqualTo("db");
        assertThat(fake.calls(GET_SECRET)).isEqualTo(3);
    }

    @Test
    void unavailableBeyondTheAttemptBudgetIsStoreUnavailable() {
        fake.secret("db", Map.of());
        fake.failNext(LIST_SECRETS, 503, "UNAVAILABLE", 10);

        assertThatThrownBy(() -> store.list())
                .isInstanceOf(StoreUnavailableException.class)
                .satisfies(e -> assertThat(((SecretStoreException) e).isRetryable()).isTrue());
        assertThat(fake.calls(LIST_SECRETS)).isEqualTo(3);
    }

    @Test
    void cachedListSurvivesAnOutage() {
        fake.secret("db", Map.of("team", "netbox"));
        CachingSecretStore cached = new CachingSecretStore(store, Duration.ofMinutes(5), Clock.systemUTC(),
                Runnable::run);
        assertThat(cached.list()).hasSize(1);
        fake.unavailable(true);

        cached.refreshNow();

        assertThat(cached.list()).extracting(SecretMetadata::name).containsExactly("db");
        assertThat(cached.status().stale()).isTrue();
        assertThat(cached.status().lastError()).contains("UNAVAILABLE");
    }

    @Test
    void permissionDeniedIsNotRetried() {
        fake.failNext(LIST_SECRETS, 403, "PERMISSION_DENIED", 10);

        assertThatThrownBy(() -> store.list()).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("roles/secretmanager.viewer");
        assertThat(fake.calls(LIST_SECRETS)).isEqualTo(1);
    }

    @Test
    void requestWithoutCredentialsRefusedIsASignInFailure() {
        fake.requireBearer("a-token-the-store-does-not-have");

        assertThatThrownBy(() -> store.list())
                .isInstanceOf(SignInFailedException.class)
                .hasMessageContaining("UNAUTHENTICATED (HTTP 401)")
                .hasMessageContaining("the request carried no credentials")
                .hasNoCause();
        assertThat(fake.calls(LIST_SECRETS)).isEqualTo(1);
    }

    @Test
    void listOfAnUnknownProjectSaysToCheckTheProject() {
        store.close();
        store = GoogleSecretManagerStore.builder("gsm", "no-such-project").endpoint(fake.endpoint())
                .credentials(NoCredentialsProvider.create()).build();

        assertThatThrownBy(() -> store.list())
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageContaining("check the project");
    }

    @Test
    void malformedSecretIdIsRejectedBeforeAnyCall() {
        assertThatThrownBy(() -> store.fetch(ref("gsm:apps/db")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("1 to 255");
        assertThat(fake.calls(ACCESS_SECRET_VERSION)).isZero();
    }

    @Test
    void regionalStoreReadsTheLocationsSecrets() throws Exception {
        try (FakeSecretManager regional = FakeSecretManager.startRegional("proj-1", "europe-west3");
                GoogleSecretManagerStore regionalStore = GoogleSecretManagerStore.builder("gsm", "proj-1")
                        .location("europe-west3").endpoint(regional.endpoint())
                        .credentials(NoCredentialsProvider.create()).build()) {
            regional.secret("eu", Map.of());
            regional.addVersion("eu", VALUE);

            assertThat(regionalStore.list()).extracting(SecretMetadata::name).containsExactly("eu");
            try (SecretValue value = regionalStore.fetch(ref("gsm:eu"))) {
                assertThat(value.asString()).isEqualTo(VALUE);
            }
        }
    }

    @Test
    void labelsAndAnnotationsMapToACredentialType() {
        fake.secret("db", Map.of("jenkins-credentials-type", "username-password"));
        fake.annotate("db", Map.of("jenkins-credentials-username", "App.User"));
        fake.addVersion("db", VALUE);

        CredentialMapping mapping = CredentialMapping.fromTags(store.describe(ref("gsm:db")).tags());

        assertThat(mapping.type()).isEqualTo(CredentialType.USERNAME_PASSWORD);
        assertThat(mapping.username()).isEqualTo("App.User");
        assertThat(mapping.isUsable()).isTrue();
    }

    @Test
    void storeToStringNamesTheProjectOnly() {
        assertThat(store).hasToString("GoogleSecretManagerStore[gsm, projects/proj-1]");
    }
}
