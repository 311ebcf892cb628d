package io.jenkins.plugins.kmssecrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.StoreUnavailableException;
import io.jenkins.plugins.kmssecrets.store.UnresolvedSecretsException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorHandlerTest {

    private static final String VALUE = "value-quoted-by-a-foreign-exception";

    @Test
    void unexpectedErrorsPrintTheirTypeNeverTheirMessage() {
        StringWriter out = new StringWriter();
        int code = ErrorHandler.report(new IllegalArgumentException("Invalid value: \"" + VALUE + "\""),
                new PrintWriter(out), false);
        assertThat(code).isEqualTo(ExitCode.FAILED);
        assertThat(out.toString()).isEqualTo("error: unexpected java.lang.IllegalArgumentException; run with "
                + "KMS_SECRETS_DEBUG=1 for details\n");
    }

    @Test
    void debugPrintsTypesAndFramesButNoMessages() {
        StringWriter out = new StringWriter();
        ErrorHandler.report(new IllegalStateException("outer " + VALUE, new IllegalArgumentException(VALUE)),
                new PrintWriter(out), true);
        assertThat(out.toString()).contains("java.lang.IllegalStateException\n\tat ")
                .contains("Caused by: java.lang.IllegalArgumentException\n\tat ")
                .contains("ErrorHandlerTest")
                .doesNotContain(VALUE);
    }

    @Test
    void aRunWithAnyConfigurationErrorExitsTwoAndNamesEveryReference() {
        UnresolvedSecretsException e = new UnresolvedSecretsException(List.of(
                new UnresolvedSecretsException.Failure("A", SecretReference.parse("vault:apps/a"),
                        new StoreUnavailableException("vault", "apps/a", "cannot reach Vault")),
                new UnresolvedSecretsException.Failure("B", SecretReference.parse("akv:b"),
                        new MisconfiguredException("akv", null, "the certificate of https://kv is not trusted"))), 3);
        StringWriter out = new StringWriter();
        assertThat(ErrorHandler.report(e, new PrintWriter(out), false)).isEqualTo(ExitCode.INPUT);
        assertThat(out.toString()).isEqualTo("error: store 'vault', secret 'apps/a' (A): cannot reach Vault\n"
                + "error: store 'akv', secret 'b' (B): the certificate of https://kv is not trusted\n");
    }

    @Test
    void aRunOfStoreFailuresOnlyExitsThree() {
        UnresolvedSecretsException e = new UnresolvedSecretsException(List.of(
                new UnresolvedSecretsException.Failure("A", SecretReference.parse("vault:apps/a"),
                        new StoreUnavailableException("vault", null, "cannot reach Vault"))), 1);
        StringWriter out = new StringWriter();
        assertThat(ErrorHandler.report(e, new PrintWriter(out), false)).isEqualTo(ExitCode.STORE);
        assertThat(out.toString()).isEqualTo("error: store 'vault', secret 'apps/a' (A): cannot reach Vault\n");
    }

    @Test
    void storeWideFailuresOutsideARunNeverPrintAnEmptyNameList() {
        StoreUnavailableException first = new StoreUnavailableException("vault", null, "cannot reach Vault");
        first.addSuppressed(new StoreUnavailableException("vault", null, "cannot reach Vault"));
        StringWriter out = new StringWriter();
        ErrorHandler.report(first, new PrintWriter(out), false);
        assertThat(out.toString()).isEqualTo("error: store 'vault': cannot reach Vault\n");
    }
}
