package io.jenkins.plugins.kmssecrets.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TCP proxy on 127.0.0.1 (ephemeral port) between a client and a protocol fake, which injects one network fault
 * into every connection. For HTTPS it terminates TLS itself (with the fake's certificate, or a wrong one) and speaks
 * TLS to the fake, so that faults can be placed inside the HTTP response: after its headers, in its body.
 *
 * <p>Bounded: at most {@value #MAX_THREADS} threads (two per connection; connections beyond are closed at once);
 * {@link #close()} closes every socket and stops every thread.
 */
public final class FaultProxy implements AutoCloseable {

    /** What every connection through the proxy suffers. */
    public enum Fault {
        /** Bytes pass unchanged. */
        NONE,
        /** Nothing listens on {@link #port()}: the connection is refused. */
        REFUSED,
        /** The connection is accepted (TLS: and the handshake completed), then nothing is ever sent back. */
        SILENCE,
        /** The connection is accepted and nothing is ever sent back, not even the TLS handshake. */
        HANDSHAKE_STALL,
        /** The response headers pass, then the body comes one byte per drip interval. */
        DRIP,
        /** The headers and half of the body pass, then the connection is reset (RST). */
        RESET_MID_BODY,
        /** The headers and half of the body pass, then the connection is closed normally (FIN). */
        TRUNCATED_BODY,
        /** TLS only: the proxy presents a certificate the client does not trust. */
        WRONG_CERTIFICATE,
        /** Every request is answered by the proxy with {@link #status(int, String)}; the fake is never asked. */
        STATUS
    }

    static final int MAX_THREADS = 64;
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    private final int upstreamPort;
    private final SSLContext downstreamTls;
    private final SSLContext upstreamTls;
    private final ServerSocket listener;
    private final ThreadPoolExecutor threads;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final int port;
    private final int deadPort;
    private volatile Fault fault = Fault.NONE;
    private volatile Duration dripInterval = Duration.ofSeconds(1);
    private volatile boolean closed;
    private volatile int status = 503;
    private volatile String retryAfter;
    private final AtomicInteger statusLeft = new AtomicInteger();

    private FaultProxy(int upstreamPort, SSLContext downstreamTls, SSLContext upstreamTls) throws IOException {
        this.upstreamPort = upstreamPort;
        this.downstreamTls = downstreamTls;
        this.upstreamTls = upstreamTls;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = listener.getLocalPort();
        try (ServerSocket reserved = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.deadPort = reserved.getLocalPort(); // closed at once: nothing listens there
        }
        this.threads = new ThreadPoolExecutor(0, MAX_THREADS, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        });
        Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy for a plain HTTP fake on {@code upstreamPort} of 127.0.0.1. */
    public static FaultProxy plain(int upstreamPort) {
        return start(upstreamPort, null, null);
    }

    /**
     * A proxy for an HTTPS fake: clients see {@code serverTls}'s certificate, the proxy trusts the fake with
     * {@code clientTls}.
     */
    public static FaultProxy tls(int upstreamPort, SSLContext serverTls, SSLContext clientTls) {
        return start(upstreamPort, serverTls, clientTls);
    }

    private static FaultProxy start(int upstreamPort, SSLContext down, SSLContext up) {
        try {
            if (down != null) {
                WrongCertificate.context(); // made before any client waits on a handshake
            }
            return new FaultProxy(upstreamPort, down, up);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the fault proxy", e);
        }
    }

    /**
     * Sets the fault of the connections accepted from now on, and closes the open ones (a client's pooled
     * connection would otherwise carry on without the fault).
     */
    public FaultProxy fault(Fault fault) {
        this.fault = fault;
        open.forEach(FaultProxy::close);
        open.clear();
        return this;
    }

    /**
     * Under {@link Fault#STATUS}: the answer to the next {@code times} connections (one request each, then closed);
     * later ones pass. {@code retryAfter} is sent as {@code Retry-After} unless {@code null}.
     */
    public FaultProxy status(int code, String retryAfter, int times) {
        this.status = code;
        this.retryAfter = retryAfter;
        this.statusLeft.set(times);
        return fault(Fault.STATUS);
    }

    /** How long {@link Fault#DRIP} waits between bytes (default 1 s). */
    public FaultProxy dripInterval(Duration interval) {
        this.dripInterval = interval;
        return this;
    }

    /** The port clients connect to: under {@link Fault#REFUSED}, a port on which nothing listens. */
    public int port() {
        return fault == Fault.REFUSED ? deadPort : port;
    }

    /** {@code <scheme>://127.0.0.1:<port>/}, with {@link #port()}: set the fault first. */
    public URI uri(String scheme) {
        return URI.create(scheme + "://127.0.0.1:" + port() + "/");
    }

    /**
     * {@code <scheme>://kms-fault.invalid:<port>/}: a name that never resolves ({@code .invalid} is reserved, RFC
     * 2606), for the DNS failure.
     */
    public URI unresolvable(String scheme) {
        return URI.create(scheme + "://kms-fault.invalid:" + port + "/");
    }

    /** Connections accepted so far (under every fault but {@link Fault#REFUSED}). */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            open.add(client);
            try {
                threads.execute(() -> serve(client, fault));
            } catch (RejectedExecutionException e) {
                close(client);
            }
        }
    }

    private void serve(Socket raw, Fault f) {
        Socket upstream = null;
        try {
            if (f == Fault.REFUSED) {
                // A client still holding the proxy's own port (built before the fault) is reset at once.
                reset(raw);
                return;
            }
            if (f == Fault.HANDSHAKE_STALL || (f == Fault.SILENCE && downstreamTls == null)) {
                // Read and drop whatever comes (a ClientHello, a request) until the client gives up.
                drain(raw.getInputStream());
                return;
            }
            Socket client = raw;
            if (downstreamTls != null) {
                SSLContext presented = f == Fault.WRONG_CERTIFICATE ? WrongCertificate.context() : downstreamTls;
                SSLSocket tls = (SSLSocket) presented.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
                tls.setUseClientMode(false);
                open.add(tls);
                tls.startHandshake();
                client = tls;
            }
            if (f == Fault.STATUS && statusLeft.getAndDecrement() > 0) {
                answerStatus(client);
                return;
            }
            if (f == Fault.SILENCE) {
                drain(client.getInputStream());
                return;
            }
            upstream = new Socket();
            open.add(upstream);
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5000);
            if (upstreamTls != null) {
                SSLSocket tls = (SSLSocket) upstreamTls.getSocketFactory().createSocket(upstream, "127.0.0.1",
                        upstreamPort, true);
                open.add(tls);
                tls.startHandshake();
                upstream = tls;
            }
            Socket down = client;
            Socket up = upstream;
            threads.execute(() -> {
                try {
                    pump(down.getInputStream(), up.getOutputStream());
                } catch (IOException e) {
                    // the other direction ends the connection
                } finally {
                    close(up);
                }
            });
            respond(up.getInputStream(), down, f);
        } catch (IOException | RejectedExecutionException e) {
            // the client or the fake went away; both ends are closed below
        } finally {
            if (f != Fault.RESET_MID_BODY) {
                close(raw);
            }
            if (upstream != null) {
                close(upstream);
            }
        }
    }

    /** Copies the fake's answers to the client, applying the body fault to the first response. */
    private void respond(InputStream from, Socket client, Fault f) throws IOException {
        OutputStream to = client.getOutputStream();
        if (f == Fault.NONE || f == Fault.WRONG_CERTIFICATE) {
            pump(from, to);
            return;
        }
        byte[] head = readHead(from);
        if (head == null) {
            return;
        }
        to.write(head);
        to.flush();
        Matcher m = CONTENT_LENGTH.matcher(new String(head, StandardCharsets.ISO_8859_1));
        int length = m.find() ? Integer.parseInt(m.group(1)) : 16;
        int half = Math.max(1, length / 2);
        switch (f) {
            case DRIP -> {
                int b;
                while ((b = from.read()) != -1 && !closed) {
                    sleep(dripInterval);
                    to.write(b);
                    to.flush();
                }
            }
            case RESET_MID_BODY, TRUNCATED_BODY -> {
                byte[] part = from.readNBytes(half);
                to.write(part);
                to.flush();
                if (f == Fault.RESET_MID_BODY) {
                    reset(client);
                } else {
                    client.close();
                }
            }
            default -> pump(from, to);
        }
    }

    /** Reads one request (head and declared body) and answers it with the configured status. */
    private void answerStatus(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        byte[] head = readHead(in);
        if (head == null) {
            return;
        }
        Matcher m = CONTENT_LENGTH.matcher(new String(head, StandardCharsets.ISO_8859_1));
        if (m.find()) {
            in.readNBytes(Integer.parseInt(m.group(1)));
        }
        String body = "{\"error\":\"injected " + status + "\"}";
        String answer = "HTTP/1.1 " + status + " Injected\r\n"
                + (retryAfter == null ? "" : "Retry-After: " + retryAfter + "\r\n")
                + "Content-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
        OutputStream out = client.getOutputStream();
        out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The status line and headers, up to and including the empty line; {@code null} at end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
            if (head.size() > 64 * 1024) {
                throw new IOException("response head too long");
            }
        }
        return null;
    }

    private static void pump(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        while (in.read(buffer) != -1) {
            // dropped
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        close(socket);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        open.forEach(FaultProxy::close);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + port + " -> " + upstreamPort + ", " + fault.name().toLowerCase(Locale.ROOT) + "]";
    }

    /** A self-signed certificate for 127.0.0.1 that no test client trusts, made once per JVM with keytool. */
    private static final class WrongCertificate {

        private static SSLContext context;

        static synchronized SSLContext context() throws IOException {
            if (context == null) {
                context = generate();
            }
            return context;
        }

        private static SSLContext generate() throws IOException {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("kms-wrong-tls");
            java.nio.file.Path keystore = dir.resolve("wrong.p12");
            char[] password = "wrong-keystore".toCharArray();
            try {
                Process process = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin",
                        "keytool").toString(), "-genkeypair", "-alias", "wrong", "-keyalg", "EC", "-groupname",
                        "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,dns:localhost",
                        "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                        "-storepass", new String(password), "-keypass", new String(password))
                        .redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IOException("keytool failed");
                }
                java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
                try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
                    keys.load(in, password);
                }
                javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(kmf.getKeyManagers(), null, null);
                return tls;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot load the wrong certificate", e);
            } finally {
                java.nio.file.Files.deleteIfExists(keystore);
                java.nio.file.Files.deleteIfExists(dir);
            }
        }
    }
}
