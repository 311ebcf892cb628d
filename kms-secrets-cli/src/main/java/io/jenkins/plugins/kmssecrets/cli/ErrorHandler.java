package io.jenkins.plugins.kmssecrets.cli;

import io.jenkins.plugins.kmssecrets.problem.Problem;
import io.jenkins.plugins.kmssecrets.problem.ProblemsException;
import io.jenkins.plugins.kmssecrets.store.InvalidInputException;
import io.jenkins.plugins.kmssecrets.store.MisconfiguredException;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import io.jenkins.plugins.kmssecrets.store.UnresolvedSecretsException;
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

    private final boolean debug;

    /** @param debug print exception types and frames (never messages) for unexpected errors */
    ErrorHandler(boolean debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        return report(e, commandLine.getErr(), debug);
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
            if (group.size() == 1 || first.storeId() == null
                    || group.stream().map(SecretStoreException::secretName).anyMatch(Objects::isNull)) {
                err.println("error: " + first.getMessage());
                continue;
            }
            String secrets = group.stream().map(SecretStoreException::secretName).filter(Objects::nonNull)
                    .map(name -> "'" + name + "'").collect(Collectors.joining(", "));
            err.println("error: store '" + first.storeId() + "', secrets " + secrets + ": " + first.detail());
        }
    }

    /**
     * A stack trace without messages: foreign exceptions (the JDK's, a library's) may quote what they were given,
     * and that can be a value, so only exception types and frames are printed.
     */
    static void printTypesAndFrames(Throwable e, PrintWriter err) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            err.println((t == e ? "" : "Caused by: ") + t.getClass().getName());
            for (StackTraceElement frame : t.getStackTrace()) {
                err.println("\tat " + frame);
            }
        }
    }

    /** Configuration and input errors (exit 2): what the user must fix before trying again. */
    private static boolean isInputError(SecretStoreException e) {
        return e instanceof InvalidInputException || e instanceof MisconfiguredException;
    }

    /**
     * Prints {@code e} (with types and frames when {@code debug}) and returns its exit code. Failures of a whole run
     * ({@link UnresolvedSecretsException}) print one line per reason naming every reference it hit; when any of them
     * is a configuration error the exit code is 2, otherwise 3.
     */
    static int report(Throwable e, PrintWriter err, boolean debug) {
        if (e instanceof ProblemsException problems) {
            for (Problem problem : problems.problems()) {
                err.println("error: " + problem);
            }
            err.flush();
            return ExitCode.INPUT;
        }
        if (e instanceof UnresolvedSecretsException unresolved) {
            for (String line : unresolved.lines()) {
                err.println("error: " + line);
            }
            err.flush();
            return unresolved.failures().stream().map(UnresolvedSecretsException.Failure::error)
                    .anyMatch(ErrorHandler::isInputError) ? ExitCode.INPUT : ExitCode.STORE;
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
            return isInputError(store) ? ExitCode.INPUT : ExitCode.STORE;
        }
        if (e instanceof CommandFailedException failed) {
            err.println("error: " + failed.getMessage());
            err.flush();
            return failed.exitCode();
        }
        err.println("error: unexpected " + e.getClass().getName() + "; run with KMS_SECRETS_DEBUG=1 for details");
        if (debug) {
            printTypesAndFrames(e, err);
        }
        err.flush();
        return ExitCode.FAILED;
    }
}
