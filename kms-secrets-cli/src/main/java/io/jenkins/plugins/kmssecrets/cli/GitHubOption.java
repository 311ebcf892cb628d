package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.store.SecretValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code exec}'s GitHub Actions behaviour: runner masking under {@code GITHUB_ACTIONS=true}, and {@code --github-env}. */
final class GitHubOption {

    @Option(names = "--github-env",
            description = "GitHub Actions: also write the variables to the file named by $GITHUB_ENV (heredoc form, a "
                    + "fresh random delimiter per variable), for later steps. Needs GITHUB_ACTIONS=true; COMMAND is "
                    + "then optional.")
    boolean githubEnv;

    /** Refuses {@code --github-env} outside a runner, before anything is fetched. */
    void check(CliContext context) {
        if (!githubEnv) {
            return;
        }
        if (!GitHubActions.active(context.environment())) {
            throw new CommandFailedException(ExitCode.INPUT, "--github-env needs GITHUB_ACTIONS=true: the values "
                    + "must be registered with the runner's masking before they are written");
        }
        String file = context.environment().get("GITHUB_ENV");
        if (file == null || file.isBlank()) {
            throw new CommandFailedException(ExitCode.INPUT, "--github-env: GITHUB_ENV is not set");
        }
    }

    /**
     * Under {@code GITHUB_ACTIONS=true}: the {@code ::add-mask::} lines for every value on stdout, then, with
     * {@code --github-env}, the variables appended to {@code $GITHUB_ENV}. Runs before the command starts.
     *
     * @param values      the fetched values, by variable
     * @param environment the command's environment, holding each value as a string
     */
    void publish(CliContext context, Map<String, SecretValue> values, Map<String, String> environment,
                 PrintWriter err) {
        if (!GitHubActions.active(context.environment())) {
            return;
        }
        try {
            GitHubActions.registerMasks(values.values(), context.stdout());
            if (githubEnv) {
                Map<String, String> exported = new LinkedHashMap<>();
                values.keySet().forEach(name -> exported.put(name, environment.get(name)));
                Path file = context.workingDirectory().resolve(context.environment().get("GITHUB_ENV"));
                new GitHubActions().appendEnvironmentFile(file, exported);
                err.println("kms-secrets: wrote " + String.join(", ", exported.keySet()) + " to $GITHUB_ENV");
                err.flush();
            }
        } catch (IOException e) {
            throw new CommandFailedException(ExitCode.FAILED, "cannot register the values with the GitHub Actions "
                    + "runner or write $GITHUB_ENV (" + e.getClass().getSimpleName() + ")");
        }
    }
}
