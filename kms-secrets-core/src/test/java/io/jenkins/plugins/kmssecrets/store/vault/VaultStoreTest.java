package io.jenkins.plugins.kmssecrets.store.vault;

import static io.jenkins.plugins.kmssecrets.testing.vault.FakeVault.LIST;
import static io.jenkins.plugins.kmssecrets.testing.vault.FakeVault.LOGIN;
import static io.jenkins.plugins.kmssecrets.testing.vault.FakeVault.READ;
import static io.jenkins.plugins.kmssecrets.testing.vault.FakeVault.RENEW_SELF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultStoreTest {

    private static final String TOKEN = "hvs.TOKEN-never-shown";
    private static final String VALUE = "s3cr3t-Value-never-printed";
    private static final String SECRET_ID = "secret-id-never-shown";

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-06-01T00:00:00Z"));
    private FakeVault vault;

    @BeforeEach
    void start() throws Exception {
        vault = FakeVault.start(clock).mount("secret", 2).mount("kv1", 1);
        vault.token(TOKEN, Duration.ZERO, false, "*:read,list");
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private VaultStore.Builder builder(VaultAuth auth) {
        return VaultStore.builder("vault", vault.address(), auth).clock(clock).retryDelay(Duration.ofMillis(1));
    }

    private VaultStore tokenStore() {
        return builder(VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false)).build();
    }

    private VaultStore appRoleStore() {
        vault.appRole("role-1", SECRET_ID);
        return builder(VaultAuth.appRole("approle", VaultAuth.CredentialSource.literal("roleId", "role-1"),
                VaultAuth.CredentialSource.literal("secretId", SECRET_ID))).build();
    }

    private static SecretReference ref(String text) {
        return SecretReference.parse(text);
    }

    @Test
    void listWalksTheMountRecursively() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.put("secret", "apps/db/main", Map.of("password", VALUE));
        vault.put("secret", "top", Map.of("k", "v"));

        assertThat(tokenStore().list()).extracting(SecretMetadata::name)
                .containsExactly("apps/db/main", "apps/netbox", "top");
        assertThat(vault.count(LIST)).isEqualTo(3);
    }

    @Test
    void listStartsAtThePrefix() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.put("secret", "other/x", Map.of("k", "v"));

        assertThat(builder(VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .prefix("apps/").build().list()).extracting(SecretMetadata::name).containsExactly("apps/netbox");
    }

    @Test
    void listOfAnEmptyMountIsEmpty() {
        assertThat(tokenStore().list()).isEmpty();
    }

    @Test
    void listBeyondMaxEntriesFailsInsteadOfReturningPart() {
        for (int i = 0; i < 4; i++) {
            vault.put("secret", "s" + i, Map.of("k", "v"));
        }
        VaultStore store = builder(VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .maxListEntries(3).build();

        assertThatThrownBy(store::list).isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("maxListEntries 3");
    }

    @Test
    void listBeyondMaxDepthFails() {
        vault.put("secret", "a/b/c/d", Map.of("k", "v"));
        VaultStore store = builder(VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .maxListDepth(2).build();

        assertThatThrownBy(store::list).isInstanceOf(MisconfiguredException.class)
                .hasMessageContaining("maxListDepth 2");
    }

    @Test
    void listDescribeAndVersionsNeverReadValues() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        VaultStore store = tokenStore();

        store.list();
        store.describe(ref("vault:apps/netbox"));
        store.versions("apps/netbox");

        assertThat(vault.count(READ)).isZero();
    }

    @Test
    void describeReportsCurrentVersionTimesAndCustomMetadata() {
        vault.put("secret", "apps/netbox", Map.of("password", "one"));
        clock.advance(Duration.ofMinutes(5));
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.customMetadata("secret", "apps/netbox", Map.of("jenkins-credentials-type", "string"));

        SecretMetadata metadata = tokenStore().describe(ref("vault:apps/netbox"));

        assertThat(metadata.version()).isEqualTo("2");
        assertThat(metadata.enabled()).isTrue();
        assertThat(metadata.created()).isEqualTo(Instant.parse("2026-06-01T00:05:00Z"));
        assertThat(metadata.updated()).isEqualTo(Instant.parse("2026-06-01T00:05:00Z"));
        assertThat(metadata.tags()).containsEntry("jenkins-credentials-type", "string");
    }

    @Test
    void customMetadataMapsToACredentialType() {
        vault.put("secret", "apps/deploy-key", Map.of("key", VALUE));
        vault.customMetadata("secret", "apps/deploy-key", Map.of("jenkins-credentials-type", "sshUserPrivateKey",
                "jenkins-credentials-username", "git"));

        CredentialMapping mapping = CredentialMapping.fromTags(tokenStore().describe(ref("vault:apps/deploy-key"))
                .tags());

        assertThat(mapping.type()).isEqualTo(CredentialType.SSH_USER_PRIVATE_KEY);
        assertThat(mapping.username()).isEqualTo("git");
    }

    @Test
    void deletedVersionIsDescribedAsDisabled() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.delete("secret", "apps/netbox", 1, clock.instant());

        assertThat(tokenStore().describe(ref("vault:apps/netbox@1")).enabled()).isFalse();
    }

    @Test
    void destroyedVersionIsDescribedAsDisabled() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.destroy("secret", "apps/netbox", 1);

        assertThat(tokenStore().describe(ref("vault:apps/netbox")).enabled()).isFalse();
    }

    @Test
    void scheduledDeletionIsReportedAsExpiry() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        Instant later = clock.instant().plus(Duration.ofDays(3));
        vault.delete("secret", "apps/netbox", 1, later);

        SecretMetadata metadata = tokenStore().describe(ref("vault:apps/netbox"));

        assertThat(metadata.enabled()).isTrue();
        assertThat(metadata.expiresOn()).isEqualTo(later);
    }

    @Test
    void describeOfAMissingVersionIsNotFound() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));

        assertThatThrownBy(() -> tokenStore().describe(ref("vault:apps/netbox@7")))
                .isInstanceOf(SecretNotFoundException.class).hasMessageContaining("version 7");
    }

    @Test
    void versionsAreNewestFirst() {
        vault.put("secret", "apps/netbox", Map.of("password", "1"));
        vault.put("secret", "apps/netbox", Map.of("password", "2"));
        vault.put("secret", "apps/netbox", Map.of("password", "3"));
        vault.destroy("secret", "apps/netbox", 2);

        List<SecretMetadata> versions = tokenStore().versions("apps/netbox");

        assertThat(versions).extracting(SecretMetadata::version).containsExactly("3", "2", "1");
        assertThat(versions).extracting(SecretMetadata::enabled).containsExactly(true, false, true);
    }

    @Test
    void fetchWithoutKeyReturnsTheDataAsSortedJson() {
        vault.put("secret", "apps/netbox", Map.of("user", "app", "password", VALUE));

        try (SecretValue value = tokenStore().fetch(ref("vault:apps/netbox"))) {
            assertThat(value.asString()).isEqualTo("{\"password\":\"" + VALUE + "\",\"user\":\"app\"}");
        }
    }

    @Test
    void fetchReadsOneKey() {
        vault.put("secret", "apps/netbox", Map.of("user", "app", "password", VALUE));

        try (SecretValue value = tokenStore().fetch(ref("vault:apps/netbox#password"))) {
            assertThat(value.asString()).isEqualTo(VALUE);
        }
    }

    @Test
    void fetchReadsAPinnedVersion() {
        vault.put("secret", "apps/netbox", Map.of("password", "old"));
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));

        try (SecretValue value = tokenStore().fetch(ref("vault:apps/netbox@1#password"))) {
            assertThat(value.asString()).isEqualTo("old");
        }
    }

    @Test
    void missingKeyIsNotFoundWithoutTheValue() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));

        assertThatThrownBy(() -> tokenStore().fetch(ref("vault:apps/netbox#user")))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageContaining("'user'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(VALUE));
    }

    @Test
    void fetchOfADeletedVersionSaysItIsDeleted() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.delete("secret", "apps/netbox", 1, clock.instant());

        assertThatThrownBy(() -> tokenStore().fetch(ref("vault:apps/netbox")))
                .isInstanceOf(SecretNotFoundException.class).hasMessageContaining("version 1 is deleted");
    }

    @Test
    void fetchOfADestroyedVersionSaysItIsDestroyed() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.destroy("secret", "apps/netbox", 1);

        assertThatThrownBy(() -> tokenStore().fetch(ref("vault:apps/netbox")))
                .isInstanceOf(SecretNotFoundException.class).hasMessageContaining("version 1 is destroyed");
    }

    @Test
    void unknownSecretIsNotFound() {
        assertThatThrownBy(() -> tokenStore().fetch(ref("vault:apps/none")))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageStartingWith("store 'vault', secret 'apps/none': ")
                .hasNoCause();
    }

    @Test
    void metadataOnlyPolicyCanDescribeButNotFetch() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.token("hvs.check-only", Duration.ZERO, false, "secret/metadata/*:read,list");
        VaultStore store = builder(VaultAuth.token(VaultAuth.CredentialSource.literal("token", "hvs.check-only"),
                false)).build();

        assertThat(store.describe(ref("vault:apps/netbox")).version()).isEqualTo("1");
        assertThatThrownBy(() -> store.fetch(ref("vault:apps/netbox")))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("capability 'read' on path 'secret/data/apps/netbox'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hvs.check-only"));
    }

    @Test
    void sealedVaultIsUnavailableAndSaysSo() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.sealed(true);

        assertThatThrownBy(() -> tokenStore().fetch(ref("vault:apps/netbox")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("Vault is sealed")
                .satisfies(e -> assertThat(((SecretStoreException) e).isRetryable()).isTrue());
    }

    @Test
    void cachedListSurvivesASealedVault() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        CachingSecretStore cached = new CachingSecretStore(tokenStore(), Duration.ofMinutes(5), clock, Runnable::run);
        assertThat(cached.list()).hasSize(1);
        vault.sealed(true);

        cached.refreshNow();

        assertThat(cached.list()).extracting(SecretMetadata::name).containsExactly("apps/netbox");
        assertThat(cached.status().stale()).isTrue();
        assertThat(cached.status().lastError()).contains("Vault is sealed").doesNotContain(TOKEN);
    }

    @Test
    void transientFailureIsRetried() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        VaultStore store = tokenStore();
        store.describe(ref("vault:apps/netbox"));
        vault.failNext(503, 2);

        try (SecretValue value = store.fetch(ref("vault:apps/netbox#password"))) {
            assertThat(value.asString()).isEqualTo(VALUE);
        }
    }

    @Test
    void persistentFailureStopsAfterTheAttemptBudget() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        VaultStore store = tokenStore();
        store.describe(ref("vault:apps/netbox"));
        vault.failNext(502, 3);

        assertThatThrownBy(() -> store.fetch(ref("vault:apps/netbox")))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("HTTP 502");
        assertThat(vault.count(READ)).isZero();
    }

    @Test
    void redirectIsNotFollowed() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        VaultStore store = tokenStore();
        store.describe(ref("vault:apps/netbox"));
        vault.failNext(307, 1);

        assertThatThrownBy(() -> store.fetch(ref("vault:apps/netbox")))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("redirects are not followed");
        assertThat(vault.count(READ)).isZero();
    }

    @Test
    void namespaceIsSentOnEveryRequestIncludingLogin() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.appRole("role-1", SECRET_ID);
        VaultStore store = builder(VaultAuth.appRole("approle", VaultAuth.CredentialSource.literal("roleId",
                "role-1"), VaultAuth.CredentialSource.literal("secretId", SECRET_ID))).namespace("team-a").build();

        store.list();
        store.fetch(ref("vault:apps/netbox")).wipe();

        assertThat(vault.namespacesSeen()).as("login, list, metadata, read").hasSize(5).containsOnly("team-a");
        assertThat(vault.upgradeRequests()).as("HTTP/1.1 only: no h2c upgrade").isZero();
    }

    @Test
    void appRoleLogsInOnceForManyCalls() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        VaultStore store = appRoleStore();

        store.list();
        store.describe(ref("vault:apps/netbox"));
        store.fetch(ref("vault:apps/netbox")).wipe();

        assertThat(vault.count(LOGIN)).isEqualTo(1);
    }

    @Test
    void concurrentFetchesShareOneLogin() throws Exception {
        for (int i = 0; i < 8; i++) {
            vault.put("secret", "apps/s" + i, Map.of("password", VALUE + i));
        }
        VaultStore store = appRoleStore();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                SecretReference reference = ref("vault:apps/s" + i + "#password");
                results.add(pool.submit(() -> {
                    try (SecretValue value = store.fetch(reference)) {
                        return value.asString();
                    }
                }));
            }
            for (int i = 0; i < 8; i++) {
                assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(VALUE + i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(vault.count(LOGIN)).isEqualTo(1);
        assertThat(vault.count(READ)).isEqualTo(8);
    }

    @Test
    void tokenRejectedMidRunIsReplacedByANewLogin() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        VaultStore store = appRoleStore();
        store.list();
        vault.revoke("hvs.fake-issued-1");

        try (SecretValue value = store.fetch(ref("vault:apps/netbox#password"))) {
            assertThat(value.asString()).isEqualTo(VALUE);
        }
        assertThat(vault.count(LOGIN)).isEqualTo(2);
    }

    @Test
    void loginTokenIsReplacedBeforeItExpires() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.loginTokens(Duration.ofMinutes(30), "*:read,list");
        VaultStore store = appRoleStore();
        store.list();

        clock.advance(Duration.ofMinutes(21));
        store.list();

        assertThat(vault.count(LOGIN)).isEqualTo(2);
        assertThat(vault.count(RENEW_SELF)).isZero();
    }

    @Test
    void renewableTokenIsRenewedBeforeItExpires() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.token("hvs.renewable", Duration.ofMinutes(30), true, "*:read,list");
        VaultStore store = builder(VaultAuth.token(VaultAuth.CredentialSource.literal("token", "hvs.renewable"),
                false)).build();
        store.list();

        clock.advance(Duration.ofMinutes(25));
        store.list();
        clock.advance(Duration.ofMinutes(25));
        store.list();

        assertThat(vault.count(RENEW_SELF)).isEqualTo(2);
        assertThat(vault.count(LIST)).isEqualTo(6);
    }

    @Test
    void rejectedTokenFromTheEnvironmentIsAccessDeniedWithoutTheToken() {
        VaultStore store = builder(VaultAuth.token(VaultAuth.CredentialSource.literal("token", "hvs.revoked-xyz"),
                false)).build();

        assertThatThrownBy(store::list)
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("invalid or expired")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hvs.revoked-xyz"));
    }

    @Test
    void wrongSecretIdIsAccessDeniedWithoutTheSecretId() {
        vault.appRole("role-1", "the-right-one");
        VaultStore store = builder(VaultAuth.appRole("approle", VaultAuth.CredentialSource.literal("roleId",
                "role-1"), VaultAuth.CredentialSource.literal("secretId", SECRET_ID))).build();

        assertThatThrownBy(store::list)
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("AppRole login at auth/approle/login was rejected")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET_ID));
    }

    @Test
    void kubernetesLoginUsesTheServiceAccountJwt() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.kubernetesRole("jenkins", "jwt-of-the-pod");
        VaultStore store = builder(VaultAuth.kubernetes("kubernetes", "jenkins",
                VaultAuth.CredentialSource.literal("jwt", "jwt-of-the-pod"))).build();

        try (SecretValue value = store.fetch(ref("vault:apps/netbox#password"))) {
            assertThat(value.asString()).isEqualTo(VALUE);
        }
        assertThat(vault.count(LOGIN)).isEqualTo(1);
    }

    @Test
    void kvVersion1ListsDescribesAndFetches() {
        vault.put("kv1", "apps/netbox", Map.of("password", VALUE));
        VaultStore store = builder(VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .mount("kv1").kvVersion(1).build();

        assertThat(store.list()).extracting(SecretMetadata::name).containsExactly("apps/netbox");
        assertThat(store.describe(ref("vault:apps/netbox")).name()).isEqualTo("apps/netbox");
        assertThat(vault.count(READ)).isZero();
        try (SecretValue value = store.fetch(ref("vault:apps/netbox#password"))) {
            assertThat(value.asString()).isEqualTo(VALUE);
        }
    }

    @Test
    void kvVersion1DescribeOfAMissingSecretIsNotFound() {
        vault.put("kv1", "apps/netbox", Map.of("password", VALUE));
        VaultStore store = builder(VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .mount("kv1").kvVersion(1).build();

        assertThatThrownBy(() -> store.describe(ref("vault:apps/other")))
                .isInstanceOf(SecretNotFoundException.class);
    }

    @Test
    void kvVersion1RejectsAPinnedVersion() {
        VaultStore store = builder(VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .mount("kv1").kvVersion(1).build();

        assertThatThrownBy(() -> store.fetch(ref("vault:apps/netbox@2")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no versions");
    }

    @Test
    void malformedPathIsRejectedBeforeAnyCall() {
        assertThatThrownBy(() -> tokenStore().fetch(ref("vault:apps/../root")))
                .isInstanceOf(InvalidInputException.class);
        assertThat(vault.count(READ)).isZero();
    }

    @Test
    void unreachableVaultIsUnavailable() {
        VaultStore store = VaultStore.builder("vault", java.net.URI.create("http://127.0.0.1:1"),
                VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .retryDelay(Duration.ofMillis(1)).maxAttempts(2).build();

        assertThatThrownBy(store::list).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("cannot reach Vault at http://127.0.0.1:1/");
    }

    @Test
    void toStringShowsNoCredential() {
        VaultStore store = appRoleStore();
        store.list();

        assertThat(store.toString()).doesNotContain(SECRET_ID).doesNotContain("hvs.").contains("AppRole");
    }
}
