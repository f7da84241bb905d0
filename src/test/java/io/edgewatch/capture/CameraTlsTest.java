package io.edgewatch.capture;

import io.edgewatch.testsupport.HttpsVideoServer;
import io.edgewatch.testsupport.RtspServer;
import io.edgewatch.testsupport.TestPaths;
import io.edgewatch.testsupport.TestPki;
import io.edgewatch.testsupport.TlsFront;
import org.bytedeco.javacv.FrameGrabber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Camera TLS is certificate-checked (issue 10 item 4), against real TLS servers started here: the JDK's HttpsServer
 * serving vtest.avi, and the GStreamer RTSP server behind a JDK TLS front (RTSPS), with a CA and certificates made by
 * openssl for this run. The credentials of the URL never reach a server whose certificate was refused, and never
 * appear in a message.
 */
class CameraTlsTest {
    private static final String PASSWORD = "Secr3t-pw";
    private static final String USER_INFO = "viewer:" + PASSWORD;

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static HttpsVideoServer good;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir);
        good = HttpsVideoServer.start(pki.issue("camera", "DNS:localhost,IP:127.0.0.1").context(), TestPaths.vtest());
    }

    @AfterAll
    static void stop() {
        if (good != null) {
            good.close();
        }
    }

    private static CameraTls trusting(Path caFile) {
        return new CameraTls(true, Optional.of(caFile));
    }

    private static CaptureSettings settings(String id, String url, CameraTls tls) {
        return new CaptureSettings(id, url, "tcp", 5_000, 5_000, 200, 1_000, 0, 10_000).withTls(tls);
    }

    /** (a) Default configuration, certificate of an unknown CA: refused before any request, with a clear error. */
    @Test
    void unknownCaIsRefusedByDefault() throws Exception {
        CaptureSettings cs = new CaptureSettings("tls-a", good.url(USER_INFO, "127.0.0.1"), "tcp", 5_000, 5_000, 200, 1_000, 0, 10_000);
        assertThat(cs.tls()).isEqualTo(CameraTls.SYSTEM);
        CaptureStats stats = runUntilError(cs);
        assertThat(stats.lastError())
                .startsWith("camera tls-a: cannot read https://***@127.0.0.1:" + good.port() + "/video: TLS certificate of 127.0.0.1:"
                        + good.port() + " refused: it (CN=camera) is not issued by a trusted CA (issuer CN=edgewatch test CA); trusted: the system trust store")
                .doesNotContain(PASSWORD);
        assertThat(stats.framesReceived()).isZero();
        assertThat(stats.state()).isNotEqualTo(CaptureState.FAILED); // a live camera is retried: its certificate may be fixed
        assertThat(good.hostHeaders()).as("no HTTP request (with the credentials) went to the unchecked server").isEmpty();
    }

    /** (b) The same server with ca-file naming the CA: frames decode, and FFmpeg's request carries the camera's host name. */
    @Test
    void caFileTrustsThePrivateCa() throws Exception {
        int before = good.hostHeaders().size();
        try (FfmpegFrameReader r = new FfmpegFrameReader(settings("tls-b", good.url(USER_INFO, "localhost"), trusting(pki.caPem())), 0)) {
            r.open();
            assertThat(r.tunnelled()).isTrue();
            for (int i = 0; i < 10; i++) {
                try (CapturedFrame f = r.next()) {
                    assertThat(f).as("frame %d", i).isNotNull();
                    assertThat(f.width()).isEqualTo(768);
                    assertThat(f.height()).isEqualTo(576);
                }
            }
            assertThat(r.codec()).isEqualTo("msmpeg4");
        }
        assertThat(good.hostHeaders().subList(before, good.hostHeaders().size())).isNotEmpty().allMatch(h -> h.equals("localhost:" + good.port()));
    }

    /** (c) tls-verify=false: FFmpeg connects directly and accepts the certificate; one warning names the camera, not the password. */
    @Test
    void optOutDecodesAndWarnsOnce() throws Exception {
        CaptureSettings cs = settings("tls-c", good.url(USER_INFO, "127.0.0.1"), new CameraTls(false, Optional.empty()));
        CaptureStats stats = new CaptureStats("tls-c");
        List<String> log = io.edgewatch.testsupport.LogCapture.during("io.edgewatch.capture", () -> {
            CaptureWorker w = new CaptureWorker(cs, new LatestFrameSlot(cs.handOff()), stats, 10);
            w.start().join(30_000);
        });
        assertThat(stats.framesReceived()).isEqualTo(10);
        assertThat(stats.lastError()).isNull();
        List<String> warnings = log.stream().filter(l -> l.contains("tls-verify=false")).toList();
        assertThat(warnings).containsExactly("camera tls-c: edgewatch.cameras.tls-c.tls-verify=false: its TLS certificate is not checked,"
                + " anyone on the network path can pose as this camera");
        assertThat(log).noneMatch(l -> l.contains(PASSWORD));
    }

    /** (d) A certificate of the trusted CA for another host name: refused, by IP address and by DNS name alike. */
    @Test
    void otherHostNameIsRefused() throws Exception {
        try (HttpsVideoServer other = HttpsVideoServer.start(pki.issue("other", "DNS:wrong.example").context(), TestPaths.vtest())) {
            for (String host : List.of("127.0.0.1", "localhost")) {
                assertThat(openError(settings("tls-d", other.url(USER_INFO, host), trusting(pki.caPem()))))
                        .isEqualTo("TLS certificate of " + host + ":" + other.port() + " refused: it is for wrong.example, not for " + host);
            }
            assertThat(other.hostHeaders()).isEmpty();
        }
    }

    /** Expired, self-signed (with the CA file, and with the system trust store), a plain HTTP port, a closed port. */
    @Test
    void otherBadServersAreRefusedWithTheirReason() throws Exception {
        TestPki.Server expired = pki.issue("expired", "DNS:localhost,IP:127.0.0.1", Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2020-02-01T00:00:00Z"));
        TestPki.Server self = pki.selfSigned("selfie", "DNS:localhost,IP:127.0.0.1");
        try (HttpsVideoServer exp = HttpsVideoServer.start(expired.context(), TestPaths.vtest());
             HttpsVideoServer selfSigned = HttpsVideoServer.start(self.context(), TestPaths.vtest());
             HttpsVideoServer plain = HttpsVideoServer.start(null, TestPaths.vtest())) {
            assertThat(openError(settings("tls-e", exp.url(USER_INFO, "127.0.0.1"), trusting(pki.caPem()))))
                    .isEqualTo("TLS certificate of 127.0.0.1:" + exp.port() + " refused: the certificate CN=expired expired on 2020-02-01T00:00:00Z");
            assertThat(openError(settings("tls-e", selfSigned.url(USER_INFO, "127.0.0.1"), trusting(pki.caPem()))))
                    .isEqualTo("TLS certificate of 127.0.0.1:" + selfSigned.port() + " refused: it is self-signed (CN=selfie) and not trusted;"
                            + " trusted: edgewatch.cameras.tls-e.ca-file " + pki.caPem());
            assertThat(openError(settings("tls-e", selfSigned.url(USER_INFO, "localhost"), CameraTls.SYSTEM)))
                    .startsWith("TLS certificate of localhost:" + selfSigned.port() + " refused: it is self-signed (CN=selfie) and not trusted;"
                            + " trusted: the system trust store");
            // https:// to a plain HTTP port: the JDK HTTP server usually waits for the end of a request line that never
            // comes; once in CI it answered at once in plain text instead (likely a 400 when the ClientHello's bytes hold a line feed)
            // Either way the refusal names the port as not speaking TLS.
            assertThat(openError(new CaptureSettings("tls-e", "https://" + USER_INFO + "@127.0.0.1:" + plain.port() + "/video", "tcp", 800, 800,
                    200, 1_000, 0, 10_000))).isIn("no TLS handshake answer from 127.0.0.1:" + plain.port() + " within 800 ms (not a TLS port?)",
                    "127.0.0.1:" + plain.port() + " does not speak TLS (a plain, non-TLS port?)");
            int closed = io.edgewatch.testsupport.Mosquitto.freePort();
            assertThat(openError(settings("tls-e", "rtsps://" + USER_INFO + "@127.0.0.1:" + closed + "/stream", CameraTls.SYSTEM)))
                    .startsWith("cannot connect to 127.0.0.1:" + closed + ": Connection refused");
            assertThat(exp.hostHeaders()).isEmpty();
            assertThat(selfSigned.hostHeaders()).isEmpty();
            assertThat(plain.hostHeaders()).isEmpty();
        }
    }

    /** A plain http:// camera that redirects to an https:// URL: FFmpeg may not follow it with its own, unchecked TLS. */
    @Test
    void redirectToHttpsIsNotFollowedUnchecked() throws Exception {
        com.sun.net.httpserver.HttpServer redirect = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        redirect.createContext("/", ex -> {
            ex.getResponseHeaders().set("Location", good.url(null, "127.0.0.1"));
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        redirect.start();
        try {
            int before = good.hostHeaders().size();
            String url = "http://127.0.0.1:" + redirect.getAddress().getPort() + "/video";
            assertThat(openError(settings("tls-r", url, CameraTls.SYSTEM))).contains("Protocol 'tls' on blacklist");
            assertThat(good.hostHeaders()).hasSize(before);
        } finally {
            redirect.stop(0);
        }
    }

    /** RTSPS: the GStreamer RTSP server behind a TLS front; refused without the CA or with another host's certificate, decoded with ca-file. */
    @Test
    void rtspsIsCheckedToo() throws Exception {
        try (RtspServer rtsp = RtspServer.start(TestPaths.vtest());
             TlsFront front = new TlsFront(pki.issue("rtsp-camera", "DNS:localhost,IP:127.0.0.1").context(), rtsp.port());
             TlsFront wrong = new TlsFront(pki.issue("rtsp-other", "DNS:wrong.example").context(), rtsp.port())) {
            String url = "rtsps://" + USER_INFO + "@127.0.0.1:" + front.port() + "/stream";
            assertThat(openError(settings("tls-s", url, CameraTls.SYSTEM)))
                    .startsWith("TLS certificate of 127.0.0.1:" + front.port() + " refused: it (CN=rtsp-camera) is not issued by a trusted CA");
            assertThat(openError(settings("tls-s", "rtsps://" + USER_INFO + "@127.0.0.1:" + wrong.port() + "/stream", trusting(pki.caPem()))))
                    .isEqualTo("TLS certificate of 127.0.0.1:" + wrong.port() + " refused: it is for wrong.example, not for 127.0.0.1");
            // rtsps:// to the server's plain RTSP port: it answers the ClientHello in plain text
            assertThat(openError(settings("tls-s", "rtsps://" + USER_INFO + "@127.0.0.1:" + rtsp.port() + "/stream", trusting(pki.caPem()))))
                    .isEqualTo("127.0.0.1:" + rtsp.port() + " does not speak TLS (a plain, non-TLS port?)");
            assertThat(front.relayed()).isZero();
            assertThat(wrong.relayed()).isZero();
            // udp asked for: RTSPS carries its media inside the TLS connection, so TCP is used all the same
            CaptureSettings cs = new CaptureSettings("tls-s", url, "udp", 10_000, 10_000, 200, 1_000, 0, 10_000).withTls(trusting(pki.caPem()));
            try (FfmpegFrameReader r = new FfmpegFrameReader(cs, 0)) {
                r.open();
                for (int i = 0; i < 5; i++) {
                    try (CapturedFrame f = r.next()) {
                        assertThat(f).as("frame %d", i).isNotNull();
                        assertThat(f.width()).isEqualTo(768);
                        assertThat(f.height()).isEqualTo(576);
                    }
                }
                assertThat(r.codec()).isEqualTo("h264");
            }
            assertThat(front.relayed()).isEqualTo(1);
        }
    }

    /** A ca-file that is missing, or holds no certificate, is refused naming the key and the file; unused with tls-verify=false. */
    @Test
    void badCaFileNamesKeyAndFile() throws Exception {
        assertThatThrownBy(() -> trusting(Path.of("/nonexistent/ca.pem")).check("cam9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("edgewatch.cameras.cam9.ca-file: CA file /nonexistent/ca.pem does not exist");
        Path notPem = Files.writeString(dir.resolve("not-a-cert.pem"), "hello\n");
        assertThatThrownBy(() -> trusting(notPem).check("cam9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("edgewatch.cameras.cam9.ca-file: CA file " + notPem + " holds no");
        new CameraTls(false, Optional.of(Path.of("/nonexistent/ca.pem"))).check("cam9"); // not used, not read
        trusting(pki.caPem()).check("cam9");
        assertThat(openError(settings("cam9", good.url(USER_INFO, "localhost"), trusting(Path.of("/nonexistent/ca.pem")))))
                .isEqualTo("edgewatch.cameras.cam9.ca-file: CA file /nonexistent/ca.pem does not exist");
    }

    @Test
    void tlsSourcesAreRecognised() {
        assertThat(CameraTls.isTlsSource("RTSPS://cam/s")).isTrue();
        assertThat(CameraTls.isTlsSource("https://cam/mjpg")).isTrue();
        assertThat(CameraTls.isTlsSource("tls://cam:9000")).isTrue();
        assertThat(CameraTls.isTlsSource("rtsp://cam/s")).isFalse();
        assertThat(CameraTls.isTlsSource("http://cam/mjpg")).isFalse();
        assertThat(CameraTls.isTlsSource("/dev/video0")).isFalse();
    }

    /** The message of the failed open (what the camera's health says after "cannot read URL: "), never holding the password. */
    private static String openError(CaptureSettings cs) {
        try (FfmpegFrameReader r = new FfmpegFrameReader(cs, 0)) {
            r.open();
            throw new AssertionError("opened " + CaptureWorker.redact(cs.source()) + " (" + r.width() + "x" + r.height() + "): the server was not refused");
        } catch (FrameGrabber.Exception e) {
            String why = FfmpegLog.explain(e.getMessage());
            assertThat(why).doesNotContain(PASSWORD);
            return why;
        }
    }

    /** Runs a capture until its first error (10 s at most), then stops it. */
    private static CaptureStats runUntilError(CaptureSettings cs) throws InterruptedException {
        CaptureStats stats = new CaptureStats(cs.cameraId());
        CaptureWorker w = new CaptureWorker(cs, new LatestFrameSlot(cs.handOff()), stats, 0);
        Thread t = w.start();
        long end = System.currentTimeMillis() + 10_000;
        while (stats.lastError() == null && stats.framesReceived() == 0 && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        w.stop();
        t.join(10_000);
        return stats;
    }
}
