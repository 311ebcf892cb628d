package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.audit.AuditContext;
import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code kms-secrets} command; its subcommands are added by {@link Main#commandLine}. */
@Command(name = "kms-secrets",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Use secrets from Azure Key Vault, Google Secret Manager, HashiCorp Vault and SOPS files without ever "
                    + "writing them to Git, CI variables or logs.",
            "",
            "Secrets and stores are declared in kms-secrets.yaml (see docs/manifest.md)."
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

    /** The environment selected with {@code --env} (on any subcommand), or {@code null}. */
    private String environmentName;

    @Option(names = "--env", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "Use the stores of this environment of the manifest (its 'environments' section); default: "
                    + "environment KMS_SECRETS_ENV, else the base stores.")
    void setEnvironmentName(String name) {
        this.environmentName = name;
    }

    /**
     * The environment to use: {@code --env}, else {@code KMS_SECRETS_ENV}, else {@code null} (the base stores).
     *
     * @since 0.2.0
     */
    public String environmentName() {
        if (environmentName != null && !environmentName.isBlank()) {
            return environmentName;
        }
        String fromEnvironment = context.environment().get("KMS_SECRETS_ENV");
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment;
    }

    /**
     * Reads and validates the manifest at {@code path} and selects {@link #environmentName()}.
     *
     * @since 0.2.0
     */
    public Manifest manifest(String path) {
        return context.manifest(path).select(environmentName());
    }

    /** The caller named in the providers' audit logs, or {@code null}. */
    private String auditContext;

    @Option(names = "--audit-context", paramLabel = "TEXT", scope = ScopeType.INHERIT,
            description = "Who is calling, for the stores' audit logs: sent with every request as User-Agent "
                    + "'kms-secrets/<version> (cli; TEXT)' (see docs/audit.md). Never put a secret here. Default: "
                    + "environment KMS_SECRETS_AUDIT_CONTEXT, else user@host.")
    void setAuditContext(String text) {
        this.auditContext = text;
    }

    /**
     * The audit context of this run: {@code --audit-context}, else {@code KMS_SECRETS_AUDIT_CONTEXT}, else
     * {@code user@host}; tool {@code cli}.
     *
     * @since 0.3.0
     */
    public AuditContext auditContext() {
        String text = auditContext;
        if (text == null || text.isBlank()) {
            text = context.environment().get("KMS_SECRETS_AUDIT_CONTEXT");
        }
        if (text == null || text.isBlank()) {
            text = AuditDefaults.userAtHost(context.environment());
        }
        return AuditContext.of(AuditContext.Tool.CLI, text);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
