package io.jenkins.plugins.kmssecrets.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code kms-secrets} command. */
@Command(name = "kms-secrets",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Use secrets from Azure Key Vault, Google Secret Manager, HashiCorp Vault and SOPS files without ever "
                    + "writing them to Git, CI variables or logs.",
            "",
            "Secrets and stores are declared in kms-secrets.yaml (see docs/manifest.md)."
        },
        subcommands = {
            ExecCommand.class,
            MaskCommand.class,
            CheckCommand.class,
            ListCommand.class,
            io.jenkins.plugins.kmssecrets.cli.eso.EsoCommand.class,
            picocli.CommandLine.HelpCommand.class,
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  everything worked, every check passed",
            "  1  a check or the command failed",
            "  2  usage or input error (bad option, manifest, reference, file or key)",
            "  3  a store could not be used (unreachable, sign-in failed, access denied, secret not found)",
            "  exec returns its command's exit code once the command ran.",
        })
public final class KmsSecretsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    private final CliContext context;

    public KmsSecretsCommand(CliContext context) {
        this.context = context;
    }

    /**
     * The surroundings every subcommand works in; public so that subcommands in other packages (eso) reach it.
     *
     * @since 0.1.0
     */
    public CliContext context() {
        return context;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
