package io.jenkins.plugins.kmssecrets.testing.akv;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only endpoint that accepts TCP connections on 127.0.0.1 and never answers (a hung server, or a firewall
 * that lets the handshake through). Counts the connections it accepted.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SilentServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    open.add(socket.accept());
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts one on an ephemeral port. */
    public static SilentServer start() {
        try {
            return new SilentServer();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the silent server", e);
        }
    }

    /** {@code https://127.0.0.1:<port>/}. */
    public URI httpsUrl() {
        return URI.create("https://127.0.0.1:" + socket.getLocalPort() + "/");
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a listening socket
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
