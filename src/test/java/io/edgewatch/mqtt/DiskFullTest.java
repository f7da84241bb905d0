package io.edgewatch.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.face.AuditLog;
import io.edgewatch.face.FaceException;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MqttRecorder;
import io.edgewatch.testsupport.SmallFilesystem;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10 item 8: the spool and the audit log on a real, small file system (a 1 MiB tmpfs) that fills up while
 * events flow and the broker (a real Mosquitto) is away, and is freed again. Nothing may stop, every seq must end up
 * either delivered or inside an announced gap, the events produced after the space is back must all arrive, and the
 * audit chain must verify throughout.
 */
class DiskFullTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "df/dev/cam1/events";
    private static final String AUDIT = "df/dev/audit";

    private static byte[] event(long seq) {
        return ("{\"schema\":\"edgewatch.track-event/1\",\"seq\":" + seq + ",\"type\":\"update\",\"pad\":\"" + "x".repeat(360) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fullDiskLosesOnlyWhatIsAnnouncedAndEverythingAfterItArrives() throws Exception {
        Path persistence = Files.createTempDirectory("mosquitto-persist");
        try (SmallFilesystem fs = SmallFilesystem.mount(1024);
             Mosquitto broker = Mosquitto.start("user root\npersistence true\npersistence_location " + persistence + "/\nautosave_interval 1\n"
                     + "autosave_on_changes true\n");
             MqttRecorder rec = new MqttRecorder(broker.url(), "df/#", true)) {
            Path auditFile = fs.root().resolve("audit").resolve("audit.log");
            // spool bound 64 KiB, so memory holds at most 64 KiB of events while the disk is full
            SpoolSettings ss = new SpoolSettings(fs.root().resolve("spool"), 64 * 1024, 3_600_000, false, 8, 200, 1_000);
            MqttSettings ms = new MqttSettings(broker.url(), "edgewatch-df", Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), 1, 30, "df/dev/availability");
            EventSpool spool = new EventSpool(ss);
            MqttEventSink sink = new MqttEventSink(ms, ss, spool, "df/dev/gap", "dev");
            try (AuditLog audit = AuditLog.open(auditFile, JSON)) {
                audit.publisher((line, acked) -> sink.sendAcknowledged(AUDIT, line, acked));
                sink.onConnected(audit::forwardAfterConnect);
                assertThat(sink.awaitConnected(10_000)).isTrue();

                // 1. normal operation
                long seq = 0;
                while (seq < 10) {
                    sink.sendEvent(++seq, EVENTS, event(seq));
                }
                audit.append("start", 1_000, Map.of("actor", "agent"));
                assertThat(sink.awaitDrained(10_000)).isTrue();

                // 2. the broker goes away and the disk fills up: nothing throws, the audit log refuses cleanly
                broker.kill();
                long end = System.currentTimeMillis() + 10_000;
                while (sink.connected() && System.currentTimeMillis() < end) {
                    Thread.sleep(20);
                }
                long filled = fs.fill();
                assertThat(fs.usableBytes()).as("tmpfs full after %d filler bytes", filled).isLessThan(4096);
                for (int i = 0; i < 1_200; i++) {
                    sink.sendEvent(++seq, EVENTS, event(seq));
                }
                long lastWhileFull = seq;
                assertThat(spool.writable()).as("spool file writable on a full disk").isFalse();
                assertThat(spool.lostDiskFull()).as("events lost: memory bound 64 KiB, ~1200 x 450 B produced").isPositive();
                assertThat(spool.heldInMemory()).isPositive();
                long auditBefore = audit.entries();
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    assertThatThrownBy(() -> audit.append("decision", 2_000 + n, Map.of("actor", "agent", "identity", "p" + n, "score", 0.9)))
                            .isInstanceOf(FaceException.class).hasMessageContaining("cannot be written");
                }
                assertThat(audit.entries()).as("seq does not advance on a failed write").isEqualTo(auditBefore);
                AuditLog.Verification full = AuditLog.verify(auditFile, JSON);
                assertThat(full.ok()).as("audit chain on the full disk: %s", full.reason()).isTrue();
                assertThat(full.entries()).isEqualTo(auditBefore);

                // 3. space is back: the spool reopens (back-off <= 30 s) while events keep coming, the audit log writes again
                fs.free();
                end = System.currentTimeMillis() + 45_000;
                while (!spool.writable() && System.currentTimeMillis() < end) {
                    sink.sendEvent(++seq, EVENTS, event(seq));
                    Thread.sleep(100);
                }
                assertThat(spool.writable()).as("spool reopened after the disk was freed").isTrue();
                long firstAfter = seq + 1;
                for (int i = 0; i < 20; i++) {
                    sink.sendEvent(++seq, EVENTS, event(seq));
                }
                long last = seq;
                audit.append("decision", 3_000, Map.of("actor", "agent", "identity", "after", "score", 0.8));

                // 4. the broker is back: everything still held is delivered, the loss is announced
                broker.start();
                assertThat(sink.awaitConnected(20_000)).isTrue();
                assertThat(sink.awaitDrained(30_000)).as("spool drained, depth " + spool.depth()).isTrue();
                end = System.currentTimeMillis() + 20_000;
                String lastSeqField = "\"seq\":" + last + ",";
                while (System.currentTimeMillis() < end
                        && rec.messages().stream().noneMatch(m -> m.topic().equals(EVENTS) && m.payload().contains(lastSeqField))) {
                    Thread.sleep(100); // the recorder's own reconnect takes 1..2 s; the broker queues for its session meanwhile
                }
                rec.awaitQuiet(1_000, 20_000);

                TreeSet<Long> delivered = new TreeSet<>();
                TreeSet<Long> announced = new TreeSet<>();
                long diskFullLost = 0;
                List<MqttRecorder.Message> msgs = rec.messages();
                for (MqttRecorder.Message m : msgs) {
                    if (m.topic().equals(EVENTS)) {
                        delivered.add(JSON.readTree(m.payload()).get("seq").asLong());
                    } else if (m.topic().equals("df/dev/gap")) {
                        JsonNode n = JSON.readTree(m.payload());
                        for (long s = n.get("fromSeq").asLong(); s <= n.get("toSeq").asLong(); s++) {
                            assertThat(announced.add(s)).as("seq %d announced once", s).isTrue();
                        }
                        if ("disk-full".equals(n.get("reason").asText())) {
                            diskFullLost += n.get("count").asLong();
                        }
                    }
                }
                System.out.printf("disk full: produced %d (%d while full), delivered %d, announced lost %d (%d disk-full)%n",
                        last, lastWhileFull - 10, delivered.size(), announced.size(), diskFullLost);
                for (long s = 1; s <= last; s++) {
                    assertThat(delivered.contains(s) || announced.contains(s)).as("seq %d delivered or announced as lost", s).isTrue();
                    assertThat(delivered.contains(s) && announced.contains(s)).as("seq %d both delivered and announced lost", s).isFalse();
                }
                for (long s = firstAfter; s <= last; s++) {
                    assertThat(delivered).as("events produced after the space was back").contains(s);
                }
                assertThat(diskFullLost).as("disk-full gap counts").isEqualTo(spool.lostDiskFull()).isPositive();

                AuditLog.Verification v = AuditLog.verify(auditFile, JSON);
                assertThat(v.ok()).as("audit chain after the disk was freed: %s", v.reason()).isTrue();
                assertThat(v.entries()).isEqualTo(auditBefore + 1);
                assertThat(msgs).filteredOn(m -> m.topic().equals(AUDIT)).extracting(m -> JSON.readTree(m.payload()).get("seq").asLong())
                        .contains(auditBefore + 1);
            } finally {
                sink.close();
            }
        }
    }

    @Test
    void eventsStillInMemoryWhenTheAgentStopsAreAnnouncedAfterTheNextStart() throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(1024)) {
            SpoolSettings ss = new SpoolSettings(fs.root().resolve("spool"), 1 << 20, 3_600_000, false, 8, 200, 1_000);
            try (EventSpool spool = new EventSpool(ss)) {
                for (long seq = 1; seq <= 5; seq++) {
                    spool.append(seq, EVENTS, event(seq));
                }
                fs.fill();
                for (long seq = 6; seq <= 400; seq++) {
                    spool.append(seq, EVENTS, event(seq));
                }
                assertThat(spool.writable()).isFalse();
                assertThat(spool.depth()).as("stored and held events").isEqualTo(400 - spool.lostDiskFull());
                assertThat(spool.first().seq()).isEqualTo(1);
            } // closed while the disk is still full: what memory holds is lost
            fs.free();
            try (EventSpool spool = new EventSpool(ss)) {
                assertThat(spool.writable()).isTrue();
                assertThat(spool.lastSeq()).as("numbering continues after every accepted seq").isEqualTo(400);
                List<EventSpool.Gap> gaps = spool.pendingGaps();
                long stored = spool.depth();
                assertThat(gaps).isNotEmpty().allMatch(g -> g.reason().equals("disk-full"));
                assertThat(gaps.getLast().toSeq()).isEqualTo(400);
                assertThat(stored + gaps.stream().mapToLong(EventSpool.Gap::count).sum()).as("every seq stored or in a gap").isEqualTo(400);
            }
        }
    }

    @Test
    void aSpoolOnAFullDiskStartsAndRecovers() throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(512)) {
            fs.fill();
            SpoolSettings ss = new SpoolSettings(fs.root().resolve("spool"), 1 << 20, 3_600_000, false, 8, 200, 1_000);
            try (EventSpool spool = new EventSpool(ss)) {
                assertThat(spool.writable()).isFalse();
                spool.append(1, EVENTS, event(1));
                assertThat(spool.first().seq()).isEqualTo(1);
                fs.free();
                long end = System.currentTimeMillis() + 10_000;
                long seq = 1;
                while (!spool.writable() && System.currentTimeMillis() < end) {
                    spool.append(++seq, EVENTS, event(seq));
                    Thread.sleep(100);
                }
                assertThat(spool.writable()).isTrue();
                assertThat(spool.depth()).isEqualTo(seq);
                assertThat(spool.pendingGaps()).isEmpty();
            }
        }
    }
}
