package io.jenkins.plugins.kmssecrets.store;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The same words for the same network failure, whichever client saw it: every store says {@code connection refused}
 * for a stopped endpoint, although the JDK client reports a {@code ConnectException} whose cause is a
 * {@code ClosedChannelException}, Netty something else, and gRPC wraps them again. Only fixed phrases are returned,
 * never an exception message (which may quote a host or a body).
 *
 * @since 0.2.0
 */
public final class ConnectionFailure {

    /** The phrase for a refused or reset connection (nothing listens, or the endpoint was stopped). */
    public static final String REFUSED = "connection refused";
    /** The phrase for a connect or response timeout whose phase is not known ({@link PhaseTimeoutException}s say
     *  {@code <phase> timed out after <limit> (setting '<name>')}). */
    public static final String TIMED_OUT = "timed out";
    /** The phrase for a host name that does not resolve. */
    public static final String UNKNOWN_HOST = "unknown host";
    /**
     * The phrase for a connection the server closed or reset before the whole answer arrived (a truncated body). One
     * phrase for both: over TLS the same reset reaches the client as either, depending on timing.
     */
    public static final String CLOSED_EARLY = "connection closed or reset by the server";
    /** The phrase for a failed TLS handshake (untrusted certificate, protocol mismatch). */
    public static final String TLS = "TLS handshake failed";

    private ConnectionFailure() {
    }

    /**
     * The phrase for {@code failure} (searched along its causes), or {@code null} when it is not a network failure
     * this class knows: callers then fall back to the exception type.
     */
    public static String phrase(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        // A name that does not resolve, or a limit that was hit, however deep: the JDK client wraps the one in a
        // ConnectException, and a library reading a body cut at its limit may report the stream closed around it.
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return UNKNOWN_HOST;
            }
            if (t instanceof PhaseTimeoutException) {
                return t.getMessage();
            }
        }
        seen.clear();
        // Outermost first: a connect timeout (HttpConnectTimeoutException) wraps a ConnectException, and a refused
        // connection (ConnectException) wraps the ClosedChannelException the JDK client saw.
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            String phrase = direct(t);
            if (phrase != null) {
                return phrase;
            }
        }
        return null;
    }

    /** {@link #phrase(Throwable)}, or the simple name of the innermost cause when no phrase fits. */
    public static String describe(Throwable failure) {
        String phrase = phrase(failure);
        if (phrase != null) {
            return phrase;
        }
        Throwable root = failure;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (root.getCause() != null && seen.add(root)) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    private static String direct(Throwable t) {
        if (t instanceof PhaseTimeoutException phased) {
            return phased.getMessage(); // built from the phase, the limit and the setting only
        }
        if (t instanceof HttpConnectTimeoutException || t instanceof SocketTimeoutException
                || t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return TIMED_OUT;
        }
        if (t instanceof ConnectException || t instanceof NoRouteToHostException
                || t instanceof java.nio.channels.ClosedChannelException) {
            return REFUSED;
        }
        if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
            return UNKNOWN_HOST;
        }
        if (t instanceof SSLHandshakeException || t instanceof SSLException) {
            return TLS;
        }
        String text = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
        // The JDK client's own words for a peer that went away: "connection reset", "closed", "EOF reached while
        // reading", "header parser received no bytes", "broken pipe"; none of them quotes a body.
        if (t instanceof java.io.EOFException || (t instanceof java.io.IOException
                && (text.contains("reset") || text.contains("closed") || text.contains("eof reached")
                        || text.contains("received no bytes") || text.contains("broken pipe")))) {
            return CLOSED_EARLY;
        }
        return null;
    }
}
