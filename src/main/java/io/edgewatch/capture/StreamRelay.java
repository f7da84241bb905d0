package io.edgewatch.capture;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay between FFmpeg and one RTSP-over-TCP camera, so that the capture watchdog can break a
 * connection that FFmpeg itself would never give up: a server that accepts and never answers, or a stream that
 * stays connected (RTCP and keep-alives flowing) but sends no video. FFmpeg's grabber offers no interrupt hook,
 * and its socket time-out does not fire while RTCP arrives; closing the relay's sockets makes the blocked read
 * return an error at once. The relay connects to the camera first (a refused or unreachable camera fails at once,
 * with the camera's address in the message), then accepts exactly one connection from FFmpeg and copies bytes
 * unchanged in both directions on two virtual threads. RTSP over TCP carries control and media on that one connection, so nothing
 * else is needed. Not used for UDP transport, files or V4L2.
 */
final class StreamRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StreamRelay.class);

    private final ServerSocket server;
    private final String host;
    private final int port;
    private final int connectTimeoutMs;
    private final AtomicLong bytesIn = new AtomicLong();
    private volatile Socket client;
    private volatile Socket upstream;
    private volatile boolean closed;
    private volatile String upstreamError;

    /**
     * @param rtspUrl          the camera URL ({@code rtsp://[user:pass@]host[:port]/path}, port 554 by default)
     * @param connectTimeoutMs time allowed for the TCP connect to the camera, ms
     * @throws IOException naming the camera's address when it cannot be connected, or when no loopback port can
     *                     be opened
     */
    StreamRelay(String rtspUrl, int connectTimeoutMs) throws IOException {
        URI u = parse(rtspUrl);
        if (u.getHost() == null) {
            throw new IllegalArgumentException("RTSP URL has no host: " + CaptureWorker.redact(rtspUrl));
        }
        this.host = u.getHost();
        this.port = u.getPort() > 0 ? u.getPort() : 554;
        this.connectTimeoutMs = connectTimeoutMs;
        // connect to the camera first: a refused or unreachable camera fails here, with its own address in the message
        Socket up = new Socket();
        try {
            up.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            up.setTcpNoDelay(true);
        } catch (IOException e) {
            up.close();
            upstreamError = "cannot connect to " + host + ":" + port + ": " + e.getMessage();
            throw new IOException(upstreamError, e);
        }
        this.upstream = up;
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("relay-accept").start(this::acceptOne);
    }

    /** The URL FFmpeg opens: the camera URL with host and port replaced by the relay's loopback address. */
    String localUrl(String rtspUrl) {
        String encoded = io.edgewatch.util.Redaction.withEncodedUserInfo(rtspUrl);
        URI u = parse(rtspUrl);
        String auth = u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@";
        String rest = encoded.substring(encoded.indexOf(u.getRawAuthority()) + u.getRawAuthority().length());
        return u.getScheme() + "://" + auth + "127.0.0.1:" + server.getLocalPort() + rest;
    }

    /**
     * The camera URL parsed with its user info percent-encoded first, so a password holding '@', '/' or ':' is never
     * taken for the host (which would also put a piece of it into error messages).
     *
     * @throws IllegalArgumentException without the URL's credentials when it cannot be parsed
     */
    private static URI parse(String rtspUrl) {
        try {
            return new URI(io.edgewatch.util.Redaction.withEncodedUserInfo(rtspUrl));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("RTSP URL " + CaptureWorker.redact(rtspUrl) + " cannot be parsed: " + e.getReason()
                    + " at index " + e.getIndex());
        }
    }

    private void acceptOne() {
        try (ServerSocket s = server) {
            Socket c = s.accept();
            client = c;
            Socket up = upstream;
            c.setTcpNoDelay(true);
            if (closed) {
                close();
                return;
            }
            Thread.ofVirtual().name("relay-up").start(() -> pump(c, up, null));
            pump(up, c, bytesIn);
        } catch (IOException e) {
            if (!closed) {
                LOG.debugf("relay to %s:%d: %s", host, port, e.getMessage());
            }
        } finally {
            close();
        }
    }

    private void pump(Socket from, Socket to, AtomicLong counter) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                if (counter != null) {
                    counter.addAndGet(n);
                }
            }
        } catch (IOException e) {
            // a closed side ends the relay
        } finally {
            close();
        }
    }

    /** Why the TCP connection to the camera failed, or null. */
    String upstreamError() {
        return upstreamError;
    }

    /** Bytes received from the camera so far. */
    long bytesIn() {
        return bytesIn.get();
    }

    /** Breaks the connection: FFmpeg's pending read fails at once. Idempotent. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        closeQuietly(client);
        closeQuietly(upstream);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already closed
            }
        }
    }
}
