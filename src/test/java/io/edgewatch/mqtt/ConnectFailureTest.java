package io.edgewatch.mqtt;

import io.edgewatch.testsupport.Mosquitto;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why the broker cannot be reached is said, not only that it cannot: a trial saw "not reachable (Untranslated
 * MqttException - RC: 0)" in the log and nothing in health or status for a TLS mistake, a wrong host or a closed port
 * alike. Real sockets; for TLS a real Mosquitto behind a TLS front with a certificate of a private CA.
 */
class ConnectFailureTest {

    private static String failure(String url) throws Exception {
        Path dir = Files.createTempDirectory("connect-failure");
        MqttSettings ms = new MqttSettings(url, "edgewatch-cf", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 1, 30, "edgewatch/cf/availability");
        SpoolSettings ss = SinkFixtures.spool(dir);
        MqttEventSink sink = new MqttEventSink(ms, ss, new EventSpool(ss), "edgewatch/cf/gap", "cf");
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (sink.lastConnectError() == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(sink.connected()).isFalse();
            return sink.lastConnectError();
        } finally {
            sink.close();
        }
    }

    @Test
    void theCauseIsKeptForAClosedPortAnUnknownHostAndAnUntrustedCertificate() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String refused = failure("tcp://127.0.0.1:" + closed);
        System.out.println("closed port: " + refused);
        assertThat(refused).startsWith("ConnectException: Connection refused");
        String unknown = failure("tcp://no-such-host.invalid:1883");
        System.out.println("unknown host: " + unknown);
        assertThat(unknown).startsWith("UnknownHostException").contains("no-such-host.invalid");
        // a TLS broker (Mosquitto behind a TLS front) whose certificate comes from a CA the agent was not given
        io.edgewatch.testsupport.TestPki pki = io.edgewatch.testsupport.TestPki.create(Files.createTempDirectory("connect-failure-pki"));
        try (Mosquitto broker = Mosquitto.start(null);
             io.edgewatch.testsupport.TlsFront front = new io.edgewatch.testsupport.TlsFront(pki.issue("broker", "IP:127.0.0.1").context(), broker.port())) {
            String untrusted = failure("ssl://127.0.0.1:" + front.port());
            System.out.println("untrusted certificate: " + untrusted);
            assertThat(untrusted).contains("unable to find valid certification path to requested target").contains("(MQTT client: ");
        }
    }
}
