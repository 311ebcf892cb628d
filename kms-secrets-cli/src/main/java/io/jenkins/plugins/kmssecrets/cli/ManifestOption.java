package io.jenkins.plugins.kmssecrets.cli;

import picocli.CommandLine.Option;

/** The {@code --manifest} option shared by the commands that read {@code kms-secrets.yaml}. */
final class ManifestOption {

    @Option(names = {"-m", "--manifest"}, paramLabel = "FILE", defaultValue = "${KMS_SECRETS_MANIFEST:-kms-secrets.yaml}",
            description = "The manifest listing stores and secrets (default: ${DEFAULT-VALUE}; "
                    + "environment KMS_SECRETS_MANIFEST).")
    String path;
}
