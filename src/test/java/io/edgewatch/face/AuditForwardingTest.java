package io.edgewatch.face;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgewatch.mqtt.EventSpool;
import io.edgewatch.mqtt.MqttEventSink;
import io.edgewatch.mqtt.MqttSettings;
import io.edgewatch.mqtt.SpoolSettings;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MqttRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log is store-and-forward over a real Mosquitto: entries written while no agent ran (CLI) or while the
 * broker was down are sent, in order and complete, after the next connect; nothing is sent twice within a run.
 */
class AuditForwardingTest {
    private static final String TOPIC = "edgewatch/dev/audit";

    @TempDir
    Path dir;

    @Test
    void entriesWrittenOfflineAreForwardedAfterConnect() throws Exception {
        Path file = dir.resolve("gallery/audit.jsonl");
        // 1. the CLI enrols while no agent runs: nothing is forwarded
        try (AuditLog cli = AuditLog.open(file, FaceTestSupport.MAPPER)) {
            cli.append("enrol", 1_000, Map.of("actor", "cli", "identity", "a"));
            cli.append("enrol", 2_000, Map.of("actor", "cli", "identity", "b"));
            assertThat(cli.pendingForward()).isEqualTo(2);
        }
        assertThat(AuditLog.forwardedFile(file)).doesNotExist();

        try (Mosquitto broker = Mosquitto.start("");
             AuditLog audit = AuditLog.open(file, FaceTestSupport.MAPPER)) {
            MqttRecorder rec = new MqttRecorder(broker.url(), TOPIC);
            // reconnect back-off 4.0..6.0 s after a failed attempt: room to restart the broker and resubscribe below
            SpoolSettings ss = new SpoolSettings(dir.resolve("spool"), 100_000, 3_600_000, false, 4, 5_000, 5_000);
            MqttSettings ms = new MqttSettings(broker.url(), "edgewatch-dev", Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), 1, 30, "edgewatch/dev/availability");
            MqttEventSink sink = new MqttEventSink(ms, ss, new EventSpool(ss), "edgewatch/dev/gap", "dev");
            try {
                // 2. the agent starts: the backlog follows the connect (as the agent wires it)
                audit.publisher((line, acked) -> sink.sendAcknowledged(TOPIC, line, acked));
                sink.onConnected(audit::forwardAfterConnect);
                assertThat(sink.awaitConnected(10_000)).isTrue();
                assertThat(rec.awaitCount(2, 10_000)).isEqualTo(2);
                audit.append("start", 3_000, Map.of("actor", "agent"));
                assertThat(rec.awaitCount(3, 10_000)).isEqualTo(3);
                awaitForwarded(audit);
                assertThat(Files.readString(AuditLog.forwardedFile(file)).trim()).isEqualTo("3");

                // 3. the broker goes down: entries stay pending, in the file
                broker.kill();
                long end = System.currentTimeMillis() + 10_000;
                while (sink.connected() && System.currentTimeMillis() < end) {
                    Thread.sleep(20);
                }
                assertThat(sink.connected()).isFalse();
                Thread.sleep(300); // the sink's immediate reconnect attempt has failed; it now waits 4..6 s
                audit.append("decision", 4_000, Map.of("actor", "agent", "identity", "a", "camera", "cam1", "score", 0.9));
                audit.append("decision", 5_000, Map.of("actor", "agent", "identity", "b", "camera", "cam1", "score", 0.8));
                assertThat(audit.pendingForward()).isEqualTo(2);
                rec.close();

                // 4. the broker is back: after the sink's reconnect both entries arrive, in order, once
                broker.start();
                rec = new MqttRecorder(broker.url(), TOPIC);
                assertThat(rec.awaitCount(2, 15_000)).isEqualTo(2);
                rec.awaitQuiet(500, 3_000);
                awaitForwarded(audit);
                List<Long> seqs = new ArrayList<>();
                for (MqttRecorder.Message m : rec.messages()) {
                    JsonNode n = FaceTestSupport.MAPPER.readTree(m.payload());
                    seqs.add(n.get("seq").asLong());
                }
                assertThat(seqs).containsExactly(4L, 5L);
                assertThat(AuditLog.verify(file, FaceTestSupport.MAPPER).ok()).isTrue();
            } finally {
                rec.close();
                sink.close();
            }
        }
    }

    /** The forwarded mark follows the broker's PUBACK, which may come just after the subscriber saw the message. */
    private static void awaitForwarded(AuditLog audit) throws InterruptedException {
        long end = System.currentTimeMillis() + 5_000;
        while (audit.pendingForward() > 0 && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        assertThat(audit.pendingForward()).isZero();
    }
}
