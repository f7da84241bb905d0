package io.edgewatch.face;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.events.EventTime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Append-only audit log of face processing, JSON lines (mode 0600). Each line is one object
 * {@code {"seq":n,"time":"RFC 3339","type":"...",...fields,"prev":"<hash of line n-1>","hash":"<sha256>"}} where
 * {@code hash} is the hex SHA-256 of the line's text up to (not including) {@code ,"hash"} closed by {@code }},
 * and {@code prev} of the first line is 64 zeros. Changing, removing or reordering a line breaks the chain, which
 * {@link #verify} reports with the line number. Entries never contain templates or images. Each line is forced to
 * disk before {@link #append} returns and then handed to the optional publisher (MQTT
 * {@code <prefix>/<device>/audit}). Forwarding is store-and-forward: {@code <log>.forwarded} records the seq up to
 * which every entry was <em>acknowledged</em> (MQTT PUBACK at QoS 1, not merely handed to the client); entries the
 * publisher refused (broker down, or written by the CLI while no agent ran) or that were sent but not acknowledged
 * before a disconnect are sent again, in order, from the file, by the next {@link #append}, {@link #forwardPending()}
 * or {@link #forwardAfterConnect()} (the agent calls it after every MQTT connect). Delivery is at least once: a
 * subscriber keeps the entries by {@code seq} and checks the chain.
 * <p>
 * A full disk loses no chain: a line is written whole with its head file or cut back to the last complete entry
 * (seq and hash do not advance, {@link #append} throws and the caller skips that frame's faces). A last line without
 * its newline found at open (torn by a crash or by an older version) is saved beside the log, cut off, and recorded
 * as a {@code torn-line} entry ({@code tornBytes}, {@code offset}, {@code savedTo}), so the log opens and verifies.
 * Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
    /** prev of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private final Path file;
    private final ObjectMapper mapper;
    private final FileChannel channel;
    /**
     * Where entries go: {@code send(line, acked)} hands one line over, throwing when it cannot now; {@code acked} runs
     * (on any thread) once the receiver has it for good (MQTT: the PUBACK).
     */
    @FunctionalInterface
    public interface Publisher {
        void send(byte[] line, Runnable acked);
    }

    private volatile Publisher publisher;
    /** Highest seq handed to the publisher in this connection (acknowledged or not). */
    private long sentSeq;
    /** Acknowledged seqs above {@link #forwardedSeq} that arrived out of order. */
    private final java.util.TreeSet<Long> ackedAhead = new java.util.TreeSet<>();
    private String lastHash;
    private long seq;
    private long forwardedSeq;
    private boolean forwardWarned;
    private boolean forwardedFileWarned;
    /** Fields of a torn-line entry still to be written (the disk was full at open), or null. */
    private Map<String, Object> pendingNote;

    private AuditLog(Path file, ObjectMapper mapper, FileChannel channel, String lastHash, long seq, long forwardedSeq) {
        this.file = file;
        this.mapper = mapper;
        this.channel = channel;
        this.lastHash = lastHash;
        this.seq = seq;
        this.forwardedSeq = forwardedSeq;
        this.sentSeq = forwardedSeq;
    }

    /**
     * Opens (or creates) a log and continues its chain.
     *
     * @throws FaceException naming the file when it cannot be opened or its last line is not an audit entry
     */
    public static AuditLog open(Path file, ObjectMapper mapper) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            }
            Map<String, Object> torn = cutTornTail(file);
            String last = GENESIS;
            long seq = 0;
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    JsonNode n;
                    try {
                        n = mapper.readTree(lines.get(i));
                    } catch (IOException e) {
                        n = null;
                    }
                    if (n == null || !n.hasNonNull("hash") || !n.hasNonNull("seq")) {
                        throw new FaceException("audit log " + file + ": line " + (i + 1) + " is not an audit entry");
                    }
                    last = n.get("hash").asText();
                    seq = n.get("seq").asLong();
                    break;
                }
            }
            long forwarded = readForwarded(file);
            if (forwarded > seq) {
                // the log was replaced or restored from an older copy: forward what it holds again
                forwarded = 0;
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            AuditLog log = new AuditLog(file, mapper, ch, last, seq, forwarded);
            log.completeHead();
            if (torn != null) {
                log.pendingNote = torn;
                log.writePendingNote();
            }
            return log;
        } catch (IOException e) {
            throw new FaceException("audit log " + file + " cannot be opened: " + e.getMessage(), e);
        }
    }

    /**
     * A last line without its newline was torn by a failed write (full disk, crash): it is copied to
     * {@code <log>.torn-<epochMs>} (when the disk allows), cut off, and described by the returned fields, which the log
     * records as a {@code torn-line} entry. Null when the file ends with a newline (or is empty).
     */
    private static Map<String, Object> cutTornTail(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                return null;
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, size - 1);
            if (one.get(0) == '\n') {
                return null;
            }
            // find the last newline, reading backwards in blocks
            long cut = 0;
            ByteBuffer block = ByteBuffer.allocate(8192);
            for (long end = size; end > 0 && cut == 0; ) {
                long start = Math.max(0, end - block.capacity());
                block.clear().limit((int) (end - start));
                ch.read(block, start);
                for (int i = (int) (end - start) - 1; i >= 0; i--) {
                    if (block.get(i) == '\n') {
                        cut = start + i + 1;
                        break;
                    }
                }
                end = start;
            }
            long tornBytes = size - cut;
            String savedTo = null;
            try {
                Path aside = file.resolveSibling(file.getFileName() + ".torn-" + System.currentTimeMillis());
                try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ch.transferTo(cut, tornBytes, out);
                    out.force(false);
                }
                savedTo = aside.getFileName().toString();
            } catch (IOException e) {
                // disk still full: the torn bytes are an incomplete entry, verifiable by nothing; cut them anyway
            }
            ch.truncate(cut);
            ch.force(true);
            org.jboss.logging.Logger.getLogger(AuditLog.class).warnf("audit log %s: its last line was torn by a failed write (%d bytes at offset %d);"
                    + " cut off%s and recorded as a torn-line entry", file, tornBytes, cut, savedTo == null ? "" : ", saved to " + savedTo);
            Map<String, Object> note = new LinkedHashMap<>();
            note.put("tornBytes", tornBytes);
            note.put("offset", cut);
            note.put("savedTo", savedTo);
            return note;
        }
    }

    /** A crash between writing a line and its head file: the head is brought up to the last line. */
    private void completeHead() {
        Path head = headFile(file);
        try {
            if (seq == 0) {
                return;
            }
            String[] h = Files.exists(head) ? Files.readString(head, StandardCharsets.UTF_8).trim().split(" ") : new String[0];
            if (h.length == 2 && h[0].equals(Long.toString(seq - 1))) {
                writeHead(file, seq, lastHash);
            }
        } catch (IOException e) {
            // verify-audit reports a head that does not match
        }
    }

    /** Records a torn line found at open as an entry now, or (disk still full) before the next entry. */
    private synchronized void writePendingNote() {
        try (java.nio.channels.FileLock lock = channel.lock()) {
            syncTail();
            writePendingNoteLocked(System.currentTimeMillis());
        } catch (IOException | FaceException e) {
            // kept in pendingNote: append writes it first
        }
    }

    /** Under the file lock: the pending torn-line entry, if any. */
    private void writePendingNoteLocked(long timeMs) {
        if (pendingNote != null) {
            appendLocked("torn-line", timeMs, pendingNote);
            pendingNote = null;
        }
    }

    /** Sets where each appended line is also sent (e.g. MQTT), or null; see {@link Publisher}. */
    public void publisher(Publisher p) {
        this.publisher = p;
    }

    /** A publisher that is done when it returns (standard output, a list): the hand-off is the acknowledgement. */
    public void publisher(Consumer<byte[]> p) {
        this.publisher = p == null ? null : (line, acked) -> {
            p.accept(line);
            acked.run();
        };
    }

    /**
     * After a (re)connect: whatever was sent but not acknowledged before is sent again, then everything pending.
     *
     * @return entries sent by this call
     */
    public synchronized int forwardAfterConnect() {
        sentSeq = forwardedSeq;
        ackedAhead.clear();
        return forwardPending();
    }

    /**
     * Appends one entry and forces it to disk.
     *
     * @param type   {@code enrol}, {@code delete}, {@code decision}, {@code config}, {@code purge}, ...
     * @param fields further fields (no templates, no images)
     * @return the line written, without the newline
     * @throws FaceException when the line cannot be written (the log then still ends with its last complete entry)
     */
    public synchronized String append(String type, long timeMs, Map<String, ?> fields) {
        // another process (a CLI command beside the agent) may have appended since: an exclusive file lock around
        // read-tail-and-append keeps one chain
        try (java.nio.channels.FileLock lock = channel.lock()) {
            syncTail();
            writePendingNoteLocked(timeMs);
            return appendLocked(type, timeMs, fields);
        } catch (IOException e) {
            throw new FaceException("audit log " + file + " cannot be locked for writing: " + e.getMessage(), e);
        }
    }

    /** Adopts the newest entry recorded in the head file when another process appended after this one. */
    private void syncTail() {
        try {
            Path head = headFile(file);
            if (!Files.exists(head)) {
                return;
            }
            String[] h = Files.readString(head, StandardCharsets.UTF_8).trim().split(" ");
            if (h.length == 2 && h[0].matches("\\d{1,18}") && h[1].matches("[0-9a-f]{64}")) {
                long headSeq = Long.parseLong(h[0]);
                if (headSeq > seq) {
                    seq = headSeq;
                    lastHash = h[1];
                }
            }
        } catch (IOException e) {
            // keep the in-memory tail; verify-audit reports any break
        }
    }

    private String appendLocked(String type, long timeMs, Map<String, ?> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq + 1);
        m.put("time", EventTime.format(timeMs));
        m.put("type", type);
        fields.forEach((k, v) -> {
            if (!m.containsKey(k) && !"prev".equals(k) && !"hash".equals(k)) {
                m.put(k, v);
            }
        });
        m.put("prev", lastHash);
        String body;
        try {
            body = mapper.writeValueAsString(m);
        } catch (IOException e) {
            throw new FaceException("audit entry " + type + " cannot be serialised: " + e.getMessage(), e);
        }
        String hash = sha256(body);
        String line = body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}";
        long good;
        try {
            good = channel.size();
        } catch (IOException e) {
            throw new FaceException("audit log " + file + " cannot be written: " + e.getMessage(), e);
        }
        try {
            // FileChannel.write may write fewer bytes than asked (full disk): write all or roll back
            ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                if (channel.write(buf) == 0) {
                    throw new IOException("no byte written (no space left on device?)");
                }
            }
            channel.force(false);
            writeHead(file, seq + 1, hash);
        } catch (IOException e) {
            rollBack(good);
            throw new FaceException("audit log " + file + " cannot be written (entry " + (seq + 1) + " " + type + " not recorded, the log"
                    + " ends at entry " + seq + "): " + e.getMessage(), e);
        }
        seq++;
        lastHash = hash;
        if (publisher != null) {
            if (sentSeq == seq - 1) {
                forward(seq, line); // nothing pending: no need to read the file
            } else {
                forwardPending();
            }
        }
        return line;
    }

    /** Cuts a partly written line off, so the log ends with its last complete entry. */
    private void rollBack(long goodSize) {
        try {
            channel.truncate(goodSize);
            channel.force(true);
        } catch (IOException e) {
            // cut at the next open (a last line without newline is recognised as torn)
            org.jboss.logging.Logger.getLogger(AuditLog.class).warnf("audit log %s: a partly written line could not be cut off now (%s);"
                    + " it is cut at the next start", file, e.getMessage());
        }
    }

    /**
     * Sends every entry after the last forwarded one, in order, from the file; stops at the first the publisher
     * refuses (they stay pending). Called after each MQTT (re)connect.
     *
     * @return entries forwarded by this call
     * @throws FaceException when the log cannot be read
     */
    public synchronized int forwardPending() {
        syncTail(); // entries a CLI command appended while the agent runs
        if (publisher == null || sentSeq >= seq) {
            return 0;
        }
        int sent = 0;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isBlank()) {
                    continue;
                }
                long n = mapper.readTree(line).path("seq").asLong(-1);
                if (n <= sentSeq) {
                    continue;
                }
                if (!forward(n, line)) {
                    break;
                }
                sent++;
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new FaceException("audit log " + file + " cannot be read for forwarding: " + e.getMessage(), e);
        }
        if (sent > 0) {
            org.jboss.logging.Logger.getLogger(AuditLog.class).infof("audit: %d pending entries sent (up to seq %d)", sent, sentSeq);
        }
        return sent;
    }

    /** Entries not yet acknowledged by the receiver. */
    public synchronized long pendingForward() {
        return seq - forwardedSeq;
    }

    private boolean forward(long entrySeq, String line) {
        Publisher p = publisher;
        try {
            p.send(line.getBytes(StandardCharsets.UTF_8), () -> acknowledged(entrySeq));
        } catch (RuntimeException e) {
            if (!forwardWarned) {
                forwardWarned = true;
                // at start-up the first entry is written before the broker connection is up: not a warning
                org.jboss.logging.Logger.getLogger(AuditLog.class).infof("audit: entries from seq %d on are pending (%s); they stay in %s"
                        + " and are published after the next MQTT connect", entrySeq, e.getMessage(), file);
            }
            return false;
        }
        forwardWarned = false;
        sentSeq = entrySeq;
        return true;
    }

    /** The receiver has entry {@code entrySeq}: the forwarded mark advances over every contiguous acknowledged entry. */
    private synchronized void acknowledged(long entrySeq) {
        if (entrySeq <= forwardedSeq) {
            return;
        }
        ackedAhead.add(entrySeq);
        long before = forwardedSeq;
        while (ackedAhead.remove(forwardedSeq + 1)) {
            forwardedSeq++;
        }
        if (forwardedSeq == before) {
            return;
        }
        try {
            writeSeqFile(forwardedFile(file), Long.toString(forwardedSeq));
            forwardedFileWarned = false;
        } catch (IOException e) {
            // the entry arrived; at worst it is sent again after a restart (at-least-once); one warning until it works again
            if (!forwardedFileWarned) {
                forwardedFileWarned = true;
                org.jboss.logging.Logger.getLogger(AuditLog.class).warnf("audit: %s cannot be written: %s", forwardedFile(file), e.getMessage());
            }
        }
    }

    /** The file beside the log that records the seq of the last entry handed to the publisher ({@code <log>.forwarded}). */
    public static Path forwardedFile(Path log) {
        return log.resolveSibling(log.getFileName() + ".forwarded");
    }

    private static long readForwarded(Path log) throws IOException {
        Path f = forwardedFile(log);
        if (!Files.exists(f)) {
            return 0;
        }
        String v = Files.readString(f, StandardCharsets.UTF_8).trim();
        return v.matches("\\d{1,18}") ? Long.parseLong(v) : 0; // unreadable marker: forward everything again
    }

    /**
     * Result of {@link #verify}.
     *
     * @param ok      true when every line chains correctly
     * @param entries entries checked
     * @param badLine first bad line, 1-based (0 when ok)
     * @param reason  what is wrong, or null
     */
    public record Verification(boolean ok, long entries, long badLine, String reason) { }

    /**
     * Re-computes the hash chain of a log file.
     *
     * @throws FaceException when the file cannot be read
     */
    public static Verification verify(Path file, ObjectMapper mapper) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FaceException("audit log " + file + " cannot be read: " + e.getMessage(), e);
        }
        String prev = GENESIS;
        long n = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() && i == lines.size() - 1) {
                break;
            }
            int at = line.lastIndexOf(",\"hash\":\"");
            if (at < 0 || !line.endsWith("\"}")) {
                return new Verification(false, n, i + 1, "no hash field");
            }
            String body = line.substring(0, at) + "}";
            String hash = line.substring(at + 9, line.length() - 2);
            if (!sha256(body).equals(hash)) {
                return new Verification(false, n, i + 1, "hash does not match the line's content (line changed)");
            }
            JsonNode node;
            try {
                node = mapper.readTree(body);
            } catch (IOException e) {
                return new Verification(false, n, i + 1, "not JSON: " + e.getMessage());
            }
            if (!prev.equals(node.path("prev").asText())) {
                return new Verification(false, n, i + 1, "prev does not match the previous line's hash (line removed, inserted or reordered)");
            }
            if (node.path("seq").asLong() != n + 1) {
                return new Verification(false, n, i + 1, "seq " + node.path("seq").asLong() + " where " + (n + 1) + " was expected");
            }
            prev = hash;
            n++;
        }
        Path head = headFile(file);
        if (Files.isRegularFile(head)) {
            String[] h;
            try {
                h = Files.readString(head, StandardCharsets.UTF_8).strip().split(" ");
            } catch (IOException e) {
                throw new FaceException("audit head " + head + " cannot be read: " + e.getMessage(), e);
            }
            long headSeq = h.length == 2 && h[0].matches("\\d+") ? Long.parseLong(h[0]) : -1;
            if (headSeq > n) {
                return new Verification(false, n, n + 1, "the log ends at seq " + n + " but " + head.getFileName() + " records seq "
                        + headSeq + " (lines removed from the end)");
            }
            if (headSeq < n || !h[1].equals(prev)) {
                return new Verification(false, n, headSeq < n ? headSeq + 1 : n, "the log does not end with the entry recorded in "
                        + head.getFileName() + " (seq " + h[0] + "): lines added or changed outside the agent");
            }
        }
        return new Verification(true, n, 0, null);
    }

    /** The file beside the log that records the seq and hash of its last entry ({@code <log>.head}). */
    public static Path headFile(Path log) {
        return log.resolveSibling(log.getFileName() + ".head");
    }

    /** Records the last entry (atomic replace), so removing lines from the end of the log is detected. */
    private static void writeHead(Path log, long seq, String hash) throws IOException {
        writeSeqFile(headFile(log), seq + " " + hash);
    }

    /** Replaces a small marker file atomically (mode 0600). */
    private static void writeSeqFile(Path head, String content) throws IOException {
        Path tmp = head.resolveSibling(head.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, content + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            Files.deleteIfExists(tmp); // a partly written marker is never moved over the good one
            throw e;
        }
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default mode
        }
        Files.move(tmp, head, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The last entry of a type, or null (reads the file; meant for start-up).
     *
     * @throws FaceException when the file cannot be read
     */
    public synchronized JsonNode lastOfType(String type) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).contains("\"type\":\"" + type + "\"")) {
                    JsonNode n = mapper.readTree(lines.get(i));
                    if (type.equals(n.path("type").asText())) {
                        return n;
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new FaceException("audit log " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Entries written so far (including earlier runs). */
    public synchronized long entries() {
        return seq;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was lost: every append was forced
        }
    }
}
