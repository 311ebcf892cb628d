package io.jenkins.plugins.kmssecrets.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Who is calling a store, for the provider's own audit log: the tool ({@code cli} or {@code jenkins}), a context
 * ({@code user@host}, or the build {@code job/full/name#42}) and the kms-secrets version, sent with every request as
 * {@code User-Agent: kms-secrets/<version> (<tool>; <context>)}, plus a correlation id (a random UUID per context)
 * where the protocol has a header for it.
 *
 * <p><b>Per call, not per store.</b> Stores are long-lived and shared (a Jenkins store serves every build), so the
 * context is not part of a store. A caller runs its store calls inside {@link #call(Supplier)} (or {@link #open()}),
 * which makes this context {@link #current()} on the calling thread for the duration of the call; each store reads
 * {@link #current()} when it builds a request on that thread. Work handed to other threads carries the context
 * explicitly: {@link io.jenkins.plugins.kmssecrets.store.ConcurrentCalls} captures the caller's context and runs each
 * task inside it ({@link #propagating(Function)}), so two builds resolving through one shared store each label their
 * own requests. There is deliberately no inheritance to new threads: a pool thread never keeps a previous caller's
 * context.
 *
 * <p><b>Never a secret.</b> The context is sent in clear and stored by the provider: it must name a person, host or
 * build, never hold a credential. It is sanitized: control characters, characters outside printable ASCII, and
 * {@code ( ) \ %} are percent-encoded (UTF-8), so it cannot break the header or the User-Agent comment syntax, and it
 * is cut to {@link #MAX_CONTEXT_LENGTH} characters.
 *
 * <p>Immutable; {@link #toString()} is the User-Agent.
 *
 * @since 0.3.0
 */
public final class AuditContext {

    /** The longest context sent, after encoding. */
    public static final int MAX_CONTEXT_LENGTH = 160;

    /** The product token of every User-Agent: {@code kms-secrets/<version>}. */
    public static final String PRODUCT = "kms-secrets/" + Version.VALUE;

    private static final ThreadLocal<AuditContext> CURRENT = new ThreadLocal<>();
    private static final AuditContext UNSCOPED = new AuditContext(Tool.LIBRARY, "unscoped", null);

    /** The program making the calls. */
    public enum Tool {
        /** The {@code kms-secrets} command line. */
        CLI,
        /** The Jenkins plugin (steps and the credentials provider). */
        JENKINS,
        /** Calls made outside any scope (the engine used as a library, or a call path that sets none). */
        LIBRARY;

        /** The name sent on the wire: {@code cli}, {@code jenkins}, {@code library}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Tool tool;
    private final String context;
    private final String correlationId;

    private AuditContext(Tool tool, String context, String correlationId) {
        this.tool = tool;
        this.context = context;
        this.correlationId = correlationId;
    }

    /**
     * A context for {@code tool} described by {@code context} (sanitized; blank becomes {@code unknown}), with a new
     * random correlation id.
     */
    public static AuditContext of(Tool tool, String context) {
        return new AuditContext(Objects.requireNonNull(tool, "tool"), sanitize(context),
                UUID.randomUUID().toString());
    }

    /**
     * The context of the calling thread's current scope, or the unscoped context ({@code library; unscoped}, no
     * correlation id) outside any scope.
     */
    public static AuditContext current() {
        AuditContext current = CURRENT.get();
        return current != null ? current : UNSCOPED;
    }

    /** Whether the calling thread runs inside a scope. */
    public static boolean scoped() {
        return CURRENT.get() != null;
    }

    /** The tool. */
    public Tool tool() {
        return tool;
    }

    /** The sanitized context text. */
    public String context() {
        return context;
    }

    /**
     * The correlation id: a random UUID made with this context, sent where the protocol has a header for it
     * (Azure {@code x-ms-client-request-id}, Vault {@code X-Kms-Secrets-Correlation-Id}) so that a caller who
     * printed it can find its requests; {@code null} for the unscoped context.
     */
    public String correlationId() {
        return correlationId;
    }

    /** {@code kms-secrets/<version> (<tool>; <context>)}. */
    public String userAgent() {
        return PRODUCT + " (" + tool.wireName() + "; " + context + ")";
    }

    /**
     * This context, relabelled for work it caused but that serves others too (a cache refresh in the background):
     * same tool and correlation id, the context followed by {@code  [<what>]}.
     */
    public AuditContext causing(String what) {
        return new AuditContext(tool, sanitize(context + " [" + what + "]"), correlationId);
    }

    /** Runs {@code body} with this context {@link #current()} on the calling thread, restoring the previous one. */
    public <T> T call(Supplier<T> body) {
        Scope scope = open();
        try {
            return body.get();
        } finally {
            scope.close();
        }
    }

    /** Runs {@code body} with this context {@link #current()} on the calling thread, restoring the previous one. */
    public void run(Runnable body) {
        Scope scope = open();
        try {
            body.run();
        } finally {
            scope.close();
        }
    }

    /**
     * Makes this context {@link #current()} on the calling thread until the returned scope is closed (on the same
     * thread), which restores the previous one. Use with try-with-resources.
     */
    public Scope open() {
        AuditContext previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** {@code function} run inside the context that is current now (on the thread that calls this method). */
    public static <T, R> Function<T, R> propagating(Function<T, R> function) {
        AuditContext captured = CURRENT.get();
        if (captured == null) {
            return function;
        }
        return item -> captured.call(() -> function.apply(item));
    }

    /** {@code task} run inside the context that is current now (on the thread that calls this method). */
    public static Runnable propagating(Runnable task) {
        AuditContext captured = CURRENT.get();
        if (captured == null) {
            return task;
        }
        return () -> captured.run(task);
    }

    /** The User-Agent. */
    @Override
    public String toString() {
        return userAgent();
    }

    /** An open scope; closing it restores the context that was current before. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * {@code text} made safe for a header and a User-Agent comment: control characters, non-ASCII and
     * {@code ( ) \ %} percent-encoded as UTF-8, whitespace runs collapsed to one space, trimmed, cut to
     * {@link #MAX_CONTEXT_LENGTH} (never inside an escape); {@code unknown} when nothing is left.
     */
    static String sanitize(String text) {
        if (text == null) {
            return "unknown";
        }
        String collapsed = text.strip().replaceAll("[ \\t\\r\\n\\x0B\\f]+", " ");
        StringBuilder out = new StringBuilder();
        for (byte b : collapsed.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            String piece = c < 0x20 || c >= 0x7f || c == '(' || c == ')' || c == '\\' || c == '%'
                    ? String.format(Locale.ROOT, "%%%02X", c) : String.valueOf((char) c);
            if (out.length() + piece.length() > MAX_CONTEXT_LENGTH) {
                break;
            }
            out.append(piece);
        }
        String result = out.toString().strip();
        return result.isEmpty() ? "unknown" : result;
    }

    /** The build's version, read once from the filtered {@code version.properties}. */
    private static final class Version {
        static final String VALUE = read();

        private static String read() {
            Properties properties = new Properties();
            try (InputStream in = AuditContext.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                return "development";
            }
            String value = properties.getProperty("version", "");
            // Unfiltered (run from an IDE that skipped resource filtering) or odd: no header-breaking characters.
            return value.isBlank() || value.contains("${") || !value.matches("[A-Za-z0-9._+-]{1,40}")
                    ? "development" : value;
        }
    }
}
