package dev.switchboard.rabbitmq;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on an ephemeral loopback port to a broker, standing for a cluster node: closing it closes
 * its port and every connection through it, as a dying node does. Thread-safe.
 */
final class TcpForwarder implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    TcpForwarder(String host, int port) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("tcp-forwarder-" + port(), this::accept);
    }

    /** The loopback port it listens on. */
    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                sockets.add(client);
                sockets.add(upstream);
                if (server.isClosed()) { // closed while accepting: close() may have missed these two
                    closeQuietly(client);
                    closeQuietly(upstream);
                    return;
                }
                upstream.connect(target, 5_000);
                daemon("tcp-forwarder-up-" + port(), () -> pump(client, upstream));
                daemon("tcp-forwarder-down-" + port(), () -> pump(upstream, client));
            } catch (IOException e) {
                // the server socket was closed, or the broker refused: the client sees its socket close
            }
        }
    }

    /** Copies one direction until either side closes, then closes both. */
    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Closes the port and every connection through it. */
    @Override
    public void close() {
        closeQuietly(server);
        sockets.forEach(TcpForwarder::closeQuietly);
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
