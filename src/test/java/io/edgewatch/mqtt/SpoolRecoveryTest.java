package io.edgewatch.mqtt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10, item 9: a damaged spool is moved aside and seq continues after the highest one ever spooled (never
 * reused); a spool held by another process is not treated as damaged; old damaged copies are removed.
 */
class SpoolRecoveryTest {

    private static SpoolSettings settings(Path dir, long maxAgeMs) {
        return new SpoolSettings(dir, 1 << 20, maxAgeMs, false, 4, 100, 1_000);
    }

    private static byte[] json(long seq) {
        return ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Events name tracks, zones and identities: the folder is the owner's only, and so is each file in it. */
    @Test
    void theSpoolFolderAndItsFilesAreTheOwnersOnly(@TempDir Path parent) throws Exception {
        Path dir = parent.resolve("spool");
        Path seq = dir.resolve(EventSpool.SEQ_FILE_NAME);
        try (EventSpool spool = new EventSpool(settings(dir, 3_600_000))) {
            spool.append(1, "t", json(1));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(EventSpool.FILE_NAME)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(seq))).isEqualTo("rw-------");
        Files.setPosixFilePermissions(seq, PosixFilePermissions.fromString("rw-r--r--")); // made by an older version
        try (EventSpool spool = new EventSpool(settings(dir, 3_600_000))) {
            spool.append(2, "t", json(2));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(seq))).isEqualTo("rw-------");
    }

    @Test
    void aDamagedSpoolIsMovedAsideAndSeqIsNeverReused(@TempDir Path dir) throws Exception {
        try (EventSpool spool = new EventSpool(settings(dir, 3_600_000))) {
            for (long i = 1; i <= 5; i++) {
                spool.append(i, "t", json(i));
            }
        }
        Path file = dir.resolve(EventSpool.FILE_NAME);
        byte[] garbage = new byte[(int) Files.size(file)];
        java.util.Arrays.fill(garbage, (byte) 0x5a);
        Files.write(file, garbage); // damaged beyond MVStore's recovery
        try (EventSpool spool = new EventSpool(settings(dir, 3_600_000))) {
            assertThat(spool.depth()).isZero();
            assertThat(spool.lastSeq()).as("the numbering continues").isEqualTo(5);
            spool.append(6, "t", json(6));
            assertThatThrownBy(() -> spool.append(3, "t", json(3))).isInstanceOf(IllegalArgumentException.class);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(EventSpool.FILE_NAME + ".corrupt-"));
        }
    }

    @Test
    void aSpoolInUseByAnotherOpenerIsRefusedNotMovedAside(@TempDir Path dir) throws Exception {
        try (EventSpool first = new EventSpool(settings(dir, 3_600_000))) {
            first.append(1, "t", json(1));
            assertThatThrownBy(() -> new EventSpool(settings(dir, 3_600_000)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("in use by another process").hasMessageContaining("edgewatch.spool.dir");
            assertThat(first.depth()).isEqualTo(1);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".corrupt-"));
        }
        try (EventSpool again = new EventSpool(settings(dir, 3_600_000))) {
            assertThat(again.depth()).isEqualTo(1);
            assertThat(again.first().seq()).isEqualTo(1);
        }
    }

    @Test
    void damagedCopiesOlderThanTheAgeBoundAreRemoved(@TempDir Path dir) throws Exception {
        Path old = Files.writeString(dir.resolve(EventSpool.FILE_NAME + ".corrupt-1000"), "x");
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
        Path recent = Files.writeString(dir.resolve(EventSpool.FILE_NAME + ".corrupt-2000"), "x");
        try (EventSpool spool = new EventSpool(settings(dir, 3_600_000))) {
            assertThat(spool.depth()).isZero();
        }
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
    }
}
