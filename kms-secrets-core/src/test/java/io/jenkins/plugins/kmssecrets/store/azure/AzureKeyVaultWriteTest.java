package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.SecretNotFoundException;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.SecretWriter;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.WriteOptions;
import io.jenkins.plugins.kmssecrets.store.WrittenVersion;
import io.jenkins.plugins.kmssecrets.store.cache.CachingSecretStore;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer.Operation;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeSecretVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writing new versions through the real SecretClient (SetSecret, UpdateSecret) against the fake vault. */
class AzureKeyVaultWriteTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SENTINEL = "SENTINEL-new-value-7f3a9c";

    private FakeKeyVaultServer fake;
    private SecretStore store;
    private SecretWriter writer;

    @BeforeEach
    void start() {
        fake = FakeKeyVaultServer.start();
        StoreContext context = new StoreContext(Map.of(), Path.of("."), Clock.systemUTC());
        store = new AzureKeyVaultStoreProvider(fake.transport()).create(fake.definition("akv", Map.of()), context);
        writer = SecretWriter.of(store);
    }

    @AfterEach
    void stop() {
        store.close();
        fake.close();
    }

    private static SecretReference ref(String text) {
        return SecretReference.parse(text);
    }

    private WrittenVersion write(String reference, String value, boolean disablePrevious) {
        try (SecretValue secret = SecretValue.ofString(value)) {
            return writer.write(ref(reference), secret, new WriteOptions(disablePrevious));
        }
    }

    @Test
    void writesExactlyOneNewVersionKeepingTagsAndContentType() {
        fake.put("db", FakeSecretVersion.of("aaa1", "old-value", T0).withTags(Map.of("app", "netbox"))
                .withContentType("text/plain"));
        fake.put("other", "untouched", T0);

        WrittenVersion written = write("akv:db", SENTINEL, false);

        List<FakeSecretVersion> versions = fake.versionsOf("db");
        assertThat(versions).hasSize(2);
        assertThat(written.previousVersion()).isEqualTo("aaa1");
        assertThat(written.newVersion()).isEqualTo(versions.get(1).version());
        assertThat(versions.get(1).value()).isEqualTo(SENTINEL);
        assertThat(versions.get(1).tags()).containsEntry("app", "netbox");
        assertThat(versions.get(1).contentType()).isEqualTo("text/plain");
        assertThat(versions.get(0).value()).isEqualTo("old-value");
        assertThat(versions.get(0).enabled()).isTrue();
        assertThat(fake.versionsOf("other")).hasSize(1);
        assertThat(fake.count(Operation.SET_SECRET)).isEqualTo(1);
        assertThat(fake.count(Operation.UPDATE_SECRET)).isZero();
        try (SecretValue current = store.fetch(ref("akv:db"))) {
            assertThat(current.asString()).isEqualTo(SENTINEL);
        }
        assertThat(written.toString()).doesNotContain(SENTINEL);
    }

    @Test
    void aPropertyIsReplacedAndEveryOtherPropertyKept() {
        fake.put("db", FakeSecretVersion.of("aaa1",
                "{\"username\":\"netbox\",\"password\":\"old\",\"port\":5432,\"ratio\":0.10,\"pool\":{\"max\":5}}",
                T0));

        write("akv:db#password", SENTINEL, false);

        assertThat(fake.versionsOf("db").get(1).value()).isEqualTo("{\"username\":\"netbox\",\"password\":\""
                + SENTINEL + "\",\"port\":5432,\"ratio\":0.10,\"pool\":{\"max\":5}}");
    }

    @Test
    void disablePreviousDisablesTheVersionThatWasCurrent() {
        fake.put("db", FakeSecretVersion.of("aaa1", "old-value", T0));

        WrittenVersion written = write("akv:db", SENTINEL, true);

        assertThat(written.previousDisabled()).isTrue();
        assertThat(fake.versionsOf("db").get(0).enabled()).isFalse();
        assertThat(fake.versionsOf("db").get(0).value()).isEqualTo("old-value");
        assertThat(fake.versionsOf("db").get(1).enabled()).isTrue();
        assertThat(fake.count(Operation.UPDATE_SECRET)).isEqualTo(1);
    }

    @Test
    void rollbackWritesTheOldValueAsANewVersion() {
        fake.put("db", FakeSecretVersion.of("aaa1", "first-value", T0));
        write("akv:db", SENTINEL, false);

        WrittenVersion back = writer.rollback(ref("akv:db"), "aaa1", WriteOptions.DEFAULT);

        List<FakeSecretVersion> versions = fake.versionsOf("db");
        assertThat(versions).hasSize(3);
        assertThat(versions.get(2).value()).isEqualTo("first-value");
        assertThat(back.previousVersion()).isEqualTo(versions.get(1).version());
        assertThat(back.newVersion()).isEqualTo(versions.get(2).version());
        assertThat(back.rolledBackFrom()).isEqualTo("aaa1");
    }

    @Test
    void aMissingSecretIsNotCreated() {
        SecretNotFoundException e;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            e = catchThrowableOfType(SecretNotFoundException.class,
                    () -> writer.write(ref("akv:nope"), value, WriteOptions.DEFAULT));
        }
        assertThat(e.getMessage()).contains("nope").doesNotContain(SENTINEL);
        assertThat(fake.count(Operation.SET_SECRET)).isZero();
    }

    @Test
    void aMissingPropertyIsRefusedWithoutEchoingEitherValue() {
        fake.put("db", FakeSecretVersion.of("aaa1", "{\"username\":\"netbox-user-value\"}", T0));

        SecretNotFoundException e;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            e = catchThrowableOfType(SecretNotFoundException.class,
                    () -> writer.write(ref("akv:db#password"), value, WriteOptions.DEFAULT));
        }
        assertThat(e.getMessage()).contains("password").doesNotContain(SENTINEL).doesNotContain("netbox-user-value");
        assertThat(fake.versionsOf("db")).hasSize(1);
    }

    @Test
    void anIdentityWithoutSetIsDeniedNamingThePermission() {
        fake.put("db", FakeSecretVersion.of("aaa1", "old-value", T0));
        fake.denyAll(true);

        AccessDeniedException e;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            e = catchThrowableOfType(AccessDeniedException.class,
                    () -> writer.write(ref("akv:db"), value, WriteOptions.DEFAULT));
        }
        assertThat(e.getMessage()).doesNotContain(SENTINEL);
    }

    @Test
    void aThrottledWriteIsRetriedButAFailedOneThatMayHaveBeenAppliedIsNot() {
        fake.put("db", FakeSecretVersion.of("aaa1", "old-value", T0));
        fake.resetCounts();
        fake.failNext(Operation.SET_SECRET, 1, 429);
        write("akv:db", SENTINEL, false);
        assertThat(fake.count(Operation.SET_SECRET)).isEqualTo(2);
        assertThat(fake.versionsOf("db")).hasSize(2);

        fake.resetCounts();
        fake.failNext(Operation.SET_SECRET, 1, 500);
        io.jenkins.plugins.kmssecrets.store.StoreUnavailableException e;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            e = catchThrowableOfType(io.jenkins.plugins.kmssecrets.store.StoreUnavailableException.class,
                    () -> writer.write(ref("akv:db"), value, WriteOptions.DEFAULT));
        }
        assertThat(e.getMessage()).contains("HTTP 500").contains("may have been applied").doesNotContain(SENTINEL);
        assertThat(fake.count(Operation.SET_SECRET)).isEqualTo(1);
    }

    @Test
    void theWriterIsFoundBehindACache() {
        CachingSecretStore cached = CachingSecretStore.withDefaults(store);
        try {
            assertThat(SecretWriter.of(cached)).isSameAs(writer);
        } finally {
            cached.close();
        }
    }
}
