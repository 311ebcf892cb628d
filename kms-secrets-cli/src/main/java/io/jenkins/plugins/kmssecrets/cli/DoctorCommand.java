package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.doctor.DoctorReport;
import io.jenkins.plugins.kmssecrets.doctor.StoreDoctor;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.store.StoreContext;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kms-secrets doctor}: is this machine ready to use the manifest's stores, and if not, what to run. */
@Command(name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "For each store of the selected environment: how it would sign in and where that comes from (az login, "
                    + "the gcloud ADC file and its type, a Vault token from VAULT_TOKEN, a token helper or "
                    + "~/.vault-token, the age key file), whether the store answers a value-free call (a listing; "
                    + "for SOPS the data key is unwrapped, no value is decrypted), and the command that fixes what "
                    + "is missing. A store whose sign-in is missing is not asked.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kms-secrets doctor",
            "  kms-secrets doctor --env dev",
            "  kms-secrets doctor --format json",
            "",
            "Exit codes: 0 every store signs in and answers, 1 a sign-in is missing or a store did not answer, "
                    + "2 input error (manifest, --env)."
        })
final class DoctorCommand implements Callable<Integer> {

    /** How long {@code az account show} may take. */
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(20);

    @ParentCommand
    KmsSecretsCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    ManifestOption manifestOption;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json.")
    String format;

    @Override
    public Integer call() {
        if (!"table".equals(format) && !"json".equals(format)) {
            throw new CommandFailedException(ExitCode.INPUT, "--format must be table or json, not '" + format + "'");
        }
        CliContext context = root.context();
        if (!Files.exists(context.workingDirectory().resolve(manifestOption.path))) {
            throw new CommandFailedException(ExitCode.INPUT, "no manifest " + manifestOption.path + "; run "
                    + "'kms-secrets init' to start one, or pass --manifest FILE");
        }
        Manifest manifest = root.manifest(manifestOption.path);
        StoreDoctor doctor = new StoreDoctor(context.storeTypes(),
                new StoreContext(context.environment(), manifest.baseDirectory(), context.clock()), TOOL_TIMEOUT);
        DoctorReport report = new DoctorReport(manifest.environmentName(), doctor.diagnose(manifest));
        spec.commandLine().getOut().print("json".equals(format) ? report.json() : report.table());
        spec.commandLine().getOut().flush();
        return report.problems() ? ExitCode.FAILED : ExitCode.OK;
    }
}
