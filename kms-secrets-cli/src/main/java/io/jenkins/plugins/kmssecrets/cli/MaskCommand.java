package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.store.ResolvedSecrets;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kms-secrets mask}: standard input to standard output with the manifest's secrets masked. */
@Command(name = "mask",
        mixinStandardHelpOptions = true,
        description = {
            "Copy standard input to standard output, replacing every value of the manifest's secrets, and its "
                    + "encoded forms (base64, URL, JSON, shell, hex), with ****.",
            "Output is streamed: nothing is held back longer than the longest form needs."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  some-tool --verbose 2>&1 | kms-secrets mask",
            "  kms-secrets mask --only DB_PASSWORD < build.log > build.masked.log",
        })
final class MaskCommand implements Callable<Integer> {

    @ParentCommand
    KmsSecretsCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    ManifestOption manifestOption;

    @Mixin
    SecretsOption secretsOption;

    @Override
    public Integer call() throws IOException {
        CliContext context = root.context();
        Manifest manifest = root.manifest(manifestOption.path);
        SecretMasker masker;
        try (StoreSet stores = context.stores(manifest);
             ResolvedSecrets secrets = secretsOption.resolve(manifest, stores)) {
            masker = SecretsOption.masker(secrets, manifest, context.environment(), spec.commandLine().getErr());
        }
        InputStream in = context.stdin();
        byte[] buffer = new byte[8192];
        try (OutputStream out = masker.wrap(ExecCommand.nonClosing(context.stdout()))) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        }
        return ExitCode.OK;
    }
}
