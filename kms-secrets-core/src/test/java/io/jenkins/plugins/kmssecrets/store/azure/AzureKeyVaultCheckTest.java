package io.jenkins.plugins.kmssecrets.store.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.check.CheckReport;
import io.jenkins.plugins.kmssecrets.check.CheckReportFormat;
import io.jenkins.plugins.kmssecrets.check.CheckResult;
import io.jenkins.plugins.kmssecrets.check.CheckStatus;
import io.jenkins.plugins.kmssecrets.check.CheckTarget;
import io.jenkins.plugins.kmssecrets.check.SecretCheck;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeKeyVaultServer;
import io.jenkins.plugins.kmssecrets.testing.akv.FakeSecretVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The value-free smoke check against Key Vault: statuses per entry, and not one value read. */
class AzureKeyVaultCheckTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final List<String> VALUES = List.of("ok-value-1a", "soon-value-2b", "off-value-3c",
            "old-value-4d", "future-value-5e");

    private FakeKeyVaultServer fake;
    private StoreSet stores;

    @BeforeEach
    void seed() {
        fake = FakeKeyVaultServer.start().pageSize(2);
        Instant created = NOW.minus(Duration.ofDays(100));
        fake.put("ok", FakeSecretVersion.of("a1", VALUES.get(0), created).expiringOn(NOW.plus(Duration.ofDays(200))))
                .put("soon", FakeSecretVersion.of("b1", VALUES.get(1), created)
                        .expiringOn(NOW.plus(Duration.ofDays(10))))
                .put("off", FakeSecretVersion.of("c1", VALUES.get(2), created).disabled())
                .put("old", FakeSecretVersion.of("d1", VALUES.get(3), created).expiringOn(NOW.minusSeconds(60)))
                .put("future", FakeSecretVersion.of("e1", VALUES.get(4), created)
                        .notBefore(NOW.plus(Duration.ofDays(1))));
        // The check must work for an identity with secrets/list only.
        fake.denyValueReads(true);
        StoreContext context = new StoreContext(Map.of(), Path.of("."), Clock.fixed(NOW, ZoneOffset.UTC));
        stores = StoreSet.create(List.of(fake.definition("akv", Map.of())),
                io.jenkins.plugins.kmssecrets.store.StoreTypes.of(new AzureKeyVaultStoreProvider(fake.transport())),
                context);
    }

    @AfterEach
    void stop() {
        stores.close();
        fake.close();
    }

    private CheckReport check() {
        List<CheckTarget> targets = new java.util.ArrayList<>();
        for (String name : List.of("ok", "soon", "off", "old", "future", "gone")) {
            targets.add(CheckTarget.of(SecretReference.of("akv", name)));
        }
        return new SecretCheck(stores, Clock.fixed(NOW, ZoneOffset.UTC), SecretCheck.DEFAULT_WARN_DAYS, 4)
                .run(targets);
    }

    @Test
    void checkPerformsZeroValueReads() {
        check();
        assertThat(fake.valueReads()).isZero();
        assertThat(fake.count(FakeKeyVaultServer.Operation.LIST_VERSIONS)).isEqualTo(6);
    }

    @Test
    void checkReportsEachEntrysStatus() {
        Map<String, CheckStatus> statuses = new TreeMap<>();
        for (CheckResult result : check().results()) {
            statuses.put(result.name(), result.status());
        }
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of("ok", CheckStatus.OK, "soon",
                CheckStatus.WARN, "off", CheckStatus.FAIL, "old", CheckStatus.FAIL, "future", CheckStatus.FAIL,
                "gone", CheckStatus.FAIL));
    }

    @Test
    void checkReportsCarryTheCurrentVersionAndNoValue() {
        CheckReport report = check();
        assertThat(report.results().get(0).version()).isEqualTo("a1");
        for (CheckReportFormat format : CheckReportFormat.values()) {
            String rendered = format.render(report);
            for (String value : VALUES) {
                assertThat(rendered).as(format.name()).doesNotContain(value);
            }
        }
    }
}
