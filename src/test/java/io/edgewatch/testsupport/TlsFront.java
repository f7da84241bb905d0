package io.edgewatch.testsupport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TLS in front of a plain TCP server, as a camera that speaks RTSPS does: a JDK {@link SSLServerSocket} on a loopback
 * port whose every connection, once its handshake completed, is relayed byte for byte to {@code 127.0.0.1:target}
 * (e.g. the GStreamer {@link RtspServer}). Counts the connections that got past the handshake.
 */
public final class TlsFront implements AutoCloseable {
    private final SSLServerSocket server;
    private final int target;
    private final AtomicInteger relayed = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /** Listens with the certificate of {@code tls}, relaying to port {@code target}. */
    public TlsFront(SSLContext tls, int target) throws IOException {
        this.target = target;
        this.server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tls-front").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                SSLSocket c = (SSLSocket) server.accept();
                Thread.ofVirtual().start(() -> relay(c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void relay(SSLSocket client) {
        open.add(client);
        try {
            client.startHandshake();
            Socket up = new Socket(InetAddress.getLoopbackAddress(), target);
            open.add(up);
            relayed.incrementAndGet();
            Thread.ofVirtual().start(() -> pump(client, up));
            pump(up, client);
        } catch (IOException e) {
            close(client); // a client that refused the certificate: nothing to relay
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections whose TLS handshake completed and were relayed to the target. */
    public int relayed() {
        return relayed.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(TlsFront::close);
    }
}
