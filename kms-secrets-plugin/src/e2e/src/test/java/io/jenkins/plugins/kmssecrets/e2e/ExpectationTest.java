package io.jenkins.plugins.kmssecrets.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExpectationTest {

    private static final String TEXT = """
            # a comment
            stores: akv vault
            result: failure
            log: E2E-OK a#b
            no-log: E2E-UNEXPECTED   # trailing comment
            log-regex: first \\d+: \\*{4}
            secrets-used: 2
            junit-tests: 3
            junit-failures: 1
            restart-at: E2E-RESTART-NOW
            outage-at: E2E-OUTAGE-NOW
            timeout: 600
            value-reads: 0
            """;

    @Test
    void parsesEveryDirective() {
        Expectation e = Expectation.parse("x.expect", TEXT);
        assertThat(e.stores()).containsExactlyInAnyOrder("akv", "vault");
        assertThat(e.result()).isEqualTo("FAILURE");
        assertThat(e.logContains()).containsExactly("E2E-OK a#b");
        assertThat(e.logLacks()).containsExactly("E2E-UNEXPECTED");
        assertThat(e.logMatches()).hasSize(1);
        assertThat(e.secretsUsed()).isEqualTo(2);
        assertThat(e.junitTests()).isEqualTo(3);
        assertThat(e.junitFailures()).isEqualTo(1);
        assertThat(e.restartAt()).isEqualTo("E2E-RESTART-NOW");
        assertThat(e.outageAt()).isEqualTo("E2E-OUTAGE-NOW");
        assertThat(e.timeoutSeconds()).isEqualTo(600);
        assertThat(e.valueReads()).isZero();
        assertThat(e.valueWrites()).isNull();
    }

    @Test
    void writesAtTheBackendAreComparedWhereCounted() {
        Expectation e = Expectation.parse("x.expect", "result: FAILURE\nvalue-writes: 0\n");
        assertThat(e.valueWrites()).isZero();
        assertThat(e.check(new Expectation.Outcome("FAILURE", "", null, null, null, 0, 0))).isEmpty();
        assertThat(e.check(new Expectation.Outcome("FAILURE", "", null, null, null, 0, 1)))
                .containsExactly("writes at the backend: 1, expected 0");
        // A store type whose backend cannot count writes (SOPS) cannot prove the expectation.
        assertThat(e.check(new Expectation.Outcome("FAILURE", "", null, null, null, null)))
                .containsExactly("writes at the backend: not counted for this store type, expected 0");
        assertThat(Expectation.parse("x.expect", "log: x\n").check(
                new Expectation.Outcome("SUCCESS", "x", null, null, null, 0, 3))).isEmpty();
    }

    @Test
    void anOutageIsDownUnlessSaidSilent() {
        assertThat(Expectation.parse("x.expect", "log: hello\n").outageKind()).isEqualTo("down");
        assertThat(Expectation.parse("x.expect", "outage-at: X\noutage-kind: silent\n").outageKind())
                .isEqualTo("silent");
        assertThatThrownBy(() -> Expectation.parse("x.expect", "outage-kind: slow\n"))
                .isInstanceOf(Expectation.SyntaxException.class)
                .hasMessage("x.expect:1: outage-kind must be down or silent");
    }

    @Test
    void defaults() {
        Expectation e = Expectation.parse("x.expect", "log: hello\n");
        assertThat(e.stores()).containsExactlyInAnyOrder("sops", "akv", "gsm", "vault");
        assertThat(e.result()).isEqualTo("SUCCESS");
        assertThat(e.timeoutSeconds()).isEqualTo(300);
        assertThat(e.secretsUsed()).isNull();
    }

    @Test
    void checkListsEveryDifference() {
        Expectation e = Expectation.parse("x.expect", TEXT);
        Expectation.Outcome outcome = new Expectation.Outcome("SUCCESS", "E2E-UNEXPECTED here\nfirst 3: ****\n", 1,
                3, 0, 2);
        assertThat(e.check(outcome)).containsExactly(
                "result SUCCESS, expected FAILURE",
                "console lacks 'E2E-OK a#b'",
                "console contains 'E2E-UNEXPECTED'",
                "secrets used: 1, expected 2",
                "JUnit failures: 0, expected 1",
                "value reads at the backend: 2, expected 0");
    }

    @Test
    void aMatchingOutcomeHasNoProblem() {
        Expectation e = Expectation.parse("x.expect", TEXT);
        Expectation.Outcome outcome = new Expectation.Outcome("FAILURE", "E2E-OK a#b\nfirst 12: ****\n", 2, 3, 1,
                null);
        assertThat(e.check(outcome)).isEmpty();
    }

    @Test
    void errorsNameFileAndLine() {
        assertThatThrownBy(() -> Expectation.parse("p.expect", "log: a\nresult: GREEN\n"))
                .hasMessage("p.expect:2: result must be one of SUCCESS, UNSTABLE, FAILURE, ABORTED");
        assertThatThrownBy(() -> Expectation.parse("p.expect", "stores: akv s3\n"))
                .hasMessage("p.expect:1: unknown store type 's3'; known: sops, akv, gsm, vault");
        assertThatThrownBy(() -> Expectation.parse("p.expect", "\n\nlogs: x\n"))
                .hasMessage("p.expect:3: unknown directive 'logs'");
        assertThatThrownBy(() -> Expectation.parse("p.expect", "log-regex: (\n"))
                .hasMessageStartingWith("p.expect:1: log-regex is not a regular expression");
        assertThatThrownBy(() -> Expectation.parse("p.expect", "junit-tests: -1\n"))
                .hasMessage("p.expect:1: junit-tests must be a whole number >= 0");
        assertThatThrownBy(() -> Expectation.parse("p.expect", "just text\n"))
                .hasMessage("p.expect:1: expected 'directive: value'");
    }

    @Test
    void aConcurrentCaseMayEndWithTheOutageResultWhenItsConsoleSaysSo() {
        Expectation e = Expectation.parse("c.expect", """
                builds: 20
                result: SUCCESS
                log: E2E-OK
                secrets-used: 20
                outage-for: 10
                outage-result: FAILURE
                outage-log-regex: could not fetch [0-9]+ of 20
                no-log: E2E-UNEXPECTED
                reads-per-build-max: 20
                listings-per-ttl: 1
                """);
        assertThat(e.concurrency().builds()).isEqualTo(20);
        assertThat(e.concurrency().outageForSeconds()).isEqualTo(10);
        assertThat(e.concurrency().readsPerBuildMax()).isEqualTo(20);
        assertThat(e.concurrency().listingsPerTtl()).isEqualTo(1);
        assertThat(e.check(new Expectation.Outcome("FAILURE", "could not fetch 3 of 20 secrets", 20, null, null, null)))
                .isEmpty();
        assertThat(e.check(new Expectation.Outcome("FAILURE", "something else", 20, null, null, null)))
                .containsExactly("result FAILURE but the console does not match /could not fetch [0-9]+ of 20/");
        assertThat(e.check(new Expectation.Outcome("FAILURE", "could not fetch 1 of 20 E2E-UNEXPECTED", 20, null,
                null, null))).containsExactly("console contains 'E2E-UNEXPECTED'");
        assertThat(e.check(new Expectation.Outcome("UNSTABLE", "E2E-OK", 20, null, null, null)))
                .containsExactly("result UNSTABLE, expected SUCCESS");
        assertThat(Expectation.parse("d.expect", "log: x\n").concurrency().builds()).isEqualTo(1);
    }
}
