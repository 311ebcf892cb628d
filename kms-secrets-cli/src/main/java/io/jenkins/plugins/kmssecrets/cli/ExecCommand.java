package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.manifest.Manifest;
import io.jenkins.plugins.kmssecrets.masking.SecretMasker;
import io.jenkins.plugins.kmssecrets.store.ResolvedSecrets;
import io.jenkins.plugins.kmssecrets.store.StoreSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kms-secrets exec}: run a command with the manifest's secrets in its environment, output masked. */
@Command(name = "exec",
        mixinStandardHelpOptions = true,
        description = {
            "Fetch the manifest's secrets (concurrently across stores), run COMMAND with them as environment "
                    + "variables, and mask every value (and its encoded forms) in the command's stdout and stderr.",
            "Returns COMMAND's exit code; 2 or 3 when secrets could not be fetched (COMMAND is then not run), 127 "
                    + "when COMMAND cannot be started."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kms-secrets exec -- ./deploy.sh",
            "  kms-secrets exec --manifest ci/kms-secrets.yaml --only DB_PASSWORD -- psql -h db.internal",
            "  kms-secrets exec -- sh -c 'echo \"token is $API_TOKEN\"'     # prints: token is ****",
        })
final class ExecCommand implements Callable<Integer> {

    /** The exit code shells use for a command that cannot be found or started. */
    static final int CANNOT_START = 127;


    @ParentCommand
    KmsSecretsCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    ManifestOption manifestOption;

    @Mixin
    SecretsOption secretsOption;

    @Option(names = "--keep-store-credentials",
            description = "Pass the stores' own credential variables (AZURE_CLIENT_SECRET, IDENTITY_HEADER, "
                    + "VAULT_TOKEN, the variables named by *Env settings ...) on to COMMAND. By default they are "
                    + "removed from its environment; their values are masked either way.")
    boolean keepStoreCredentials;

    @Mixin
    GitHubOption github;

    @Option(names = "--output-grace-ms", hidden = true, defaultValue = "5000",
            description = "How long output may keep arriving after COMMAND exited, from processes it left running.")
    long outputGraceMillis;

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "The command and its arguments; put them after '--'. Optional with --github-env.")
    List<String> command;

    @Override
    public Integer call() throws InterruptedException {
        CliContext context = root.context();
        PrintWriter err = spec.commandLine().getErr();
        boolean noCommand = command == null || command.isEmpty();
        if (noCommand && !github.githubEnv) {
            throw new CommandFailedException(ExitCode.INPUT, "missing COMMAND; put it after '--'");
        }
        github.check(context);
        Manifest manifest = root.manifest(manifestOption.path);
        ProcessBuilder builder = new ProcessBuilder(noCommand ? List.of() : command)
                .directory(context.workingDirectory().toFile())
                .redirectInput(ProcessBuilder.Redirect.INHERIT);
        SecretMasker masker;
        try (StoreSet stores = context.stores(manifest);
             ResolvedSecrets secrets = secretsOption.resolve(manifest, stores)) {
            masker = SecretsOption.masker(secrets, manifest, context.environment(), err);
            Map<String, String> environment = builder.environment();
            environment.clear();
            environment.putAll(context.environment());
            if (!keepStoreCredentials) {
                java.util.Set<String> removed = new java.util.TreeSet<>();
                for (String name : CredentialVariables.names(manifest)) {
                    if (environment.remove(name) != null) {
                        removed.add(name);
                    }
                }
                if (!removed.isEmpty()) {
                    err.println("kms-secrets: not passed to the command (store credentials; --keep-store-credentials "
                            + "passes them): " + String.join(", ", removed));
                }
            }
            secrets.values().forEach((name, value) -> environment.put(name,
                    SecretsOption.environmentValue(name, value)));
            github.publish(context, secrets.values(), environment, err);
            if (noCommand) {
                environment.clear();
                return ExitCode.OK;
            }
            err.println("kms-secrets: injected " + String.join(", ", secrets.values().keySet()));
            err.flush();
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandFailedException(CANNOT_START, "cannot run '" + command.get(0) + "' ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            builder.environment().clear();
        }
        Thread destroyOnExit = new Thread(process::destroy, "kms-secrets-exec-shutdown");
        Runtime.getRuntime().addShutdownHook(destroyOnExit);
        try {
            Thread out = pump(process.getInputStream(), masker.wrap(nonClosing(context.stdout())), "stdout");
            Thread errPump = pump(process.getErrorStream(), masker.wrap(nonClosing(context.stderr())), "stderr");
            int exit = process.waitFor();
            out.join(outputGraceMillis);
            errPump.join(outputGraceMillis);
            if (out.isAlive() || errPump.isAlive()) {
                // A background process of the command still holds its stdout or stderr open; waiting for it could
                // take forever. Its further output is dropped (never shown unmasked).
                err.println("kms-secrets: '" + command.get(0) + "' exited with " + exit + " but a process it started "
                        + "still holds its output open; that output is not shown");
                err.flush();
            }
            return exit;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(destroyOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running and will destroy the process
            }
        }
    }

    /** Copies a child stream through the masker, flushing after every read so progress output keeps flowing. */
    static Thread pump(InputStream in, OutputStream masked, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in; masked) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    masked.write(buffer, 0, read);
                    masked.flush();
                }
            } catch (IOException e) {
                // The child closed its end or our output went away; nothing secret to report.
            }
        }, "kms-secrets-exec-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Keeps the process' own stdout/stderr open when a masking stream is closed. */
    static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
