package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.cli.eso.EsoCommand;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** Entry point of the {@code kms-secrets} command. */
public final class Main {

    /** The subcommands, in the order the usage lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(ExecCommand.class, MaskCommand.class, CheckCommand.class,
            ListCommand.class, InitCommand.class, DoctorCommand.class, EsoCommand.class, RotateCommand.class,
            HelpCommand.class);

    private Main() {
    }

    /**
     * The subcommand {@code args} run, when they name one that needs no other ({@code help} and anything unknown
     * need them all: to list them, or to suggest one); {@code null} otherwise. Only {@code --env NAME} may come
     * before it.
     */
    static String subcommandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ("--env".equals(arg)) {
                i++;
            } else if (!arg.startsWith("--env=")) {
                for (Class<?> subcommand : SUBCOMMANDS) {
                    String name = subcommand.getAnnotation(Command.class).name();
                    if (name.equals(arg) && subcommand != HelpCommand.class) {
                        return name;
                    }
                }
                return null;
            }
        }
        return null;
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
        CommandLine commandLine = commandLine(context, subcommandNamed(args));
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    /** The configured picocli command line, with every subcommand. */
    public static CommandLine commandLine(CliContext context) {
        return commandLine(context, null);
    }

    /**
     * The configured command line with only the subcommand {@code only} (all of them when {@code null}): picocli
     * builds each command's model by reflection when it is added, which was about half of a run's start-up.
     */
    static CommandLine commandLine(CliContext context, String only) {
        CommandLine commandLine = new CommandLine(new KmsSecretsCommand(context));
        for (Class<?> subcommand : SUBCOMMANDS) {
            if (only == null || only.equals(subcommand.getAnnotation(Command.class).name())) {
                commandLine.addSubcommand(subcommand);
            }
        }
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
