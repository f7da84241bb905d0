package io.edgewatch.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A camera that serves a video file over HTTP(S) for tests: the JDK's {@link HttpsServer} (or {@link HttpServer}
 * without a TLS context) on a loopback port, answering {@code GET /video} with the whole file (200, no ranges), every
 * other path with 404. Keeps the {@code Host} header of every request it answered: a client that refused the
 * certificate never gets that far.
 */
public final class HttpsVideoServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();

    private HttpsVideoServer(HttpServer server, Path file) {
        this.server = server;
        server.createContext("/", ex -> serve(ex, file));
        server.setExecutor(executor);
        server.start();
    }

    /** Serves {@code file} over HTTPS with the certificate of {@code tls}, or over plain HTTP when {@code tls} is null. */
    public static HttpsVideoServer start(SSLContext tls, Path file) throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            return new HttpsVideoServer(HttpServer.create(at, 8), file);
        }
        HttpsServer s = HttpsServer.create(at, 8);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new HttpsVideoServer(s, file);
    }

    private void serve(HttpExchange ex, Path file) throws IOException {
        try (ex) {
            hostHeaders.add(String.valueOf(ex.getRequestHeaders().getFirst("Host")));
            if (!ex.getRequestURI().getPath().equals("/video")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "video/x-msvideo");
            ex.sendResponseHeaders(200, Files.size(file));
            try (InputStream in = Files.newInputStream(file); OutputStream out = ex.getResponseBody()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the client had enough frames and closed the connection
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://<host>:<port>/video} (http:// for a plain server), {@code userInfo} before the host when not null. */
    public String url(String userInfo, String host) {
        return (server instanceof HttpsServer ? "https" : "http") + "://" + (userInfo == null ? "" : userInfo + "@") + host + ":" + port() + "/video";
    }

    /** The Host header of every request answered so far, in order. */
    public List<String> hostHeaders() {
        return List.copyOf(hostHeaders);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
