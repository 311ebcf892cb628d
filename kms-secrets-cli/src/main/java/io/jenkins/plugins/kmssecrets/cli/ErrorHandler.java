package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Turns every failure into one line per problem on stderr and a documented exit code. Messages of the core's
 * exceptions never contain values; anything else is reported by type only, because its message is not ours to
 * vouch for.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        return report(e, commandLine.getErr());
    }

    /**
     * One line per distinct failure: the same cause hitting several secrets of a store (a wrong key, a tampered file,
     * an outage) is printed once, naming every secret it hit.
     */
    private static void printGrouped(List<SecretStoreException> failures, PrintWriter err) {
        Map<List<Object>, List<SecretStoreException>> groups = new LinkedHashMap<>();
        for (SecretStoreException failure : failures) {
            groups.computeIfAbsent(Arrays.asList(failure.getClass(), failure.storeId(), failure.detail()),
                    key -> new ArrayList<>()).add(failure);
        }
        for (List<SecretStoreException> group : groups.values()) {
            SecretStoreException first = group.get(0);
            if (group.size() == 1 || first.storeId() == null) {
                err.println("error: " + first.getMessage());
                continue;
            }
            String secrets = group.stream().map(SecretStoreException::secretName).filter(Objects::nonNull)
                    .map(name -> "'" + name + "'").collect(Collectors.joining(", "));
            err.println("error: store '" + first.storeId() + "', secrets " + secrets + ": " + first.detail());
        }
    }

    /** Prints {@code e} and returns its exit code. */
    static int report(Throwable e, PrintWriter err) {
        if (e instanceof ProblemsException problems) {
            for (Problem problem : problems.problems()) {
                err.println("error: " + problem);
            }
            err.flush();
            return ExitCode.INPUT;
        }
        if (e instanceof SecretStoreException store) {
            List<SecretStoreException> all = new ArrayList<>();
            all.add(store);
            for (Throwable suppressed : store.getSuppressed()) {
                if (suppressed instanceof SecretStoreException more) {
                    all.add(more);
                }
            }
            printGrouped(all, err);
            err.flush();
            return store instanceof InvalidInputException || store instanceof MisconfiguredException
                    ? ExitCode.INPUT : ExitCode.STORE;
        }
        if (e instanceof CommandFailedException failed) {
            err.println("error: " + failed.getMessage());
            err.flush();
            return failed.exitCode();
        }
        err.println("error: unexpected " + e.getClass().getName() + "; run with KMS_SECRETS_DEBUG=1 for details");
        if (System.getenv("KMS_SECRETS_DEBUG") != null) {
            // Stack traces print frames and exception types; values never reach our exception messages.
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCode.FAILED;
    }
}
