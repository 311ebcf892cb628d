package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.check.CheckMode;
import io.jenkins.plugins.kmssecrets.check.CheckReport;
import io.jenkins.plugins.kmssecrets.check.CheckReportFormat;
import io.jenkins.plugins.kmssecrets.check.CheckTarget;
import io.jenkins.plugins.kmssecrets.check.SecretCheck;
import io.jenkins.plugins.kmssecrets.file.AtomicFile;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.reference.SecretReference;
import io.jenkins.plugins.kmssecrets.store.OverallTimeout;
import io.jenkins.plugins.kmssecrets.store.OverallTimeoutException;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kms-secrets check}: the value-free smoke check. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Check that every secret exists, is enabled, has started and has not ended its validity, and that this "
                    + "identity may read it, without reading a single value. Works with an identity that may only "
                    + "list secrets. Where a store cannot tell whether a value is readable without reading it (Azure "
                    + "Key Vault), the READABLE column says 'not verified'.",
            "With --read, each value is also fetched into memory, verified (present, not empty, its #property "
                    + "present and a string), wiped and never printed: the check then proves what exec needs.",
            "Checks the manifest's secrets, or the references given as arguments."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kms-secrets check",
            "  kms-secrets check --format junit --output target/kms-secrets-check.xml",
            "  kms-secrets check --warn-days 14 akv-prod:netbox-db-password akv-prod:jenkins-admin-password",
            "  kms-secrets check --read --format junit --output target/kms-secrets-check.xml",
            "",
            "Exit codes: 0 all ok (warnings allowed unless --fail-on-warning), 1 a check failed, 2 input error."
        })
final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    KmsSecretsCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    ManifestOption manifestOption;

    @Parameters(paramLabel = "REF", arity = "0..*",
            description = "References to check (<storeId>:<name>[@version]); default: every secret in the manifest.")
    List<String> references = List.of();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or junit.")
    ReportFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (atomically) instead of standard output; a one-line summary is "
                    + "still printed.")
    String output;

    @Option(names = "--warn-days", paramLabel = "DAYS", defaultValue = "30",
            description = "Warn when a secret expires within DAYS days (default: ${DEFAULT-VALUE}).")
    int warnDays;

    @Option(names = "--fail-on-warning", description = "Exit 1 when any secret is about to expire.")
    boolean failOnWarning;

    @Option(names = "--read", description = "Also fetch each value into memory and verify it (present, not empty, "
            + "the #property present and a string), then wipe it; nothing of a value is printed. Needs the identity "
            + "exec uses.")
    boolean read;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Most time the checks may take, e.g. 30s; past it the command exits 3 naming what is "
                    + "still pending (default: no overall limit; each request is bounded by its store's limits).")
    String timeout;

    @Override
    public Integer call() throws InterruptedException {
        if (warnDays < 0) {
            throw new CommandFailedException(ExitCode.INPUT, "--warn-days must not be negative");
        }
        CliContext context = root.context();
        Manifest manifest = root.manifest(manifestOption.path);
        List<SecretReference> given = references.stream().map(SecretReference::parse).toList();
        EnvironmentChecks.requireReferences(manifest, given);
        List<CheckTarget> targets = references.isEmpty()
                ? manifest.secrets().stream().map(CheckTarget::of).toList()
                : given.stream().map(CheckTarget::of).toList();
        CheckReport report;
        java.time.Duration limit = timeout == null ? null : DurationOption.parse("--timeout", timeout);
        try (StoreSet stores = context.stores(manifest)) {
            report = OverallTimeout.run(limit, () -> String.join(", ", targets.stream().map(t -> t.label() == null
                    ? String.valueOf(t.reference()) : t.label() + " (" + t.reference() + ")").toList()),
                    ignored -> { }, () -> new SecretCheck(stores, context.clock(), warnDays, 8,
                            read ? CheckMode.READ : CheckMode.METADATA).run(targets));
        } catch (OverallTimeoutException e) {
            throw new CommandFailedException(ExitCode.STORE, e.message("--timeout"));
        }
        String rendered = CheckReportFormat.valueOf(format.name().toUpperCase(Locale.ROOT)).render(report);
        if (format == ReportFormat.table) {
            rendered = EnvironmentHeader.lines(manifest, EnvironmentChecks.storeIds(manifest, given)) + rendered;
        }
        if (output != null) {
            AtomicFile.write(context.workingDirectory().resolve(output), rendered);
            spec.commandLine().getOut().println(report.summary() + " (report written to " + output + ")");
            if (report.readNote() != null) {
                spec.commandLine().getOut().println(report.readNote());
            }
        } else {
            spec.commandLine().getOut().print(rendered);
        }
        spec.commandLine().getOut().flush();
        return report.failed() || (failOnWarning && report.warned()) ? ExitCode.FAILED : ExitCode.OK;
    }
}
