package io.edgewatch.mqtt;

import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MqttRecorder;
import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 4: the fleet ACL the README gives ({@code scripts/mosquitto-fleet.acl}) on a real Mosquitto with a
 * password per device. A device publishing as itself reaches the central consumers' shared subscription; another
 * device reads none of it; a box whose {@code edgewatch.device-id} is mis-set (it logs in as gate-01 but calls itself
 * gate-02) delivers nothing under the other id, and keeps every event in its spool.
 */
class FleetAclTest {

    private static MqttSettings settings(String url, String device, String user, String password) {
        return new MqttSettings(url, "edgewatch-" + device, Optional.of(user), Optional.of(password), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 1, 30, "edgewatch/" + device + "/availability");
    }

    @Test
    void aDevicePublishesOnlyUnderItsOwnId() throws Exception {
        Path dir = Files.createTempDirectory("fleet-acl");
        Path passwd = dir.resolve("passwd");
        Mosquitto.run(dir, "/usr/bin/mosquitto_passwd", "-b", "-c", passwd.toString(), "gate-01", "pw-gate-01");
        Mosquitto.run(dir, "/usr/bin/mosquitto_passwd", "-b", passwd.toString(), "gate-02", "pw-gate-02");
        Mosquitto.run(dir, "/usr/bin/mosquitto_passwd", "-b", passwd.toString(), "central", "pw-central");
        Path acl = TestPaths.projectRoot().resolve("scripts/mosquitto-fleet.acl");
        int total = 20;
        try (Mosquitto broker = Mosquitto.start("user root\nlistener ${port} 127.0.0.1\nallow_anonymous false\npassword_file " + passwd
                + "\nacl_file " + acl + "\n");
             MqttRecorder central = new MqttRecorder(broker.url(), "$share/central/edgewatch/+/+/events", false, "central", "pw-central");
             MqttRecorder availability = new MqttRecorder(broker.url(), "edgewatch/+/availability", false, "central", "pw-central");
             MqttRecorder otherDevice = new MqttRecorder(broker.url(), "edgewatch/#", false, "gate-02", "pw-gate-02")) {
            String own = "edgewatch/gate-01/cam1/events";
            MqttEventSink sink = new MqttEventSink(settings(broker.url(), "gate-01", "gate-01", "pw-gate-01"), SinkFixtures.spool(dir.resolve("spool1")),
                    new EventSpool(SinkFixtures.spool(dir.resolve("spool1"))), "edgewatch/gate-01/gap", "gate-01");
            try {
                assertThat(sink.awaitConnected(10_000)).isTrue();
                for (long seq = 1; seq <= total; seq++) {
                    sink.sendEvent(seq, own, SinkFixtures.event(seq));
                }
                assertThat(sink.awaitDrained(15_000)).as("every event acknowledged").isTrue();
                central.awaitQuiet(500, 10_000);
            } finally {
                sink.close();
            }
            Set<Long> got = central.seqs(own);
            System.out.printf("own id: central got %d of %d, other device saw %d messages, availability %s%n", got.size(), total,
                    otherDevice.messages().size(), availability.messages());
            assertThat(got).hasSize(total);
            assertThat(sink.eventsRefused()).isZero();
            assertThat(availability.messages()).anySatisfy(m -> assertThat(m.topic()).isEqualTo("edgewatch/gate-01/availability"));
            assertThat(otherDevice.messages()).as("a device reads nothing of another").isEmpty();

            // a mis-set device id: logs in as gate-01, publishes as gate-02
            String other = "edgewatch/gate-02/cam1/events";
            MqttEventSink wrong = new MqttEventSink(settings(broker.url(), "gate-02", "gate-01", "pw-gate-01"), SinkFixtures.spool(dir.resolve("spool2")),
                    new EventSpool(SinkFixtures.spool(dir.resolve("spool2"))), "edgewatch/gate-02/gap", "gate-02");
            try {
                boolean connected = wrong.awaitConnected(10_000);
                for (long seq = 1; seq <= total; seq++) {
                    wrong.sendEvent(seq, other, SinkFixtures.event(seq));
                }
                long end = System.currentTimeMillis() + 10_000;
                while (wrong.eventsRefused() == 0 && System.currentTimeMillis() < end) {
                    Thread.sleep(50);
                }
                System.out.printf("mis-set id: connected %s, refused %d, last refusal %s, spool %d, %s%n", connected, wrong.eventsRefused(),
                        wrong.lastRefusal(), wrong.spoolDepth(), wrong.describe());
                central.awaitQuiet(500, 5_000);
                assertThat(central.seqs(other)).as("nothing under another device's id").isEmpty();
                assertThat(wrong.spoolDepth()).as("nothing refused is lost").isEqualTo(total);
                assertThat(wrong.eventsRefused()).isPositive();
                assertThat(wrong.lastRefusal()).startsWith("0x87 not authorized");
            } finally {
                wrong.close();
            }
            assertThat(otherDevice.messages()).isEmpty();
        }
    }
}
