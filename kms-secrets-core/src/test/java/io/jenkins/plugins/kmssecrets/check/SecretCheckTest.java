package io.jenkins.plugins.kmssecrets.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.ReadAccess;
import io.jenkins.plugins.kmssecrets.store.SecretMetadata;
import io.jenkins.plugins.kmssecrets.store.SecretStore;
import io.jenkins.plugins.kmssecrets.store.SecretValue;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.testing.InMemorySecretStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretCheckTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String VALUE = "value-that-must-never-be-read";

    private final InMemorySecretStore store = new InMemorySecretStore("akv")
            .put("ok", VALUE)
            .put(meta("disabled", false, null, null), VALUE)
            .put(meta("expired", true, null, NOW.minus(Duration.ofDays(2))), VALUE)
            .put(meta("soon", true, null, NOW.plus(Duration.ofDays(10)).plusSeconds(60)), VALUE)
            .put(meta("later", true, null, NOW.plus(Duration.ofDays(90))), VALUE)
            .put(meta("future", true, NOW.plus(Duration.ofDays(1)), null), VALUE);

    private static SecretMetadata meta(String name, boolean enabled, Instant notBefore, Instant expiresOn) {
        return new SecretMetadata("akv", name, "v1", enabled, NOW.minus(Duration.ofDays(100)),
                NOW.minus(Duration.ofDays(5)), notBefore, expiresOn, Map.of(), null);
    }

    private CheckReport check(String... names) {
        SecretCheck check = new SecretCheck(StoreSet.of(store), Clock.fixed(NOW, ZoneOffset.UTC), 30, 4);
        return check.run(java.util.Arrays.stream(names)
                .map(n -> CheckTarget.of(SecretReference.of("akv", n))).toList());
    }

    @Test
    void classifiesEachEntry() {
        CheckReport report = check("ok", "disabled", "expired", "soon", "later", "future", "missing");

        assertThat(report.results()).extracting(r -> r.name() + "=" + r.status() + ":" + r.detail()).containsExactly(
                "ok=OK:null",
                "disabled=FAIL:disabled",
                "expired=FAIL:expired on 2026-11-21T12:00:00Z",
                "soon=WARN:expires in 10 days (warning below 30)",
                "later=OK:null",
                "future=FAIL:not valid before 2026-11-24T12:00:00Z",
                "missing=FAIL:not found");
        assertThat(report.summary()).isEqualTo("7 checked: 2 ok, 1 warning, 4 failed");
        assertThat(report.failed()).isTrue();
    }

    @Test
    void reportsDaysLeftAndVersion() {
        CheckResult soon = check("soon").results().get(0);
        assertThat(soon.daysLeft()).isEqualTo(10L);
        assertThat(soon.version()).isEqualTo("v1");
        assertThat(check("expired").results().get(0).daysLeft()).isEqualTo(-2L);
    }

    @Test
    void checkNeverReadsValues() {
        check("ok", "disabled", "expired", "soon", "later", "future", "missing");
        assertThat(store.valueReads()).isZero();
        assertThat(store.metadataCalls()).isEqualTo(7);
    }

    @Test
    void unknownStoreAndOutagesFailTheEntryNotTheRun() {
        store.failWith(name -> new StoreUnavailableException("akv", name, "HTTP 503 from the vault"));
        SecretCheck check = new SecretCheck(StoreSet.of(store), Clock.fixed(NOW, ZoneOffset.UTC), 30, 4);
        CheckReport report = check.run(List.of(CheckTarget.of(SecretReference.of("akv", "ok")),
                CheckTarget.of(SecretReference.of("nope", "x"))));
        assertThat(report.results()).extracting(CheckResult::detail).containsExactly(
                "store unavailable: store 'akv', secret 'ok': HTTP 503 from the vault",
                "store 'nope': unknown store id; known stores: akv");
    }

    @Test
    void reportsNeverContainValues() {
        CheckReport report = check("ok", "disabled", "soon", "missing");
        for (CheckReportFormat format : CheckReportFormat.values()) {
            assertThat(format.render(report)).as(format.name()).doesNotContain(VALUE).contains("soon");
        }
    }

    @Test
    void aStoreThatCannotBeAskedLeavesTheReadPermissionNotVerified() {
        CheckReport report = check("ok", "missing");
        assertThat(report.results()).extracting(CheckResult::readable)
                .containsExactly(ReadAccess.NOT_VERIFIED, ReadAccess.NOT_VERIFIED);
        assertThat(report.notVerified()).isEqualTo(1);
        assertThat(report.mode()).isEqualTo(CheckMode.METADATA);
        assertThat(store.valueReads()).isZero();
    }

    @Test
    void anIdentityTheStoreSaysMayNotReadFailsTheMetadataCheck() {
        SecretStore answering = new AnsweringStore(store, ReadAccess.NOT_READABLE);
        CheckReport report = new SecretCheck(StoreSet.of(answering), Clock.fixed(NOW, ZoneOffset.UTC), 30, 4)
                .run(List.of(CheckTarget.of(SecretReference.of("akv", "ok"))));
        CheckResult result = report.results().get(0);
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.readable()).isEqualTo(ReadAccess.NOT_READABLE);
        assertThat(result.detail())
                .isEqualTo("not readable: the store's identity may list and describe the secret but not read its value");
        assertThat(store.valueReads()).isZero();
    }

    @Test
    void readModeReadsEachValueOnceWipesItAndKeepsExpiryWarnings() {
        java.util.List<SecretValue> handedOut = new java.util.concurrent.CopyOnWriteArrayList<>();
        SecretStore recording = new AnsweringStore(store, ReadAccess.NOT_VERIFIED) {
            @Override
            public SecretValue fetch(SecretReference reference) {
                SecretValue value = super.fetch(reference);
                handedOut.add(value);
                return value;
            }
        };
        CheckReport report = new SecretCheck(StoreSet.of(recording), Clock.fixed(NOW, ZoneOffset.UTC), 30, 4,
                CheckMode.READ).run(List.of(CheckTarget.of(SecretReference.of("akv", "ok")),
                new CheckTarget("AGAIN", SecretReference.of("akv", "ok")),
                CheckTarget.of(SecretReference.of("akv", "soon")),
                CheckTarget.of(SecretReference.of("akv", "disabled"))));

        assertThat(report.results()).extracting(r -> r.label() + "=" + r.status() + "," + r.readable().label())
                .containsExactly("ok=OK,yes", "AGAIN=OK,yes", "soon=WARN,yes", "disabled=FAIL,not verified");
        assertThat(report.mode()).isEqualTo(CheckMode.READ);
        // "ok" once for both labels, "soon" once, "disabled" not at all (its metadata already failed)
        assertThat(store.valueReads()).isEqualTo(2);
        assertThat(handedOut).hasSize(2).allSatisfy(v -> assertThat(v.isWiped()).isTrue());
        assertThat(report.toString()).doesNotContain(VALUE);
    }

    /** Delegates to a store and answers {@code readAccess} as told. */
    private static class AnsweringStore implements SecretStore {
        private final SecretStore delegate;
        private final ReadAccess answer;

        AnsweringStore(SecretStore delegate, ReadAccess answer) {
            this.delegate = delegate;
            this.answer = answer;
        }

        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public String type() {
            return delegate.type();
        }

        @Override
        public List<SecretMetadata> list() {
            return delegate.list();
        }

        @Override
        public SecretMetadata describe(SecretReference reference) {
            return delegate.describe(reference);
        }

        @Override
        public List<SecretMetadata> versions(String name) {
            return delegate.versions(name);
        }

        @Override
        public SecretValue fetch(SecretReference reference) {
            return delegate.fetch(reference);
        }

        @Override
        public ReadAccess readAccess(SecretReference reference) {
            return answer;
        }
    }
}
