package io.edgewatch.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A real, small file system for disk-full tests: a tmpfs of a few hundred KiB mounted on a fresh folder
 * ({@code mount -t tmpfs -o size=...}, which needs root: the project's machines and CI run as root; elsewhere the
 * test is skipped with that reason). {@link #fill()} writes a filler file until the kernel answers ENOSPC,
 * {@link #free()} deletes it. {@link #close()} unmounts.
 */
public final class SmallFilesystem implements AutoCloseable {
    private final Path mountPoint;
    private final Path filler;

    private SmallFilesystem(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    /** Mounts a tmpfs of {@code sizeKiB} KiB; skips the calling test when mounting is not permitted. */
    public static SmallFilesystem mount(int sizeKiB) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("small-fs");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + sizeKiB + "k,mode=0700", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean ok = p.waitFor() == 0;
        Assumptions.assumeTrue(ok, "mounting a tmpfs needs root (the project's CI runs as root): " + out.strip());
        return new SmallFilesystem(dir);
    }

    /** The mounted folder. */
    public Path root() {
        return mountPoint;
    }

    /** Fills the file system until a write fails with "No space left on device"; returns the bytes written. */
    public long fill() throws IOException {
        long written = 0;
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (true) {
                block.clear();
                try {
                    int n = ch.write(block);
                    if (n == 0) {
                        break;
                    }
                    written += n;
                } catch (IOException e) {
                    if (!String.valueOf(e.getMessage()).contains("No space left")) {
                        throw e;
                    }
                    break;
                }
            }
        }
        return written;
    }

    /** Bytes the file system still has for this user. */
    public long usableBytes() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    /** Deletes the filler file. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", mountPoint.toString()).redirectErrorStream(true).start().waitFor();
        Files.deleteIfExists(mountPoint);
    }
}
