package io.edgewatch.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MqttRecorder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The event spool (real H2 MVStore files) and store-and-forward delivery to a real Mosquitto. */
class SpoolDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] event(long seq) {
        return ("{\"schema\":\"edgewatch.track-event/1\",\"seq\":" + seq + ",\"type\":\"update\",\"pad\":\"" + "x".repeat(150) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void spoolKeepsSeqAcrossRestartsDropsOldestAndRecordsGaps() throws Exception {
        Path dir = Files.createTempDirectory("spool");
        SpoolSettings s = new SpoolSettings(dir, 20_000, 3_600_000, false, 4, 100, 1_000);
        String topic = "edgewatch/dev/cam1/events";
        int perEvent = 10 + topic.length() + event(1).length;
        try (EventSpool spool = new EventSpool(s)) {
            for (long seq = 1; seq <= 300; seq++) {
                spool.append(seq, topic, event(seq));
            }
            long kept = 20_000 / perEvent;
            assertThat(spool.depth()).isEqualTo(kept);
            assertThat(spool.bytes()).isLessThanOrEqualTo(20_000);
            assertThat(spool.first().seq()).isEqualTo(300 - kept + 1);
            assertThat(spool.dropped()).isEqualTo(300 - kept);
            assertThat(spool.pendingGaps()).containsExactly(new EventSpool.Gap(1, 300 - kept, "spool-full"));
        }
        // reopen: same pending events, numbering continues, gap still pending
        try (EventSpool spool = new EventSpool(s)) {
            assertThat(spool.lastSeq()).isEqualTo(300);
            assertThat(spool.pendingGaps()).hasSize(1);
            EventSpool.Entry first = spool.first();
            assertThat(new String(first.payload(), StandardCharsets.UTF_8)).contains("\"seq\":" + first.seq());
            assertThat(first.topic()).isEqualTo(topic);
            assertThat(spool.after(first.seq()).seq()).isEqualTo(first.seq() + 1);
            // age bound: everything is older than 0 ms from a clock 2 h ahead
            int expired = spool.expire(System.currentTimeMillis() + 7_200_000);
            assertThat(expired).isEqualTo((int) (20_000 / perEvent));
            assertThat(spool.depth()).isZero();
            assertThat(spool.pendingGaps()).extracting(EventSpool.Gap::reason).containsExactly("spool-full", "expired");
        }
        // a corrupt spool file is moved aside, a fresh spool starts, the process does not die, and the numbering
        // continues after the highest seq ever spooled (issue 10, item 9: a seq is never reused)
        Files.write(dir.resolve(EventSpool.FILE_NAME), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9});
        try (EventSpool spool = new EventSpool(s)) {
            assertThat(spool.depth()).isZero();
            assertThat(spool.lastSeq()).isEqualTo(300);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(EventSpool.FILE_NAME + ".corrupt-"));
        }
    }

    @Test
    void agentStartsWhileBrokerIsDownThenDrainsBacklogAndAnnouncesTheGap() throws Exception {
        Path dir = Files.createTempDirectory("spool-e2e");
        try (Mosquitto broker = Mosquitto.startSecured("agent", "pw");
             MqttRecorder rec = new MqttRecorder(broker.url(), "edgewatch/dev/#", true)) {
            // two retained messages make Mosquitto's autosave (on changes) write the recorder's session to disk,
            // so the session survives the SIGKILL and queues what the agent sends before the recorder is back
            for (int i = 0; i < 2; i++) {
                new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-q", "1", "-r",
                        "-t", "edgewatch/probe/" + i, "-m", "x").inheritIO().start().waitFor();
            }
            Thread.sleep(300);
            broker.kill(); // the agent starts while the broker is down
            Path d = broker.dir();
            Path pw = dir.resolve("pw");
            Files.writeString(pw, "pw\n");
            MqttSettings ms = new MqttSettings(broker.tlsUrl(), "edgewatch-dev", Optional.of("agent"), Optional.empty(), Optional.of(pw),
                    Optional.of(d.resolve("ca.pem")), Optional.of(d.resolve("client.pem")), Optional.of(d.resolve("client.key")), 1, 30,
                    "edgewatch/dev/availability");
            SpoolSettings ss = new SpoolSettings(dir.resolve("spool"), 100_000, 3_600_000, false, 4, 200, 1_000);
            EventSpool spool = new EventSpool(ss);
            MqttEventSink sink = new MqttEventSink(ms, ss, spool, "edgewatch/dev/gap", "dev");
            String topic = "edgewatch/dev/cam1/events";
            int total = 1_000;
            for (long seq = 1; seq <= total; seq++) {
                sink.sendEvent(seq, topic, event(seq));
            }
            long dropped = sink.eventsDropped();
            long pending = sink.spoolDepth();
            assertThat(sink.connected()).isFalse();
            assertThat(dropped).isPositive();
            assertThat(pending + dropped).isEqualTo(total);
            long t0 = System.currentTimeMillis();
            broker.start();
            assertThat(sink.awaitConnected(10_000)).isTrue();
            assertThat(sink.awaitDrained(60_000)).as("backlog drained through a window of 4").isTrue();
            long drainMs = System.currentTimeMillis() - t0;
            rec.awaitQuiet(1_000, 20_000);
            List<Long> seqs = new ArrayList<>();
            JsonNode gap = null;
            boolean online = false;
            for (MqttRecorder.Message m : rec.messages()) {
                if (m.topic().equals(topic)) {
                    seqs.add(JSON.readTree(m.payload()).get("seq").asLong());
                } else if (m.topic().equals("edgewatch/dev/gap")) {
                    gap = JSON.readTree(m.payload());
                } else if (m.topic().equals("edgewatch/dev/availability") && m.payload().equals("online")) {
                    online = true;
                }
            }
            System.out.printf("spooled %d while down (%d dropped by the 100 kB bound), drained in %d ms after the broker came back; gap %s%n",
                    total, dropped, drainMs, gap);
            assertThat(online).as("retained availability republished after connect").isTrue();
            assertThat(gap).as("gap notice").isNotNull();
            assertThat(gap.get("schema").asText()).isEqualTo(MqttEventSink.GAP_SCHEMA);
            assertThat(gap.get("fromSeq").asLong()).isEqualTo(1);
            assertThat(gap.get("toSeq").asLong()).isEqualTo(dropped);
            assertThat(gap.get("count").asLong()).isEqualTo(dropped);
            assertThat(gap.get("reason").asText()).isEqualTo("spool-full");
            List<Long> expected = new ArrayList<>();
            for (long s = dropped + 1; s <= total; s++) {
                expected.add(s);
            }
            assertThat(seqs).as("every pending event once, in seq order").isEqualTo(expected);
            assertThat(sink.eventsPublished()).isEqualTo(pending);
            assertThat(sink.spool().pendingGaps()).isEmpty();
            sink.close();
        }
    }
}
