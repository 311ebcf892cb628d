package io.jenkins.plugins.kmssecrets.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.kmssecrets.jenkins.config.BuildAuditContext;
import io.jenkins.plugins.kmssecrets.store.SecretStoreException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The shape of every step that is not a block: the step class holds its parameters and one engine call
 * ({@link #call(Call)}); this class runs the call off the CPS thread with the plugin's class loader, prints the table
 * the call returns, writes its reports into the workspace (each atomically, never through a symbolic link), and turns
 * its verdict into the step's result: the returned value, an unstable build with a warning on the step, or a failure
 * with one line {@code <step>: <message>}. An engine error ({@link SecretStoreException}) fails the step with its
 * message, which names stores and secrets, never values.
 *
 * @param <T> what the step returns to the script
 */
public abstract class OperationStep<T> extends Step {

    private int timeout = StepTimeout.NONE;

    /**
     * Seconds the step's store and cluster work may take in all ({@code 0}, the default: no overall limit beyond the
     * per-request limits); at the limit the work is cancelled and the step fails naming what is still pending.
     */
    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = StepTimeout.checked(timeout);
    }

    /** The engine call, with what it needs from the build; runs on the controller, reading the workspace remotely. */
    protected abstract Outcome<T> call(Call call) throws Exception;

    @Override
    public final StepExecution start(StepContext context) {
        return new Execution<>(context, this);
    }

    /** How the call went: the value for the script, its table and reports, and the verdict. */
    public static final class Outcome<T> {

        private final T value;
        private String table;
        private final List<String> notes = new ArrayList<>();
        private final Map<String, String> reports = new LinkedHashMap<>();
        private Result verdict = Result.SUCCESS;
        private String message;

        private Outcome(T value) {
            this.value = value;
        }

        /** A successful outcome returning {@code value}. */
        public static <T> Outcome<T> of(T value) {
            return new Outcome<>(value);
        }

        /** Printed first (the engine's rendered table, ending with a newline). */
        public Outcome<T> table(String text) {
            this.table = text;
            return this;
        }

        /** A line printed after the table. */
        public Outcome<T> note(String line) {
            notes.add(line);
            return this;
        }

        /** Writes {@code content} to the workspace file {@code file}; nothing when {@code file} is {@code null}. */
        public Outcome<T> report(String file, String content) {
            if (file != null) {
                reports.put(file, content);
            }
            return this;
        }

        /** Fails the step with {@code why} when {@code failed}. */
        public Outcome<T> failIf(boolean failed, String why) {
            return failed ? verdict(Result.FAILURE, why) : this;
        }

        /** Marks the build unstable (not failing the step) with {@code why} when {@code unstable}. */
        public Outcome<T> unstableIf(boolean unstable, String why) {
            return unstable ? verdict(Result.UNSTABLE, why) : this;
        }

        private Outcome<T> verdict(Result result, String why) {
            if (result.isWorseThan(verdict)) {
                verdict = result;
                message = why;
            }
            return this;
        }
    }

    /** What one call of a step sees of its build. */
    public static final class Call {

        private final StepContext context;
        private final String function;
        private final TaskListener listener;
        private volatile String pending;

        Call(StepContext context, String function) throws IOException, InterruptedException {
            this.context = context;
            this.function = function;
            this.listener = context.get(TaskListener.class);
        }

        /**
         * Names what the step's remote work waits for (secret names and references, ExternalSecret names; never a
         * value), for the message when its {@code timeout} passes.
         */
        public void pending(String names) {
            this.pending = names;
        }

        String pending() {
            return pending == null ? "the step's store and cluster requests" : pending;
        }

        /** The step's function name, which starts every message. */
        public String function() {
            return function;
        }

        public TaskListener listener() {
            return listener;
        }

        public PrintStream log() {
            return listener.getLogger();
        }

        public StepContext context() {
            return context;
        }

        public Run<?, ?> run() throws IOException, InterruptedException {
            return context.get(Run.class);
        }

        /** The workspace; fails the step when it runs outside {@code node}. */
        public FilePath workspace() throws IOException, InterruptedException {
            FilePath workspace = context.get(FilePath.class);
            if (workspace == null) {
                throw abort("needs a workspace; call the step inside node { }");
            }
            return workspace;
        }

        /** The failure {@code <step>: <message>}. */
        public AbortException abort(String message) {
            return new AbortException(StepBindings.prefixed(function, message));
        }

        /**
         * Writes {@code content} to {@code relative} in the workspace: beside the target first, then moved into
         * place, so a reader never sees half a file; refused when the target or a directory on the way is a symbolic
         * link (the workspace comes from the repository, and a link could point the write outside it).
         */
        public void write(String relative, String content) throws IOException, InterruptedException {
            FilePath workspace = workspace();
            FilePath current = workspace;
            for (String part : relative.replace('\\', '/').split("/")) {
                current = current.child(part);
                if (current.readLink() != null) {
                    throw abort("refusing to write through the symbolic link " + relative);
                }
                if (!current.exists()) {
                    break;
                }
            }
            FilePath target = workspace.child(relative);
            FilePath parent = target.getParent();
            parent.mkdirs();
            FilePath temporary = parent.child("." + target.getName() + ".tmp");
            temporary.write(content, StandardCharsets.UTF_8.name());
            // FilePath.renameTo does not replace an existing file; this move does, atomically where it can.
            temporary.act(new ReplaceFile(target.getRemote()));
        }
    }

    /** Moves the file it runs on (on the machine holding the workspace) over {@code target}. */
    private static final class ReplaceFile extends MasterToSlaveFileCallable<Void> {

        private static final long serialVersionUID = 1L;

        private final String target;

        ReplaceFile(String target) {
            this.target = target;
        }

        @Override
        public Void invoke(File file, VirtualChannel channel) throws IOException {
            Path to = new File(target).toPath();
            try {
                Files.move(file.toPath(), to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(file.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
            }
            return null;
        }
    }

    /** Runs {@link #call(Call)} and applies its outcome. */
    static final class Execution<T> extends SynchronousNonBlockingStepExecution<T> {

        private static final long serialVersionUID = 1L;

        /** Not resumed after a restart (a non-blocking step is failed then), so the step need not be serialised. */
        private final transient OperationStep<T> step;

        Execution(StepContext context, OperationStep<T> step) {
            super(context);
            this.step = step;
        }

        @Override
        protected T run() throws Exception {
            Call call = new Call(getContext(), step.getDescriptor().getFunctionName());
            Run<?, ?> run = call.run();
            Outcome<T> outcome;
            try {
                // On a worker: the step's timeout, and an abort of the build, interrupt the store and cluster calls.
                outcome = StepTimeout.call(call.function(), StepTimeout.limit(step.getTimeout()), call::pending,
                        late -> { }, () -> {
                            Thread thread = Thread.currentThread();
                            ClassLoader previous = thread.getContextClassLoader();
                            // Client libraries find their providers through the context class loader
                            // (see PluginClassLoaderScope).
                            thread.setContextClassLoader(OperationStep.class.getClassLoader());
                            try {
                                // The build names every store and cluster request of the step in the audit log.
                                return BuildAuditContext.call(run, () -> step.call(call));
                            } finally {
                                thread.setContextClassLoader(previous);
                            }
                        });
            } catch (SecretStoreException e) {
                throw call.abort(e.getMessage());
            }
            if (outcome.table != null) {
                call.log().print(outcome.table);
            }
            outcome.notes.forEach(call.log()::println);
            for (Map.Entry<String, String> report : outcome.reports.entrySet()) {
                call.write(report.getKey(), report.getValue());
            }
            if (outcome.verdict == Result.FAILURE) {
                throw call.abort(outcome.message);
            }
            if (outcome.verdict == Result.UNSTABLE) {
                call.run().setResult(Result.UNSTABLE);
                FlowNode node = getContext().get(FlowNode.class);
                if (node != null) {
                    node.addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(outcome.message));
                }
            }
            return outcome.value;
        }
    }

    /**
     * The descriptor of such a step: its function name, whether it needs a workspace, and which arguments the
     * Pipeline graph shows (the first that is a string: paths, globs, store ids; never a value).
     */
    public abstract static class OperationDescriptor extends StepDescriptor {

        private final String function;
        private final boolean needsWorkspace;
        private final List<String> shownArguments;

        protected OperationDescriptor(String function, boolean needsWorkspace, String... shownArguments) {
            this.function = function;
            this.needsWorkspace = needsWorkspace;
            this.shownArguments = List.of(shownArguments);
        }

        @Override
        public final String getFunctionName() {
            return function;
        }

        @Override
        public final Set<? extends Class<?>> getRequiredContext() {
            return needsWorkspace ? Set.of(FilePath.class, TaskListener.class, Run.class)
                    : Set.of(TaskListener.class, Run.class);
        }

        @Override
        public final String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            for (String key : shownArguments) {
                String value = StepArguments.string(namedArgs, key);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }

        /** The non-blank lines (or comma-separated items) of a form's text area, trimmed. */
        protected static List<String> lines(String text) {
            List<String> lines = new ArrayList<>();
            for (String line : (text == null ? "" : text).split("[\\r\\n,]+")) {
                if (!line.isBlank()) {
                    lines.add(line.trim());
                }
            }
            return Collections.unmodifiableList(lines);
        }
    }
}
