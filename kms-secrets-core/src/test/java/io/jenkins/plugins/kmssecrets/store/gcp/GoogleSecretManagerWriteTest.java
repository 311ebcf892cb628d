package io.jenkins.plugins.kmssecrets.store.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.secretmanager.v1.SecretVersion;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.AccessDeniedException;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.WriteOptions;
import io.jenkins.plugins.kmssecrets.store.WrittenVersion;
import io.jenkins.plugins.kmssecrets.testing.gsm.FakeSecretManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Adding versions through the real Secret Manager client (AddSecretVersion, DisableSecretVersion). */
class GoogleSecretManagerWriteTest {

    private static final String SENTINEL = "SENTINEL-new-value-7f3a9c";

    private FakeSecretManager fake;
    private GoogleSecretManagerStore store;

    @BeforeEach
    void start() throws Exception {
        fake = FakeSecretManager.start("proj-1");
        store = GoogleSecretManagerStore.builder("gsm", "proj-1").endpoint(fake.endpoint())
                .credentials(NoCredentialsProvider.create()).retryDelay(Duration.ofMillis(1)).maxAttempts(3).build();
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
            return store.write(ref(reference), secret, new WriteOptions(disablePrevious));
        }
    }

    private String payload(String id, int version) {
        return new String(fake.payload(id, version), StandardCharsets.UTF_8);
    }

    @Test
    void addsExactlyOneVersion() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "old-value");
        fake.secret("other", Map.of());
        fake.addVersion("other", "untouched");

        WrittenVersion written = write("gsm:db", SENTINEL, false);

        assertThat(written.previousVersion()).isEqualTo("1");
        assertThat(written.newVersion()).isEqualTo("2");
        assertThat(fake.versionStates("db")).containsExactly(Map.entry(1, SecretVersion.State.ENABLED),
                Map.entry(2, SecretVersion.State.ENABLED));
        assertThat(payload("db", 2)).isEqualTo(SENTINEL);
        assertThat(payload("db", 1)).isEqualTo("old-value");
        assertThat(fake.versionStates("other")).hasSize(1);
        assertThat(fake.calls(FakeSecretManager.ADD_SECRET_VERSION)).isEqualTo(1);
        assertThat(fake.calls(FakeSecretManager.DISABLE_SECRET_VERSION)).isZero();
        assertThat(written.toString()).doesNotContain(SENTINEL);
    }

    @Test
    void aPropertyIsReplacedAndEveryOtherPropertyKept() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "{\"user\":\"u\",\"password\":\"old\",\"port\":5432}");

        write("gsm:db#password", SENTINEL, false);

        assertThat(payload("db", 2)).isEqualTo("{\"user\":\"u\",\"password\":\"" + SENTINEL + "\",\"port\":5432}");
    }

    @Test
    void disablePreviousDisablesTheVersionThatWasLatest() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "old-value");

        WrittenVersion written = write("gsm:db", SENTINEL, true);

        assertThat(written.previousDisabled()).isTrue();
        assertThat(fake.versionStates("db")).containsExactly(Map.entry(1, SecretVersion.State.DISABLED),
                Map.entry(2, SecretVersion.State.ENABLED));
    }

    @Test
    void rollbackAddsTheOldValueAsANewVersion() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "first-value");
        write("gsm:db", SENTINEL, false);

        WrittenVersion back = store.rollback(ref("gsm:db"), "1", WriteOptions.DEFAULT);

        assertThat(back.previousVersion()).isEqualTo("2");
        assertThat(back.newVersion()).isEqualTo("3");
        assertThat(back.rolledBackFrom()).isEqualTo("1");
        assertThat(payload("db", 3)).isEqualTo("first-value");
    }

    @Test
    void anAddThatMayHaveBeenAppliedIsNotRetried() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "old-value");
        fake.failNext(FakeSecretManager.ADD_SECRET_VERSION, 503, "UNAVAILABLE", 1);

        io.jenkins.plugins.kmssecrets.store.StoreUnavailableException e;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            e = catchThrowableOfType(io.jenkins.plugins.kmssecrets.store.StoreUnavailableException.class,
                    () -> store.write(ref("gsm:db"), value, WriteOptions.DEFAULT));
        }

        assertThat(e.getMessage()).contains("may have been applied").doesNotContain(SENTINEL);
        assertThat(fake.calls(FakeSecretManager.ADD_SECRET_VERSION)).isEqualTo(1);
        assertThat(fake.versionStates("db")).hasSize(1);
    }

    @Test
    void aQuotaRefusedAddIsRetried() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "old-value");
        fake.failNext(FakeSecretManager.ADD_SECRET_VERSION, 429, "RESOURCE_EXHAUSTED", 1);

        write("gsm:db", SENTINEL, false);

        assertThat(fake.calls(FakeSecretManager.ADD_SECRET_VERSION)).isEqualTo(2);
        assertThat(fake.versionStates("db")).hasSize(2);
    }

    @Test
    void aDeniedAddNamesThePermissionNotTheValue() {
        fake.secret("db", Map.of());
        fake.addVersion("db", "old-value");
        fake.failNext(FakeSecretManager.ADD_SECRET_VERSION, 403, "PERMISSION_DENIED", 1);

        AccessDeniedException e;
        try (SecretValue value = SecretValue.ofString(SENTINEL)) {
            e = catchThrowableOfType(AccessDeniedException.class,
                    () -> store.write(ref("gsm:db"), value, WriteOptions.DEFAULT));
        }

        assertThat(e.getMessage()).contains("secretmanager.versions.add").doesNotContain(SENTINEL);
        assertThat(fake.versionStates("db")).hasSize(1);
    }
}
