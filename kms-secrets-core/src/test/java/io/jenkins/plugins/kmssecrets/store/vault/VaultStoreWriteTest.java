package io.jenkins.plugins.kmssecrets.store.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.WriteConflictException;
import io.jenkins.plugins.kmssecrets.store.WriteOptions;
import io.jenkins.plugins.kmssecrets.store.WrittenVersion;
import io.jenkins.plugins.kmssecrets.testing.vault.FakeVault;
import io.jenkins.plugins.kmssecrets.testing.vault.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writing new versions to Vault KV 2 (check-and-set) and KV 1 through the real HTTP API of the fake. */
class VaultStoreWriteTest {

    private static final String TOKEN = "hvs.TOKEN-never-shown";
    private static final String SENTINEL = "SENTINEL-new-value-7f3a9c";

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-06-01T00:00:00Z"));
    private FakeVault vault;
    private VaultStore store;

    @BeforeEach
    void start() throws Exception {
        vault = FakeVault.start(clock).mount("secret", 2).mount("kv1", 1);
        vault.token(TOKEN, Duration.ZERO, false, "*:read,list,update");
        store = store("secret", 2);
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private VaultStore store(String mount, int kv) {
        return VaultStore.builder("vault", vault.address(),
                VaultAuth.token(VaultAuth.CredentialSource.literal("token", TOKEN), false))
                .mount(mount).kvVersion(kv).clock(clock).retryDelay(Duration.ofMillis(1)).build();
    }

    private static SecretReference ref(String text) {
        return SecretReference.parse(text);
    }

    @Test
    void writingOneKeyAddsExactlyOneVersionAndKeepsTheOtherKeys() {
        vault.put("secret", "apps/db", Map.of("username", "netbox", "password", "old-pass", "port", 5432));
        vault.put("secret", "apps/other", Map.of("password", "untouched"));

        WrittenVersion written;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            written = store.write(ref("vault:apps/db#password"), value, WriteOptions.DEFAULT);
        }

        assertThat(written.previousVersion()).isEqualTo("1");
        assertThat(written.newVersion()).isEqualTo("2");
        assertThat(vault.versionCount("secret", "apps/db")).isEqualTo(2);
        assertThat(vault.data("secret", "apps/db", 2).path("password").asText()).isEqualTo(SENTINEL);
        assertThat(vault.data("secret", "apps/db", 2).path("username").asText()).isEqualTo("netbox");
        assertThat(vault.data("secret", "apps/db", 2).path("port").isInt()).isTrue();
        assertThat(vault.data("secret", "apps/db", 1).path("password").asText()).isEqualTo("old-pass");
        assertThat(vault.versionCount("secret", "apps/other")).isEqualTo(1);
        assertThat(written.toString()).doesNotContain(SENTINEL);
    }

    @Test
    void writingTheWholeSecretTakesAJsonObject() {
        vault.put("secret", "apps/db", Map.of("password", "old-pass"));

        try (SecretValue value = SecretValue.ofString("{\"password\":\"" + SENTINEL + "\",\"user\":\"u\"}")) {
            store.write(ref("vault:apps/db"), value, WriteOptions.DEFAULT);
        }

        assertThat(vault.data("secret", "apps/db", 2).path("password").asText()).isEqualTo(SENTINEL);
        assertThat(vault.data("secret", "apps/db", 2).path("user").asText()).isEqualTo("u");
    }

    @Test
    void aValueThatIsNotAJsonObjectIsRefusedWithoutEchoingIt() {
        vault.put("secret", "apps/db", Map.of("password", "old-pass"));

        InvalidInputException e;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            e = catchThrowableOfType(InvalidInputException.class,
                    () -> store.write(ref("vault:apps/db"), value, WriteOptions.DEFAULT));
        }

        assertThat(e.getMessage()).contains("JSON object").doesNotContain(SENTINEL);
        assertThat(vault.versionCount("secret", "apps/db")).isEqualTo(1);
    }

    @Test
    void aConcurrentWriterIsAClearConflictAndNothingIsWritten() {
        vault.put("secret", "apps/db", Map.of("password", "old-pass"));
        vault.beforeNextWrite(() -> vault.put("secret", "apps/db", Map.of("password", "someone-else")));

        WriteConflictException e;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            e = catchThrowableOfType(WriteConflictException.class,
                    () -> store.write(ref("vault:apps/db#password"), value, WriteOptions.DEFAULT));
        }

        assertThat(e.getMessage()).contains("changed while it was being written").contains("version 1")
                .doesNotContain(SENTINEL).doesNotContain("someone-else");
        assertThat(vault.versionCount("secret", "apps/db")).isEqualTo(2);
        assertThat(vault.data("secret", "apps/db", 2).path("password").asText()).isEqualTo("someone-else");
    }

    @Test
    void disablePreviousSoftDeletesThePreviousVersion() {
        vault.put("secret", "apps/db", Map.of("password", "old-pass"));

        WrittenVersion written;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            written = store.write(ref("vault:apps/db#password"), value, new WriteOptions(true));
        }

        assertThat(written.previousDisabled()).isTrue();
        assertThat(vault.data("secret", "apps/db", 1)).isNull();
        assertThat(vault.data("secret", "apps/db", 2).path("password").asText()).isEqualTo(SENTINEL);
        assertThat(vault.count(FakeVault.DELETE_VERSIONS)).isEqualTo(1);
    }

    @Test
    void rollbackWritesTheOldValueAsANewVersion() {
        vault.put("secret", "apps/db", Map.of("password", "first-pass", "user", "u"));
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            store.write(ref("vault:apps/db#password"), value, WriteOptions.DEFAULT);
        }

        WrittenVersion back = store.rollback(ref("vault:apps/db#password"), "1", WriteOptions.DEFAULT);

        assertThat(back.previousVersion()).isEqualTo("2");
        assertThat(back.newVersion()).isEqualTo("3");
        assertThat(back.rolledBackFrom()).isEqualTo("1");
        assertThat(vault.data("secret", "apps/db", 3).path("password").asText()).isEqualTo("first-pass");
        assertThat(vault.data("secret", "apps/db", 3).path("user").asText()).isEqualTo("u");
    }

    @Test
    void kvVersion1ReplacesTheValueAndRefusesRollbackAndDisable() {
        VaultStore kv1 = store("kv1", 1);
        vault.put("kv1", "apps/db", Map.of("password", "old-pass", "user", "u"));

        WrittenVersion written;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            written = kv1.write(ref("vault:apps/db#password"), value, WriteOptions.DEFAULT);
        }
        assertThat(written.newVersion()).isNull();
        assertThat(vault.data("kv1", "apps/db", 1).path("password").asText()).isEqualTo(SENTINEL);
        assertThat(vault.data("kv1", "apps/db", 1).path("user").asText()).isEqualTo("u");

        assertThat(kv1.keepsVersions()).isFalse();
        assertThat(catchThrowableOfType(InvalidInputException.class,
                () -> kv1.rollback(ref("vault:apps/db#password"), "1", WriteOptions.DEFAULT)).getMessage())
                .contains("keeps no versions");
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            assertThat(catchThrowableOfType(InvalidInputException.class,
                    () -> kv1.write(ref("vault:apps/db#password"), value, new WriteOptions(true))).getMessage())
                    .contains("no previous version").doesNotContain(SENTINEL);
        }
    }

    @Test
    void aTokenWithoutUpdateIsDeniedNamingTheCapability() {
        vault.put("secret", "apps/db", Map.of("password", "old-pass"));
        vault.token("read-only", Duration.ZERO, false, "*:read,list");
        VaultStore readOnly = VaultStore.builder("vault", vault.address(),
                VaultAuth.token(VaultAuth.CredentialSource.literal("token", "read-only"), false))
                .clock(clock).build();

        SecretStoreException e;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            e = catchThrowableOfType(SecretStoreException.class,
                    () -> readOnly.write(ref("vault:apps/db#password"), value, WriteOptions.DEFAULT));
        }

        assertThat(e.getMessage()).contains("update").doesNotContain(SENTINEL);
        assertThat(vault.versionCount("secret", "apps/db")).isEqualTo(1);
    }
}
