package io.edgewatch.face;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, item 11: the audit log's forwarded mark advances on the receiver's acknowledgement (the broker's PUBACK),
 * not on hand-off. An entry handed over but never acknowledged (the connection dropped, the agent crashed) is sent
 * again after the next connect and after a restart; acknowledgements out of order advance the mark only over
 * contiguous entries. (A real broker cannot be made to withhold a PUBACK, so the publisher here holds the
 * acknowledgements back; {@link AuditForwardingTest} runs the same path over Mosquitto.)
 */
class AuditAcknowledgementTest {
    @TempDir
    Path dir;

    private record Sent(long seq, Runnable ack) { }

    private static long seqOf(byte[] line) throws Exception {
        return FaceTestSupport.MAPPER.readTree(new String(line, StandardCharsets.UTF_8)).get("seq").asLong();
    }

    @Test
    void onlyAcknowledgedEntriesCountAsForwarded() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        List<Sent> sent = new ArrayList<>();
        try (AuditLog log = AuditLog.open(file, FaceTestSupport.MAPPER)) {
            log.publisher((line, acked) -> {
                try {
                    sent.add(new Sent(seqOf(line), acked));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 1; i <= 3; i++) {
                log.append("decision", i * 1000L, Map.of("actor", "agent", "identity", "a"));
            }
            assertThat(sent).extracting(Sent::seq).containsExactly(1L, 2L, 3L); // each sent once, at once
            assertThat(log.pendingForward()).isEqualTo(3);                       // but none acknowledged
            assertThat(AuditLog.forwardedFile(file)).doesNotExist();
            sent.get(1).ack().run(); // 2 before 1: the mark may not jump over 1
            assertThat(log.pendingForward()).isEqualTo(3);
            sent.get(0).ack().run();
            assertThat(log.pendingForward()).isEqualTo(1);
            assertThat(Files.readString(AuditLog.forwardedFile(file)).trim()).isEqualTo("2");
            // the connection drops before 3's PUBACK: after the reconnect 3 is sent again, 1 and 2 are not
            sent.clear();
            log.forwardAfterConnect();
            assertThat(sent).extracting(Sent::seq).containsExactly(3L);
            // a further forwardPending (next append, gallery refresh) does not send 3 a third time
            log.forwardPending();
            assertThat(sent).extracting(Sent::seq).containsExactly(3L);
        }
        // a crash before 3 was acknowledged: the next agent sends it again from the file
        List<Long> again = new ArrayList<>();
        try (AuditLog log = AuditLog.open(file, FaceTestSupport.MAPPER)) {
            log.publisher((line, acked) -> {
                try {
                    again.add(seqOf(line));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                acked.run();
            });
            log.forwardAfterConnect();
            assertThat(again).containsExactly(3L);
            assertThat(log.pendingForward()).isZero();
        }
        assertThat(Files.readString(AuditLog.forwardedFile(file)).trim()).isEqualTo("3");
        assertThat(AuditLog.verify(file, FaceTestSupport.MAPPER).ok()).isTrue();
    }
}
