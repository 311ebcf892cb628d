package io.jenkins.plugins.kmssecrets.jenkins.config;

import hudson.model.Executor;
import hudson.model.Queue;
import hudson.model.Run;
import io.jenkins.plugins.kmssecrets.audit.AuditContext;

/**
 * The audit context Jenkins sends to the stores (tool {@code jenkins}): the build, {@code <job full name>#<number>},
 * for steps and for credentials read on behalf of a run; {@code jenkins} for everything else (the credentials list,
 * the health monitor, a "Test connection" button). Never a secret: job names and build numbers only.
 */
public final class BuildAuditContext {

    /** The context of calls made by Jenkins itself, on behalf of no build. */
    public static final String JENKINS = "jenkins";

    private BuildAuditContext() {
    }

    /** {@code <job full name>#<number>} of {@code run}, or {@code jenkins} when there is none. */
    public static AuditContext of(Run<?, ?> run) {
        return AuditContext.of(AuditContext.Tool.JENKINS, run == null ? JENKINS : run.getExternalizableId());
    }

    /** A body that may throw, as step executions do. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws Exception;
    }

    /** {@code body}'s result, computed with {@code run}'s context current on this thread. */
    public static <T> T call(Run<?, ?> run, Body<T> body) throws Exception {
        AuditContext.Scope scope = of(run).open();
        try {
            return body.run();
        } finally {
            scope.close();
        }
    }

    /**
     * The context already current on this thread (a step's); else the build this thread executes (an executor
     * thread of a freestyle build, or of a Pipeline {@code node} block); else {@code jenkins}.
     */
    public static AuditContext forCurrentThread() {
        if (AuditContext.scoped()) {
            return AuditContext.current();
        }
        Executor executor = Executor.currentExecutor();
        Queue.Executable executable = executor == null ? null : executor.getCurrentExecutable();
        for (int depth = 0; executable != null && depth < 8; depth++) {
            if (executable instanceof Run<?, ?> run) {
                return of(run);
            }
            executable = executable.getParentExecutable();
        }
        return of(null);
    }
}
