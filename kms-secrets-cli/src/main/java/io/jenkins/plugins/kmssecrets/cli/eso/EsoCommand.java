package io.jenkins.plugins.kmssecrets.cli.eso;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kms-secrets eso}: declare, validate and sync External Secrets Operator ExternalSecrets without handling a
 * secret value.
 *
 * @since 0.1.0
 */
@Command(name = "eso",
        mixinStandardHelpOptions = true,
        description = {
            "Declare, validate and sync External Secrets Operator ExternalSecrets (see docs/eso.md).",
            "No command reads a secret value: ESO fetches values inside the cluster."
        },
        subcommands = {EsoDeclareCommand.class, EsoValidateCommand.class, EsoSyncCommand.class})
public final class EsoCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
