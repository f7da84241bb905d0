package io.edgewatch.capture;

import io.edgewatch.util.Redaction;
import org.jboss.logging.Logger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback relay that makes a camera's TLS connection for FFmpeg, so that the agent, not FFmpeg, checks the
 * certificate ({@link CameraTls}: chain to a trusted CA, validity, host name). FFmpeg opens the plain URL
 * {@link #localUrl()} ({@code rtsps://} becomes {@code rtsp://}, {@code https://} {@code http://} with the camera's
 * {@code Host} header, {@code tls://} {@code tcp://}, all at {@code 127.0.0.1:<port>}); every connection it makes there
 * is carried over a new TLS connection to the camera, checked before one byte is relayed. The first one is made in
 * the constructor, so a refused certificate, a plain (non-TLS) port or an unreachable camera fails there with a
 * message saying why, naming host and port but never the URL's user info. {@link #close()} breaks every connection
 * (FFmpeg's pending read fails at once). Relaying runs on virtual threads.
 */
final class TlsTunnel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TlsTunnel.class);

    private final String cameraId;
    private final CameraTls tls;
    private final String host;
    private final int port;
    private final int timeoutMs;
    private final String localUrl;
    private final String hostHeader;
    private final ServerSocket server;
    private final AtomicReference<SSLSocket> first = new AtomicReference<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Connects to the camera of {@code source} and checks its certificate.
     *
     * @param source    {@code rtsps://[user:pass@]host[:port]/path} (port 322 by default), {@code https://...} (443) or
     *                  {@code tls://host:port}
     * @param timeoutMs time allowed for the TCP connect and for the TLS handshake each, ms
     * @throws IOException              saying why the camera was refused: certificate not trusted, self-signed, expired
     *                                  or for another host, no TLS on the port, connection refused or timed out
     * @throws IllegalArgumentException when the URL cannot be parsed or {@code tls.caFile()} cannot be used (naming its key)
     */
    TlsTunnel(String cameraId, String source, CameraTls tls, int timeoutMs) throws IOException {
        this.cameraId = cameraId;
        this.tls = tls;
        this.timeoutMs = timeoutMs;
        String encoded = Redaction.withEncodedUserInfo(source);
        URI u;
        try {
            u = new URI(encoded);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("URL " + Redaction.url(source) + " cannot be parsed: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (u.getHost() == null) {
            throw new IllegalArgumentException("URL " + Redaction.url(source) + " has no host");
        }
        String plainScheme = switch (scheme) {
            case "rtsps" -> "rtsp";
            case "https" -> "http";
            case "tls" -> "tcp";
            default -> throw new IllegalArgumentException("not a TLS URL: " + Redaction.url(source));
        };
        int defaultPort = switch (scheme) {
            case "rtsps" -> 322;
            case "https" -> 443;
            default -> -1;
        };
        if (u.getPort() < 0 && defaultPort < 0) {
            throw new IllegalArgumentException("URL " + Redaction.url(source) + " needs a port (tls://host:port)");
        }
        this.host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
        this.port = u.getPort() >= 0 ? u.getPort() : defaultPort;
        this.hostHeader = scheme.equals("https") ? u.getHost() + (u.getPort() >= 0 && u.getPort() != 443 ? ":" + u.getPort() : "") : null;
        X509ExtendedTrustManager trust = tls.trustManager(cameraId); // a bad CA file fails before any connection
        first.set(connect(trust));
        try {
            this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            closeQuietly(first.getAndSet(null));
            throw new IOException("no loopback port for the TLS relay: " + e.getMessage(), e);
        }
        String auth = u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@";
        String authority = "://" + u.getRawAuthority();
        String rest = encoded.substring(encoded.indexOf(authority) + authority.length());
        this.localUrl = plainScheme + "://" + auth + "127.0.0.1:" + server.getLocalPort() + rest;
        Thread.ofVirtual().name("tls-accept-" + cameraId).start(() -> acceptLoop(trust));
    }

    /** The plain URL FFmpeg opens instead of the camera's, with the user info of the source. */
    String localUrl() {
        return localUrl;
    }

    /** For {@code https://}: the value of the {@code Host} header FFmpeg must send ({@code host[:port]}); otherwise null. */
    String hostHeader() {
        return hostHeader;
    }

    private void acceptLoop(X509ExtendedTrustManager trust) {
        try (ServerSocket s = server) {
            while (!closed) {
                Socket client = s.accept();
                Thread.ofVirtual().name("tls-conn-" + cameraId).start(() -> serve(client, trust));
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.debugf("camera %s: TLS relay to %s stopped: %s", cameraId, hostPort(), e.getMessage());
            }
        } finally {
            close();
        }
    }

    private void serve(Socket client, X509ExtendedTrustManager trust) {
        open.add(client);
        SSLSocket up = first.getAndSet(null);
        try {
            if (up == null) {
                up = connect(trust); // FFmpeg's next connection (an HTTP range request, a reconnect): checked again
            }
            open.add(up);
            if (closed) {
                return;
            }
            client.setTcpNoDelay(true);
            SSLSocket upstream = up;
            Thread.ofVirtual().name("tls-up-" + cameraId).start(() -> pump(client, upstream));
            pump(upstream, client);
        } catch (IOException e) {
            if (!closed) {
                LOG.warnf("camera %s: %s", cameraId, e.getMessage());
            }
        } finally {
            closeQuietly(client);
            closeQuietly(up);
            open.remove(client);
            if (up != null) {
                open.remove(up);
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // one side closed: the connection ends
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** A new TCP connection to the camera with a completed, checked TLS handshake. */
    private SSLSocket connect(X509ExtendedTrustManager trust) throws IOException {
        Socket raw = new Socket();
        try {
            raw.connect(new InetSocketAddress(host, port), timeoutMs);
        } catch (IOException e) {
            raw.close();
            throw new IOException("cannot connect to " + hostPort() + ": " + e.getMessage(), e);
        }
        Recording recording = new Recording(trust);
        SSLSocket s;
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{recording}, null);
            // the host given here is the one the certificate must name (and the SNI name, unless it is an IP address)
            s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, host, port, true);
        } catch (GeneralSecurityException e) {
            raw.close();
            throw new IOException("TLS set-up failed: " + e.getMessage(), e);
        }
        try {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // host name check of RFC 2818: DNS name or IP address in the SAN
            s.setSSLParameters(p);
            s.setSoTimeout(timeoutMs);
            s.startHandshake();
            s.setSoTimeout(0); // from now on FFmpeg's own read time-out applies (on the loopback side)
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            throw new IOException(explain(e, recording.chain), e);
        }
    }

    /** Why the handshake failed, for people: what is wrong with the certificate, or that the port speaks no TLS. */
    private String explain(IOException e, X509Certificate[] chain) {
        String who = "TLS certificate of " + hostPort();
        X509Certificate leaf = chain != null && chain.length > 0 ? chain[0] : null;
        String expired = chain == null ? null : expiry(chain);
        String trusted = "; trusted: " + tls.trustedDescription(cameraId);
        if (has(e, CertificateExpiredException.class) || has(e, CertificateNotYetValidException.class)) {
            return who + " refused: " + (expired != null ? expired : "outside its validity period");
        }
        CertificateException identity = identityFailure(e);
        if (identity != null && leaf != null) {
            return who + " refused: it is for " + names(leaf) + ", not for " + host;
        }
        if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class) || pkix(e)) {
            String what;
            if (leaf != null && chain.length == 1 && leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                what = "it is self-signed (" + leaf.getSubjectX500Principal().getName() + ") and not trusted";
            } else if (leaf != null) {
                what = "it (" + leaf.getSubjectX500Principal().getName() + ") is not issued by a trusted CA (issuer "
                        + chain[chain.length - 1].getIssuerX500Principal().getName() + ")";
            } else {
                what = "its certificate chain is not trusted";
            }
            return who + " refused: " + what + (expired != null ? ", and " + expired : "") + trusted;
        }
        if (identity != null) {
            return who + " refused: " + identity.getMessage();
        }
        if (has(e, SocketTimeoutException.class)) {
            return "no TLS handshake answer from " + hostPort() + " within " + timeoutMs + " ms (not a TLS port?)";
        }
        String m = String.valueOf(e.getMessage());
        if (e instanceof SSLException && m.contains("Unsupported or unrecognized SSL message")) {
            return hostPort() + " does not speak TLS (a plain, non-TLS port?)";
        }
        if (has(e, EOFException.class) || m.contains("Remote host terminated") || (has(e, SocketException.class) && !(e instanceof SSLException))) {
            return hostPort() + " closed the connection during the TLS handshake (not a TLS port, or TLS refused): " + m;
        }
        return "TLS handshake with " + hostPort() + " failed: " + m;
    }

    /** The first certificate of the chain outside its validity period, said for people; null when all are valid now. */
    private static String expiry(X509Certificate[] chain) {
        long now = System.currentTimeMillis();
        for (X509Certificate c : chain) {
            String subject = c.getSubjectX500Principal().getName();
            if (c.getNotAfter().getTime() < now) {
                return "the certificate " + subject + " expired on " + c.getNotAfter().toInstant();
            }
            if (c.getNotBefore().getTime() > now) {
                return "the certificate " + subject + " is not valid before " + c.getNotBefore().toInstant();
            }
        }
        return null;
    }

    /** The DNS names and IP addresses the certificate is for (its subject alternative names, else its subject). */
    private static String names(X509Certificate c) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2 || type == 7) { // dNSName, iPAddress
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException ignored) {
            // fall back to the subject
        }
        return names.isEmpty() ? c.getSubjectX500Principal().getName() : String.join(", ", names);
    }

    /** The JDK's host name mismatch ("No subject alternative DNS name matching ...", "No name matching ..."), or null. */
    private static CertificateException identityFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException ce && t.getMessage() != null
                    && (t.getMessage().startsWith("No subject alternative") || t.getMessage().startsWith("No name matching"))) {
                return ce;
            }
        }
        return null;
    }

    private static boolean pkix(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("PKIX path")) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private String hostPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Breaks every connection of the tunnel and stops accepting; idempotent, callable from any thread. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        closeQuietly(first.getAndSet(null));
        for (Socket s : open) {
            closeQuietly(s);
        }
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

    /** Delegates every check and keeps the chain the server presented, so that a refusal can say what it was. */
    private static final class Recording extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private volatile X509Certificate[] chain;

        Recording(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            this.chain = chain;
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            this.chain = chain;
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a camera's certificate is only checked with its host name");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("the camera tunnel accepts no TLS clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("the camera tunnel accepts no TLS clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the camera tunnel accepts no TLS clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
