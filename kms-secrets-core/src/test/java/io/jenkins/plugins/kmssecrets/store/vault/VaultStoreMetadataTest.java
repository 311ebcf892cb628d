package io.jenkins.plugins.kmssecrets.store.vault;

import static io.jenkins.plugins.kmssecrets.testing.vault.FakeVault.CAPABILITIES;
import static io.jenkins.plugins.kmssecrets.testing.vault.FakeVault.METADATA;
import static io.jenkins.plugins.kmssecrets.testing.vault.FakeVault.READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kmssecrets.check.CheckReport;
import io.jenkins.plugins.kmssecrets.check.CheckResult;
import io.jenkins.plugins.kmssecrets.check.CheckStatus;
import io.jenkins.plugins.kmssecrets.check.CheckTarget;
import io.jenkins.plugins.kmssecrets.check.SecretCheck;
import io.jenkins.plugins.kmssecrets.credentials.TagFilter;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.CredentialMapping;
import io.jenkins.plugins.kmssecrets.store.CredentialType;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a Vault listing and check say about each secret: KV 2 custom metadata as tags (so credential types and tag
 * filters work), times, current version and state; the {@code expires} and {@code not-before} keys; deleted and
 * destroyed current versions; state unknown for KV 1; and read permission asked through
 * {@code sys/capabilities-self}. None of it reads a value.
 */
class VaultStoreMetadataTest {

    private static final String TOKEN = "hvs.metadata-test-token";
    private static final String VALUE = "v4ult-metadata-value-never-printed";

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

    private VaultStore.Builder builder(String token) {
        return VaultStore.builder("vault", vault.address(),
                VaultAuth.token(VaultAuth.CredentialSource.literal("token", token), false))
                .clock(clock).retryDelay(Duration.ofMillis(1));
    }

    private VaultStore store() {
        return builder(TOKEN).build();
    }

    private static SecretReference ref(String text) {
        return SecretReference.parse(text);
    }

    private CheckResult check(VaultStore store, String reference) {
        CheckReport report = new SecretCheck(StoreSet.of(store), clock, 30, 2)
                .run(List.of(CheckTarget.of(ref(reference))));
        return report.results().get(0);
    }

    // ---- list -------------------------------------------------------------------------------------------------

    @Test
    void listCarriesCustomMetadataTimesAndCurrentVersion() {
        vault.put("secret", "apps/deploy-key", Map.of("key", VALUE));
        clock.advance(Duration.ofMinutes(5));
        vault.put("secret", "apps/deploy-key", Map.of("key", VALUE));
        vault.customMetadata("secret", "apps/deploy-key", Map.of(CredentialMapping.TYPE_TAG, "sshUserPrivateKey",
                CredentialMapping.USERNAME_TAG, "git", "team", "platform"));
        vault.put("secret", "apps/plain", Map.of("value", VALUE));

        List<SecretMetadata> listed = store().list();

        assertThat(listed).extracting(SecretMetadata::name).containsExactly("apps/deploy-key", "apps/plain");
        SecretMetadata key = listed.get(0);
        assertThat(key.version()).isEqualTo("2");
        assertThat(key.state()).isEqualTo(SecretMetadata.State.ENABLED);
        assertThat(key.created()).isEqualTo(Instant.parse("2026-06-01T00:05:00Z"));
        assertThat(key.updated()).isEqualTo(Instant.parse("2026-06-01T00:05:00Z"));
        assertThat(key.tags()).containsEntry("team", "platform");
        CredentialMapping mapping = CredentialMapping.fromTags(key.tags());
        assertThat(mapping.type()).isEqualTo(CredentialType.SSH_USER_PRIVATE_KEY);
        assertThat(mapping.username()).isEqualTo("git");
        assertThat(CredentialMapping.fromTags(listed.get(1).tags()).type()).isEqualTo(CredentialType.STRING);
        assertThat(vault.count(METADATA)).as("one metadata read per secret").isEqualTo(2);
        assertThat(vault.count(READ)).as("no value read").isZero();
    }

    @Test
    void tagFilterSelectsVaultSecretsByCustomMetadata() {
        vault.put("secret", "apps/a", Map.of("k", VALUE));
        vault.customMetadata("secret", "apps/a", Map.of("team", "platform"));
        vault.put("secret", "apps/b", Map.of("k", VALUE));
        vault.customMetadata("secret", "apps/b", Map.of("team", "web"));

        TagFilter filter = TagFilter.parse("team=platform");

        assertThat(store().list().stream().filter(m -> filter.matches(m.tags())).map(SecretMetadata::name))
                .containsExactly("apps/a");
    }

    @Test
    void listReadsMetadataAtMostListConcurrencyAtATime() {
        for (int i = 0; i < 12; i++) {
            vault.put("secret", "apps/s" + (i < 10 ? "0" : "") + i, Map.of("k", VALUE));
        }
        vault.holdMetadataReads(4);

        List<SecretMetadata> listed = builder(TOKEN).listConcurrency(4).build().list();

        assertThat(listed).hasSize(12);
        assertThat(vault.metadataMaxInFlight()).as("four at a time, never more").isEqualTo(4);
        assertThat(vault.count(READ)).isZero();
    }

    @Test
    void listShowsDeletedAndDestroyedCurrentVersionsAsNotUsable() {
        vault.put("secret", "apps/deleted", Map.of("k", VALUE));
        vault.delete("secret", "apps/deleted", 1, clock.instant());
        vault.put("secret", "apps/destroyed", Map.of("k", VALUE));
        vault.put("secret", "apps/destroyed", Map.of("k", VALUE));
        vault.destroy("secret", "apps/destroyed", 2);

        List<SecretMetadata> listed = store().list();

        assertThat(listed).extracting(SecretMetadata::state)
                .containsExactly(SecretMetadata.State.DELETED, SecretMetadata.State.DESTROYED);
        assertThat(listed.get(0).stateAt(clock.instant())).isEqualTo("version 1 is deleted");
        assertThat(listed.get(1).stateAt(clock.instant())).isEqualTo("version 2 is destroyed");
        assertThat(listed).noneMatch(SecretMetadata::enabled);
    }

    @Test
    void listFailsNamingTheCapabilityWhenMetadataMayNotBeRead() {
        vault.put("secret", "apps/a", Map.of("k", VALUE));
        vault.token("hvs.list-only", Duration.ZERO, false, "secret/metadata/:list", "secret/metadata/apps/:list");

        assertThatThrownBy(() -> builder("hvs.list-only").build().list())
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("capability 'read' on path 'secret/metadata/apps/a'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hvs.list-only"));
    }

    @Test
    void kvVersion1ListsNamesWithStateUnknown() {
        vault.put("kv1", "apps/netbox", Map.of("password", VALUE));
        VaultStore store = builder(TOKEN).mount("kv1").kvVersion(1).build();

        SecretMetadata listed = store.list().get(0);
        SecretMetadata described = store.describe(ref("vault:apps/netbox"));

        assertThat(listed.state()).isEqualTo(SecretMetadata.State.UNKNOWN);
        assertThat(listed.stateAt(clock.instant())).isEqualTo("unknown");
        assertThat(listed.tags()).isEmpty();
        assertThat(described.state()).isEqualTo(SecretMetadata.State.UNKNOWN);
        assertThat(vault.count(READ)).isZero();
    }

    // ---- expires and not-before -------------------------------------------------------------------------------

    @Test
    void expiresAndNotBeforeCustomMetadataAreTheValidity() {
        vault.put("secret", "apps/cert", Map.of("pem", VALUE));
        vault.customMetadata("secret", "apps/cert", Map.of(VaultStore.EXPIRES_KEY, "2026-06-11T00:00:00Z",
                VaultStore.NOT_BEFORE_KEY, "2026-05-01"));

        SecretMetadata described = store().describe(ref("vault:apps/cert"));
        SecretMetadata listed = store().list().get(0);

        for (SecretMetadata m : List.of(described, listed)) {
            assertThat(m.expiresOn()).isEqualTo(Instant.parse("2026-06-11T00:00:00Z"));
            assertThat(m.notBefore()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
        }
        CheckResult result = check(store(), "vault:apps/cert");
        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.daysLeft()).isEqualTo(10);
    }

    @Test
    void expiredSecretFailsTheCheck() {
        vault.put("secret", "apps/old", Map.of("k", VALUE));
        vault.customMetadata("secret", "apps/old", Map.of(VaultStore.EXPIRES_KEY, "2026-05-31T23:00:00+01:00"));

        CheckResult result = check(store(), "vault:apps/old");

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).isEqualTo("expired on 2026-05-31T22:00:00Z");
    }

    @Test
    void notYetValidSecretFailsTheCheck() {
        vault.put("secret", "apps/next", Map.of("k", VALUE));
        vault.customMetadata("secret", "apps/next", Map.of(VaultStore.NOT_BEFORE_KEY, "2026-07-01T00:00:00Z"));

        CheckResult result = check(store(), "vault:apps/next");

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).isEqualTo("not valid before 2026-07-01T00:00:00Z");
    }

    @Test
    void earlierOfExpiresAndScheduledDeletionIsTheExpiry() {
        vault.put("secret", "apps/short", Map.of("k", VALUE));
        vault.customMetadata("secret", "apps/short", Map.of(VaultStore.EXPIRES_KEY, "2026-12-31"));
        vault.delete("secret", "apps/short", 1, Instant.parse("2026-06-04T00:00:00Z"));

        assertThat(store().describe(ref("vault:apps/short")).expiresOn())
                .isEqualTo(Instant.parse("2026-06-04T00:00:00Z"));
    }

    @Test
    void unreadableExpiresFailsTheCheckButNotTheListing() {
        vault.put("secret", "apps/typo", Map.of("k", VALUE));
        vault.customMetadata("secret", "apps/typo", Map.of(VaultStore.EXPIRES_KEY, "31/12/2026"));

        assertThat(store().list().get(0).expiresOn()).isNull();
        assertThatThrownBy(() -> store().describe(ref("vault:apps/typo")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("store 'vault', secret 'apps/typo': custom metadata 'expires' is not an ISO-8601 time; "
                        + "write it as 2027-01-31T00:00:00Z, 2027-01-31T01:00:00+01:00 or 2027-01-31");
        assertThat(check(store(), "vault:apps/typo").status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void deletedCurrentVersionFailsTheCheckAsNotUsable() {
        vault.put("secret", "apps/gone", Map.of("k", VALUE));
        vault.delete("secret", "apps/gone", 1, clock.instant());

        CheckResult result = check(store(), "vault:apps/gone");

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).isEqualTo("version 1 is deleted");
    }

    // ---- read permission --------------------------------------------------------------------------------------

    @Test
    void checkAsksVaultWhetherTheValueIsReadable() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));

        CheckResult result = check(store(), "vault:apps/netbox#password");

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.readable()).isEqualTo(ReadAccess.READABLE);
        assertThat(vault.count(CAPABILITIES)).isEqualTo(1);
        assertThat(vault.count(READ)).isZero();
    }

    @Test
    void checkFailsASecretTheIdentityMayDescribeButNotRead() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.token("hvs.check-only", Duration.ZERO, false, "secret/metadata/*:read,list");

        CheckResult result = check(builder("hvs.check-only").build(), "vault:apps/netbox");

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.readable()).isEqualTo(ReadAccess.NOT_READABLE);
        assertThat(result.detail()).startsWith("not readable");
        assertThat(vault.count(READ)).isZero();
    }

    @Test
    void readAccessOfKvVersion1AsksForTheMountPath() {
        vault.put("kv1", "apps/netbox", Map.of("password", VALUE));
        vault.token("hvs.kv1-read", Duration.ZERO, false, "kv1/apps/netbox:read");

        assertThat(builder("hvs.kv1-read").mount("kv1").kvVersion(1).build().readAccess(ref("vault:apps/netbox")))
                .isEqualTo(ReadAccess.READABLE);
        assertThat(builder("hvs.kv1-read").mount("kv1").kvVersion(1).build().readAccess(ref("vault:apps/other")))
                .isEqualTo(ReadAccess.NOT_READABLE);
    }

    @Test
    void readAccessIsNotVerifiedWhenVaultCannotBeAsked() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        VaultStore store = store();
        vault.sealed(true);

        assertThat(store.readAccess(ref("vault:apps/netbox"))).isEqualTo(ReadAccess.NOT_VERIFIED);
    }

    @Test
    void listingsAndReportsCarryNoValueAndNoToken() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));
        vault.customMetadata("secret", "apps/netbox", Map.of(VaultStore.EXPIRES_KEY, "2026-06-02"));
        VaultStore store = store();

        StringBuilder texts = new StringBuilder();
        store.list().forEach(m -> texts.append(m).append('\n'));
        CheckReport report = new SecretCheck(StoreSet.of(store), clock, 30, 1)
                .run(List.of(CheckTarget.of(ref("vault:apps/netbox#password"))));
        for (io.jenkins.plugins.kmssecrets.check.CheckReportFormat format
                : io.jenkins.plugins.kmssecrets.check.CheckReportFormat.values()) {
            texts.append(format.render(report));
        }
        texts.append(store);

        assertThat(texts.toString()).contains("apps/netbox").doesNotContain(VALUE).doesNotContain(TOKEN);
    }

    // ---- pinned versions --------------------------------------------------------------------------------------

    @Test
    void fetchOfAPinnedVersionThatDoesNotExistNamesIt() {
        vault.put("secret", "apps/netbox", Map.of("password", VALUE));

        assertThatThrownBy(() -> store().fetch(ref("vault:apps/netbox@7")))
                .isInstanceOf(SecretNotFoundException.class)
                .hasMessageStartingWith("store 'vault', secret 'apps/netbox': version 7 does not exist");
    }
}
