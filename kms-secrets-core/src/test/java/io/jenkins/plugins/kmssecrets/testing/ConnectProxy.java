package io.jenkins.plugins.kmssecrets.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy on 127.0.0.1 that speaks only {@code CONNECT} (how clients reach an {@code https://} endpoint through
 * a proxy): it records each tunnel's target, then relays bytes both ways. With {@link #requireBasic} it answers 407
 * until a request carries the expected {@code Proxy-Authorization}. Everything else gets 405, so a client that sends a
 * plain request to it fails visibly.
 */
public final class ConnectProxy implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "connect-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<String> targets = new ArrayList<>();
    private final java.util.Set<String> loopbackHosts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile String expectedAuthorization;
    private volatile int challenges;

    private ConnectProxy() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        threads.execute(this::accept);
    }

    /** A proxy on an ephemeral loopback port. */
    public static ConnectProxy start() throws IOException {
        return new ConnectProxy();
    }

    /** Requires {@code Proxy-Authorization: Basic base64(user:password)} on each CONNECT. */
    public ConnectProxy requireBasic(String user, String password) {
        expectedAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * Tunnels to {@code host} go to 127.0.0.1 (the target's port kept), as a proxy whose own resolver maps that name
     * there: for cloud host names that only the client's JVM resolves to the local fakes.
     */
    public ConnectProxy loopback(String host) {
        loopbackHosts.add(host.toLowerCase(Locale.ROOT));
        return this;
    }

    /** The proxy's port. */
    public int port() {
        return server.getLocalPort();
    }

    /** The {@code host:port} of each tunnel opened, in order. */
    public synchronized List<String> connects() {
        return List.copyOf(targets);
    }

    /** How many 407 challenges were sent. */
    public int challenges() {
        return challenges;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                List<String> head = readHead(in);
                if (head.isEmpty()) {
                    return;
                }
                String[] request = head.get(0).split(" ");
                if (request.length < 2 || !"CONNECT".equals(request[0])) {
                    out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                String expected = expectedAuthorization;
                if (expected != null && !head.contains("proxy-authorization: " + expected)) {
                    challenges++;
                    out.write(("HTTP/1.1 407 Proxy Authentication Required\r\n"
                            + "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    continue;
                }
                synchronized (this) {
                    targets.add(request[1]);
                }
                int colon = request[1].lastIndexOf(':');
                String host = request[1].substring(0, colon);
                int port = Integer.parseInt(request[1].substring(colon + 1));
                try (Socket upstream = loopbackHosts.contains(host.toLowerCase(Locale.ROOT))
                        ? new Socket(InetAddress.getLoopbackAddress(), port) : new Socket(host, port)) {
                    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    threads.execute(() -> relay(upstream, client));
                    relay(client, upstream);
                }
                return;
            }
        } catch (IOException | RuntimeException e) {
            // the client went away
        }
    }

    /** The request line as sent, then header lines with lower-case names; empty at end of stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
                line.reset();
                if (text.isEmpty()) {
                    return lines;
                }
                if (lines.isEmpty()) {
                    lines.add(text);
                } else {
                    int colon = text.indexOf(':');
                    lines.add(colon < 0 ? text : text.substring(0, colon).toLowerCase(Locale.ROOT) + ": "
                            + text.substring(colon + 1).trim());
                }
            } else {
                line.write(b);
            }
        }
        return List.of();
    }

    private static void relay(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        threads.shutdownNow();
    }
}
