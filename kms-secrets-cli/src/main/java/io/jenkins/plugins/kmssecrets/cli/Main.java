package io.jenkins.plugins.kmssecrets.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code kms-secrets} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams and returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, CliContext.system());
    }

    /** Runs the command line in the given context (environment, directory, clock, store types). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, CliContext context) {
        CommandLine commandLine = commandLine(context);
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    /** The configured picocli command line. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine commandLine = new CommandLine(new KmsSecretsCommand(context));
        commandLine.setExecutionExceptionHandler(new ErrorHandler(context.environment().containsKey("KMS_SECRETS_DEBUG")));
        commandLine.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("error: " + ex.getMessage());
            cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            cmd.getErr().flush();
            return ExitCode.INPUT;
        });
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // Every store request of the command names the caller (--audit-context) for the providers' audit logs.
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        commandLine.setExecutionStrategy(parsed -> ((KmsSecretsCommand) commandLine.getCommand()).auditContext()
                .call(() -> run.execute(parsed)));
        return commandLine;
    }
}
