package io.edgewatch.mqtt;

import io.edgewatch.testsupport.LogCapture;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MqttRecorder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, items 1 and 3, against real Mosquitto brokers on free loopback ports: failover between two broker
 * "nodes" listed in one URL, a client-id conflict between two sinks of the same device id, and PUBACK refusals
 * (0x87 from an ACL) that keep events in the spool until the broker accepts them.
 */
class BrokerFailoverTest {

    private static MqttSettings settings(String url, String clientId, String device) {
        return new MqttSettings(url, clientId, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 1, 30, "edgewatch/" + device + "/availability");
    }

    @Test
    void sinkMovesToTheNextNodeWhenItsNodeIsKilledAndLosesNoEvent() throws Exception {
        Path dir = Files.createTempDirectory("failover");
        String topic = "edgewatch/fo/cam1/events";
        int total = 400;
        try (Mosquitto a = Mosquitto.start(null); Mosquitto b = Mosquitto.start(null);
             MqttRecorder recA = new MqttRecorder(a.url(), "edgewatch/fo/#");
             MqttRecorder recB = new MqttRecorder(b.url(), "edgewatch/fo/#")) {
            MqttSettings ms = settings(a.url() + ", " + b.url(), "edgewatch-fo", "fo");
            assertThat(ms.urls()).containsExactly(a.url(), b.url());
            SpoolSettings ss = SinkFixtures.spool(dir);
            long[] worstSendNs = {0};
            MqttEventSink[] holder = new MqttEventSink[1];
            List<String> log = LogCapture.during("io.edgewatch.mqtt", () -> {
                MqttEventSink sink = new MqttEventSink(ms, ss, new EventSpool(ss), "edgewatch/fo/gap", "fo");
                holder[0] = sink;
                assertThat(sink.awaitConnected(10_000)).isTrue();
                assertThat(sink.node()).as("first node that answers").isEqualTo(a.url());
                for (long seq = 1; seq <= total; seq++) {
                    long t0 = System.nanoTime();
                    sink.sendEvent(seq, topic, SinkFixtures.event(seq));
                    worstSendNs[0] = Math.max(worstSendNs[0], System.nanoTime() - t0);
                    if (seq == total / 3) {
                        a.kill(); // SIGKILL node A mid-stream
                    }
                    Thread.sleep(5);
                }
                assertThat(sink.awaitDrained(30_000)).as("every event acknowledged by node B").isTrue();
                assertThat(sink.node()).as("node after the switch").isEqualTo(b.url());
                assertThat(sink.reconnects()).isEqualTo(1);
                recB.awaitQuiet(500, 10_000);
                sink.close();
            });
            Set<Long> all = new TreeSet<>(recA.seqs(topic));
            int onA = all.size();
            Set<Long> onB = recB.seqs(topic);
            all.addAll(onB);
            System.out.printf("failover: %d events, %d arrived on node A before the kill, %d on node B, worst sendEvent %.2f ms%n",
                    total, onA, onB.size(), worstSendNs[0] / 1e6);
            assertThat(onA).as("events on node A before the kill").isPositive().isLessThan(total);
            assertThat(onB).as("node B got the rest").isNotEmpty();
            for (long s = 1; s <= total; s++) {
                assertThat(all).as("seq " + s + " arrived on one of the nodes").contains(s);
            }
            assertThat(log).anyMatch(l -> l.contains("switched broker node from " + a.url() + " to " + b.url()));
            assertThat(holder[0].eventsDropped()).isZero();
        }
    }

    @Test
    void twoSinksWithTheSameClientIdReportTheConflictAndStopFighting() throws Exception {
        Path dir = Files.createTempDirectory("twin");
        try (Mosquitto broker = Mosquitto.start(null)) {
            MqttSettings ms = settings(broker.url(), "edgewatch-twin", "twin");
            SpoolSettings s1 = SinkFixtures.spool(dir.resolve("one"));
            SpoolSettings s2 = SinkFixtures.spool(dir.resolve("two"));
            MqttEventSink[] sinks = new MqttEventSink[2];
            List<String> log = LogCapture.during("io.edgewatch.mqtt", () -> {
                sinks[0] = new MqttEventSink(ms, s1, new EventSpool(s1), "edgewatch/twin/gap", "twin");
                assertThat(sinks[0].awaitConnected(10_000)).isTrue();
                sinks[1] = new MqttEventSink(ms, s2, new EventSpool(s2), "edgewatch/twin/gap", "twin");
                long end = System.currentTimeMillis() + 20_000;
                // settled: one twin holds the session, the other reports the conflict and waits for its slow retry
                while (!(sinks[0].connected() != sinks[1].connected() && (sinks[0].connected() ? sinks[1] : sinks[0]).clientIdConflict())
                        && System.currentTimeMillis() < end) {
                    Thread.sleep(50);
                }
            });
            try {
                MqttEventSink loser = sinks[0].connected() ? sinks[1] : sinks[0];
                MqttEventSink holder = loser == sinks[0] ? sinks[1] : sinks[0];
                assertThat(loser.clientIdConflict()).as("one of the twins detected the conflict").isTrue();
                assertThat(loser.sessionTakeovers()).isGreaterThanOrEqualTo(MqttEventSink.CONFLICT_TAKEOVERS);
                assertThat(loser.connects() + holder.connects()).as("connects before the fight stopped").isLessThan(20);
                assertThat(loser.clientIdConflictMessage()).contains("another client with the same client id edgewatch-twin")
                        .contains("edgewatch.device-id").contains("retrying every 60 s");
                assertThat(log).anyMatch(l -> l.startsWith("MQTT client id conflict: another client with the same client id edgewatch-twin"));
                long loserConnects = loser.connects();
                long holderConnects = holder.connects();
                Thread.sleep(3_000); // a fight would reconnect every ~100 ms (reconnect-min-ms of both sinks)
                System.out.printf("client-id conflict: loser %d connects %d take-overs, holder %d connects %d take-overs%n",
                        loser.connects(), loser.sessionTakeovers(), holder.connects(), holder.sessionTakeovers());
                assertThat(loser.connects()).as("the loser waits for its slow retry").isEqualTo(loserConnects);
                assertThat(holder.connects()).as("the holder keeps its session").isEqualTo(holderConnects);
                assertThat(loser.connected()).isFalse();
                assertThat(holder.connected()).isTrue();
            } finally {
                sinks[0].close();
                sinks[1].close();
            }
        }
    }

    @Test
    void refusedEventsStayInTheSpoolUntilTheBrokerAcceptsThem() throws Exception {
        Path dir = Files.createTempDirectory("refused");
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "topic read #\ntopic write edgewatch/ref/availability\ntopic write edgewatch/ref/gap\n");
        String topic = "edgewatch/ref/cam1/events";
        int total = 50;
        try (Mosquitto broker = Mosquitto.start("user root\nacl_file " + acl + "\n");
             MqttRecorder rec = new MqttRecorder(broker.url(), "edgewatch/ref/#")) {
            SpoolSettings ss = SinkFixtures.spool(dir.resolve("spool"));
            MqttEventSink[] holder = new MqttEventSink[1];
            List<String> log = LogCapture.during("io.edgewatch.mqtt", () -> {
                MqttEventSink sink = new MqttEventSink(settings(broker.url(), "edgewatch-ref", "ref"), ss, new EventSpool(ss),
                        "edgewatch/ref/gap", "ref");
                holder[0] = sink;
                assertThat(sink.awaitConnected(10_000)).isTrue();
                for (long seq = 1; seq <= total; seq++) {
                    sink.sendEvent(seq, topic, SinkFixtures.event(seq));
                }
                long end = System.currentTimeMillis() + 15_000;
                while (sink.eventsRefused() < 3 && System.currentTimeMillis() < end) {
                    Thread.sleep(50);
                }
                assertThat(sink.eventsRefused()).as("refusals, retried with back-off").isGreaterThanOrEqualTo(3);
                assertThat(sink.lastRefusal()).startsWith("0x87 not authorized for seq ");
                assertThat(sink.spoolDepth()).as("nothing refused is lost").isEqualTo(total);
                assertThat(sink.eventsRejected()).isZero();
                assertThat(sink.eventsDropped()).isZero();
                assertThat(sink.connected()).as("a refusal is no disconnect").isTrue();
                assertThat(rec.seqs(topic)).isEmpty();
                Files.writeString(acl, "topic read #\ntopic write edgewatch/ref/#\n");
                broker.reload();
                assertThat(sink.awaitDrained(30_000)).as("drained once the ACL allows the topic").isTrue();
                rec.awaitQuiet(500, 10_000);
                System.out.printf("refused: %d refusals (%d publishes retried) before the ACL allowed the topic%n",
                        sink.eventsRefused(), sink.eventsRetried());
                sink.close();
            });
            Set<Long> got = rec.seqs(topic);
            for (long s = 1; s <= total; s++) {
                assertThat(got).as("seq " + s).contains(s);
            }
            assertThat(holder[0].eventsDropped()).isZero();
            assertThat(log).anyMatch(l -> l.contains("refused event seq 1 on " + topic + " with 0x87 not authorized; it stays in the spool"));
            assertThat(log).anyMatch(l -> l.contains("accepts events again"));
        }
    }
}
