package io.jenkins.plugins.kmssecrets.cli.eso;

import io.jenkins.plugins.kmssecrets.cli.CliContext;
import io.jenkins.plugins.kmssecrets.cli.KmsSecretsCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
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

    @ParentCommand
    KmsSecretsCommand root;

    /** The CLI's surroundings (environment, working directory, clock, store types), as tests hand them in. */
    CliContext context() {
        return root.context();
    }

    /** The manifest at {@code path}, in the environment selected with {@code --env} or {@code KMS_SECRETS_ENV}. */
    io.jenkins.plugins.kmssecrets.manifest.Manifest manifest(String path) {
        return root.manifest(path);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
