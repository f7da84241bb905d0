package io.edgewatch.face;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encrypted gallery on disk and the hash-chained audit log, on real files. */
class GalleryAndAuditTest {
    @TempDir
    Path dir;

    private static float[] randomEmbedding(long seed) {
        Random r = new Random(seed);
        float[] e = new float[192];
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) r.nextGaussian();
        }
        return FaceEmbedder.normalize(e);
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void storeHoldsNoPlaintextAndAWrongKeyFailsClearly() throws Exception {
        Path key = dir.resolve("key");
        GalleryCipher.generateKeyFile(key);
        Path gdir = dir.resolve("g");
        float[] e = randomEmbedding(7);
        try (Gallery g = Gallery.open(gdir, GalleryCipher.fromKeyFile(key), FaceTestSupport.MAPPER, 0)) {
            g.add("Zebulon Quartermaine", e, "mobilefacenet", 0.9, 1_000, 0);
            g.add("Zebulon Quartermaine", randomEmbedding(8), "mobilefacenet", 0.8, 1_000, 0);
        }
        byte[] disk = Files.readAllBytes(gdir.resolve("gallery.mv.db"));
        assertThat(disk.length).isGreaterThan(2 * 192 * 4);
        // no run of 4 embedding values in either byte order, in float32 or as decimal text, nor the name
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            for (int start = 0; start < 192; start += 4) {
                ByteBuffer b = ByteBuffer.allocate(16).order(order);
                for (int i = 0; i < 4; i++) {
                    b.putFloat(e[start + i]);
                }
                assertThat(contains(disk, b.array())).as("float bytes at " + start + " " + order).isFalse();
            }
        }
        assertThat(contains(disk, Float.toString(e[0]).getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(contains(disk, "Zebulon".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(contains(disk, "mobilefacenet".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(gdir.resolve("gallery.mv.db")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(gdir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

        // the right key reads it back exactly
        try (Gallery g = Gallery.open(gdir, GalleryCipher.fromKeyFile(key), FaceTestSupport.MAPPER, 0)) {
            assertThat(g.size()).isEqualTo(2);
            assertThat(g.identities()).singleElement().satisfies(i -> {
                assertThat(i.identity()).isEqualTo("Zebulon Quartermaine");
                assertThat(i.templates()).isEqualTo(2);
            });
            assertThat(g.templates("mobilefacenet")).anySatisfy(t -> assertThat(t.embedding()).containsExactly(e));
            assertThat(g.templates("other-model")).isEmpty();
        }
        // a wrong key fails with a message naming the store and the key file; nothing is changed
        Path wrong = dir.resolve("wrong-key");
        GalleryCipher.generateKeyFile(wrong);
        assertThatThrownBy(() -> Gallery.open(gdir, GalleryCipher.fromKeyFile(wrong), FaceTestSupport.MAPPER, 0))
                .isInstanceOf(FaceException.class).hasMessageContaining("gallery.mv.db").hasMessageContaining("wrong-key")
                .hasMessageContaining("wrong key");
        try (Gallery g = Gallery.open(gdir, GalleryCipher.fromKeyFile(key), FaceTestSupport.MAPPER, 0)) {
            assertThat(g.size()).isEqualTo(2);
        }
        // a key file that is not a 256-bit key
        Path bad = Files.writeString(dir.resolve("bad-key"), "secret");
        assertThatThrownBy(() -> GalleryCipher.fromKeyFile(bad)).isInstanceOf(FaceException.class)
                .hasMessageContaining("bad-key").hasMessageContaining("256-bit");
        assertThatThrownBy(() -> GalleryCipher.fromKeyFile(dir.resolve("none"))).hasMessageContaining("none")
                .hasMessageContaining("does not exist").hasMessageContaining("gallery new-key");
        // a key path that exists but cannot be read as a file (a folder)
        assertThatThrownBy(() -> GalleryCipher.fromKeyFile(dir)).isInstanceOf(FaceException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("cannot be read");
    }

    @Test
    void retentionRemovesExpiredTemplatesAndRemoveDeletes() {
        Path key = dir.resolve("key");
        GalleryCipher.generateKeyFile(key);
        try (Gallery g = Gallery.open(dir.resolve("g"), GalleryCipher.fromKeyFile(key), FaceTestSupport.MAPPER, 0)) {
            g.add("a", randomEmbedding(1), "m", 1, 1_000, 60_000);
            g.add("b", randomEmbedding(2), "m", 1, 1_000, 0);
            g.add("c", randomEmbedding(3), "m", 1, 1_000, 0);
            assertThat(g.purgeExpired(30_000)).isEmpty();
            assertThat(g.purgeExpired(61_000)).containsExactly("a");
            assertThat(g.remove("b")).isEqualTo(1);
            assertThat(g.remove("nobody")).isZero();
        }
        try (Gallery g = Gallery.open(dir.resolve("g"), GalleryCipher.fromKeyFile(key), FaceTestSupport.MAPPER, 0)) {
            assertThat(g.identities()).extracting(Gallery.Identity::identity).containsExactly("c");
        }
    }

    /**
     * The agent and a CLI command use one gallery and one audit log at the same time (two services on one folder, as
     * two processes would): the CLI's enrolment reaches the agent on refresh, its removal is erased from the agent's
     * memory, and entries appended by both keep one valid hash chain.
     */
    @Test
    void agentAndCliShareGalleryAndAuditLog() throws Exception {
        FaceSettings s = FaceTestSupport.settings(dir);
        try (FaceService agent = FaceService.open(s, FaceTestSupport.MAPPER, "agent", 1_000);
             FaceService cli = FaceService.open(s, FaceTestSupport.MAPPER, "cli", 2_000)) {
            assertThat(agent.refresh()).isFalse();
            cli.gallery().add("walk-in", randomEmbedding(7), "mobilefacenet", 0.9, 3_000, 0);
            cli.audit().append("enrol", 3_000, Map.of("actor", "cli", "identity", "walk-in"));
            assertThat(agent.templates("mobilefacenet")).isEmpty();
            assertThat(agent.refresh()).isTrue();
            List<Gallery.Template> seen = agent.templates("mobilefacenet");
            assertThat(seen).singleElement().satisfies(t -> assertThat(t.identity()).isEqualTo("walk-in"));
            assertThat(agent.refresh()).isFalse(); // nothing changed since
            agent.recordDecision("cam1", "t-1", "walk-in", 0.9, 2, 4_000);

            assertThat(cli.gallery().remove("walk-in")).isEqualTo(1);
            cli.audit().append("delete", 5_000, Map.of("actor", "cli", "identity", "walk-in"));
            assertThat(agent.refresh()).isTrue();
            assertThat(agent.templates("mobilefacenet")).isEmpty();
            float[] erased = seen.get(0).embedding();
            for (float v : erased) {
                assertThat(v).isZero(); // the agent's in-memory copy of a removed template is erased too
            }
            agent.recordDecision("cam1", "t-2", "nobody", 0.1, 6, 6_000);
        }
        List<String> lines = Files.readAllLines(s.auditFile());
        List<Long> seqs = lines.stream().map(l -> {
            try {
                return FaceTestSupport.MAPPER.readTree(l).get("seq").asLong();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(seqs).isEqualTo(java.util.stream.LongStream.rangeClosed(1, lines.size()).boxed().toList());
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"type\":\"enrol\""))
                .anySatisfy(l -> assertThat(l).contains("\"type\":\"delete\""))
                .anySatisfy(l -> assertThat(l).contains("\"track\":\"t-2\""));
        AuditLog.Verification v = AuditLog.verify(s.auditFile(), FaceTestSupport.MAPPER);
        assertThat(v.ok()).as(v.reason()).isTrue();
    }

    @Test
    void auditChainDetectsTampering() throws Exception {
        Path file = dir.resolve("audit/audit.jsonl");
        List<String> published = new ArrayList<>();
        try (AuditLog log = AuditLog.open(file, FaceTestSupport.MAPPER)) {
            log.publisher(b -> published.add(new String(b, StandardCharsets.UTF_8)));
            log.append("enrol", 1_000, Map.of("identity", "alice"));
            log.append("decision", 2_000, Map.of("identity", "alice", "camera", "cam1", "score", 0.71));
        }
        try (AuditLog log = AuditLog.open(file, FaceTestSupport.MAPPER)) { // the chain continues across restarts
            log.append("delete", 3_000, Map.of("identity", "alice"));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(published).containsExactly(lines.get(0), lines.get(1));
        assertThat(lines.get(1)).contains("\"prev\":\"" + lines.get(0).replaceAll(".*\"hash\":\"([0-9a-f]{64})\".*", "$1") + "\"");
        assertThat(AuditLog.verify(file, FaceTestSupport.MAPPER)).isEqualTo(new AuditLog.Verification(true, 3, 0, null));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        // one changed value
        Files.write(file, List.of(lines.get(0), lines.get(1).replace("0.71", "0.91"), lines.get(2)));
        AuditLog.Verification v = AuditLog.verify(file, FaceTestSupport.MAPPER);
        assertThat(v.ok()).isFalse();
        assertThat(v.badLine()).isEqualTo(2);
        assertThat(v.reason()).contains("line changed");
        // one removed line
        Files.write(file, List.of(lines.get(0), lines.get(2)));
        v = AuditLog.verify(file, FaceTestSupport.MAPPER);
        assertThat(v.ok()).isFalse();
        assertThat(v.badLine()).isEqualTo(2);
        assertThat(v.reason()).contains("prev does not match");
        // the newest line removed: the chain itself is intact, the head file beside the log catches it
        Files.write(file, List.of(lines.get(0), lines.get(1)));
        v = AuditLog.verify(file, FaceTestSupport.MAPPER);
        assertThat(v.ok()).isFalse();
        assertThat(v.badLine()).isEqualTo(3);
        assertThat(v.reason()).contains("ends at seq 2").contains("records seq 3").contains("removed from the end");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(AuditLog.headFile(file)))).isEqualTo("rw-------");
        // the original log verifies again
        Files.write(file, lines);
        assertThat(AuditLog.verify(file, FaceTestSupport.MAPPER).ok()).isTrue();
    }
}
