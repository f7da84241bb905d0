package io.edgewatch.face;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgewatch.testsupport.SmallFilesystem;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 8, the audit log's part: a write that fails half-way (a real full tmpfs) leaves the log at its last
 * complete entry, and a log whose last line was torn (by a crash, or by a version that ignored short writes) opens,
 * keeps the torn bytes aside and records them in the chain.
 */
class AuditDiskFullTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = FaceTestSupport.MAPPER;

    @Test
    void failedWritesRollBackAndTheChainContinuesWhenSpaceIsBack() throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(256)) {
            Path file = fs.root().resolve("audit.log");
            try (AuditLog audit = AuditLog.open(file, JSON)) {
                audit.append("start", 1_000, Map.of("actor", "agent"));
                fs.fill();
                long size = Files.size(file);
                int failed = 0;
                // fill the last page's slack too: entries of ~1 KiB until a write fails, then a few more
                for (int i = 0; i < 20; i++) {
                    try {
                        audit.append("decision", 2_000 + i, Map.of("actor", "agent", "note", "y".repeat(900)));
                        size = Files.size(file);
                    } catch (FaceException e) {
                        assertThat(e).hasMessageContaining("cannot be written").hasMessageContaining("not recorded");
                        failed++;
                        assertThat(Files.size(file)).as("log size after failed write %d", failed).isEqualTo(size);
                    }
                }
                assertThat(failed).isPositive();
                long entries = audit.entries();
                assertThat(Files.readString(file)).endsWith("\n");
                AuditLog.Verification v = AuditLog.verify(file, JSON);
                assertThat(v.ok()).as(v.reason()).isTrue();
                assertThat(v.entries()).isEqualTo(entries);

                fs.free();
                audit.append("decision", 3_000, Map.of("actor", "agent", "identity", "a"));
                assertThat(audit.entries()).isEqualTo(entries + 1);
            }
            AuditLog.Verification v = AuditLog.verify(file, JSON);
            assertThat(v.ok()).as(v.reason()).isTrue();
            try (AuditLog again = AuditLog.open(file, JSON)) {
                assertThat(again.entries()).isEqualTo(v.entries());
            }
        }
    }

    @Test
    void tornLastLineIsKeptAsideAndRecorded() throws Exception {
        Path dir = Files.createTempDirectory("audit-torn");
        Path file = dir.resolve("audit.log");
        try (AuditLog audit = AuditLog.open(file, JSON)) {
            audit.append("start", 1_000, Map.of("actor", "agent"));
            audit.append("decision", 2_000, Map.of("actor", "agent", "identity", "a"));
        }
        // what a short write left behind: the start of entry 3, no newline (and the head still at entry 2)
        String torn = "{\"seq\":3,\"time\":\"2026-12-02T10:00:03Z\",\"type\":\"decision\",\"actor\":\"ag";
        Files.writeString(file, torn, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (AuditLog audit = AuditLog.open(file, JSON)) {
            assertThat(audit.entries()).as("entries 1, 2 and the torn-line record").isEqualTo(3);
            JsonNode note = audit.lastOfType("torn-line");
            assertThat(note).isNotNull();
            assertThat(note.get("tornBytes").asLong()).isEqualTo(torn.length());
            Path saved = dir.resolve(note.get("savedTo").asText());
            assertThat(Files.readString(saved)).isEqualTo(torn);
            audit.append("decision", 4_000, Map.of("actor", "agent", "identity", "b"));
        }
        AuditLog.Verification v = AuditLog.verify(file, JSON);
        assertThat(v.ok()).as(v.reason()).isTrue();
        assertThat(v.entries()).isEqualTo(4);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).noneMatch(l -> l.contains("\"actor\":\"ag\"") || l.startsWith(torn));
    }

    @Test
    void lineWrittenButHeadNotIsAdoptedAtOpen() throws Exception {
        Path dir = Files.createTempDirectory("audit-head");
        Path file = dir.resolve("audit.log");
        String headAt1;
        try (AuditLog audit = AuditLog.open(file, JSON)) {
            audit.append("start", 1_000, Map.of("actor", "agent"));
            headAt1 = Files.readString(AuditLog.headFile(file));
            audit.append("decision", 2_000, Map.of("actor", "agent", "identity", "a"));
        }
        Files.writeString(AuditLog.headFile(file), headAt1); // killed between the line and its head
        assertThat(AuditLog.verify(file, JSON).ok()).isFalse();
        try (AuditLog audit = AuditLog.open(file, JSON)) {
            assertThat(audit.entries()).isEqualTo(2);
        }
        AuditLog.Verification v = AuditLog.verify(file, JSON);
        assertThat(v.ok()).as(v.reason()).isTrue();
    }
}
