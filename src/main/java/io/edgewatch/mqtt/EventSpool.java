package io.edgewatch.mqtt;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import io.edgewatch.util.TypedMaps;
import org.h2.mvstore.MVStoreException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Crash-safe store-and-forward queue of serialized events, keyed by their per-agent sequence number, in an H2
 * MVStore file ({@code <dir>/events.mv.db}). An event is committed to the file before it is handed to the MQTT
 * client and removed only after the broker acknowledged it, so neither a broker outage nor a killed agent loses
 * it. The last sequence number ever assigned is kept too, so numbering continues after a restart.
 * <p>
 * Bounded by {@link SpoolSettings#maxBytes()} (payload + topic bytes) and {@link SpoolSettings#maxAgeMs()}: when
 * an append would exceed the size, or an event grows older than the age, the <em>oldest</em> events are dropped,
 * counted, and their sequence range is recorded as a pending {@link Gap} (persisted) until a gap notice has been
 * acknowledged by the broker. Thread-safe (all methods synchronized; MVStore itself is thread-safe).
 * <p>
 * Durability: every append is committed (written to the file, so it survives the process being killed);
 * with {@link SpoolSettings#fsync()} it is also forced to the storage device (survives power loss, costs flash
 * wear). Removals are committed lazily: after a crash an acknowledged event may be sent again (at-least-once,
 * subscribers de-duplicate by {@code seq}).
 * <p>
 * A full disk (or any other write error) does not stop it: MVStore closes the store on a failed write, so the
 * spool then keeps new events in memory (at most {@link #heldLimitBytes()}) and serves the events already on disk
 * from a read-only view, and the sender delivers both in seq order; the store is reopened with back-off (1 s doubled
 * to 30 s) and the events held in memory are written to it once it can be written again. Events that could not be
 * kept (memory bound exceeded while the broker is away, or still in memory when the agent stopped) are announced as
 * a gap with reason {@code disk-full}. One warning when writing fails, one line per minute while it lasts, one when
 * it is back.
 */
public final class EventSpool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventSpool.class);
    /** File name inside the spool directory. */
    public static final String FILE_NAME = "events.mv.db";
    /** Beside the spool: the highest seq ever spooled, kept outside the MVStore file. */
    public static final String SEQ_FILE_NAME = "events.seq";

    /**
     * A range of sequence numbers that was dropped before it could be delivered.
     *
     * @param fromSeq first lost seq, inclusive
     * @param toSeq   last lost seq, inclusive
     * @param reason  {@code spool-full}, {@code expired}, {@code rejected} (by the broker) or {@code disk-full}
     */
    public record Gap(long fromSeq, long toSeq, String reason) {
        /** Number of events lost. */
        public long count() {
            return toSeq - fromSeq + 1;
        }
    }

    /**
     * One pending event.
     *
     * @param seq        sequence number
     * @param topic      MQTT topic
     * @param payload    UTF-8 JSON
     * @param spooledAtMs epoch ms when it was spooled
     */
    public record Entry(long seq, String topic, byte[] payload, long spooledAtMs) { }

    /** Largest memory kept for events while the store cannot be written, bytes. */
    static final long HELD_MAX_BYTES = 8L << 20;
    /** Reopen attempts while the store cannot be written: first delay and cap, ms. */
    static final long REOPEN_MIN_MS = 1_000;
    static final long REOPEN_MAX_MS = 30_000;
    /** While the store cannot be written, a reminder at most this often, ms. */
    static final long DOWN_REMINDER_MS = 60_000;

    private final SpoolSettings settings;
    private final Path file;
    private MVStore store;
    private final Path seqFile;
    /** Kept open: each append overwrites the seq in place (no open/close per event). */
    private java.nio.channels.FileChannel seqChannel;
    private long seqFloor;
    private boolean seqWarned;
    private MVMap<Long, byte[]> events;
    private MVMap<Long, String> gaps;
    private MVMap<String, Long> meta;
    private long bytes;
    private long dropped;
    /** Highest seq accepted (stored or held). */
    private long acceptedSeq;

    // --- while the store cannot be written (down) ---
    private boolean down;
    private long downSinceMs;
    private long reopenDelayMs;
    private long nextReopenMs;
    private long lastReminderMs;
    /** Read-only view of what the file held when writing failed (null when even that cannot be opened). */
    private MVStore reader;
    private MVMap<Long, byte[]> readerEvents;
    private MVMap<Long, String> readerGaps;
    /** Events accepted while down, not yet in the file, by seq (encoded values). */
    private final java.util.TreeMap<Long, byte[]> held = new java.util.TreeMap<>();
    private long heldBytes;
    /** Events of the read-only view acknowledged (or rejected) while down: removed from the file on reopen. */
    private final java.util.Set<Long> removedWhileDown = new java.util.HashSet<>();
    /** Gaps that arose while down (memory), by first seq. */
    private final java.util.TreeMap<Long, Gap> lostWhileDown = new java.util.TreeMap<>();
    /** Gaps of the read-only view announced while down: removed from the file on reopen. */
    private final java.util.Set<Long> announcedWhileDown = new java.util.HashSet<>();
    private long lostDiskFull;
    private boolean readerWarned;
    /** The file was being created when writing failed: it holds nothing to keep. */
    private boolean freshFile;
    /** Acknowledged events removed since the last commit: a failed write rolls the file back to before their removal. */
    private final java.util.Set<Long> uncommittedRemovals = new java.util.HashSet<>();

    /**
     * Opens (or creates) the spool in {@code settings.dir()}. A damaged file is moved aside to
     * {@code events.mv.db.corrupt-<epochMs>} (kept for inspection until older than the age bound) and a fresh spool
     * is started; the error is logged with both file names. Its seq numbering continues after the highest seq ever
     * spooled here ({@value #SEQ_FILE_NAME}), so subscribers that de-duplicate by seq drop nothing. A file held by
     * another process or unreadable for another reason is left alone and refused.
     *
     * @throws IllegalArgumentException naming the directory when it cannot be created or written, or naming the file
     *                                  when another process holds it, this user cannot read and write it, or another
     *                                  MVStore version wrote it
     */
    public EventSpool(SpoolSettings settings) {
        this.settings = settings;
        try {
            if (!Files.isDirectory(settings.dir())) {
                Files.createDirectories(settings.dir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("edgewatch.spool.dir " + settings.dir() + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(settings.dir())) {
            throw new IllegalArgumentException("edgewatch.spool.dir " + settings.dir() + " is not writable");
        }
        this.file = settings.dir().resolve(FILE_NAME);
        this.seqFile = settings.dir().resolve(SEQ_FILE_NAME);
        this.seqFloor = readSeqFloor(seqFile);
        removeOldCopies(settings.dir(), settings.maxAgeMs());
        MVStore s = null;
        Maps maps = null;
        boolean movedAside = false;
        RuntimeException writeFailure = null;
        boolean existed = Files.exists(file);
        try {
            try {
                s = open(file);
            } catch (MVStoreException | IllegalStateException e) {
                if (isWriteFailure(e)) {
                    throw e;
                }
                refuseUnlessCorrupt(e);
                movedAside = true;
                moveAside("cannot be opened", "is corrupt", e);
                s = open(file);
            }
            try {
                maps = Maps.open(s);
                s.commit();
            } catch (MVStoreException | IllegalStateException e) {
                if (isWriteFailure(e)) {
                    throw e;
                }
                // a map of the wrong types (or a serialised object) is not ours: keep it aside, start empty
                s.closeImmediately();
                movedAside = true;
                moveAside("holds data that is not the spool's", "is not trustworthy", e);
                s = open(file);
                maps = Maps.open(s);
                s.commit();
            }
        } catch (MVStoreException | IllegalStateException e) {
            if (!isWriteFailure(e)) {
                throw e;
            }
            writeFailure = e; // a full disk at start: start in memory, reopen with back-off
            if (!existed) {
                freshFile = true; // what a failed creation left is no store: removed before each reopen
                try {
                    Files.deleteIfExists(file);
                } catch (IOException io) {
                    LOG.debugf("event spool %s: %s", file, io.getMessage());
                }
            }
        }
        try {
            if (Files.exists(file)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------")); // events name tracks, zones, identities
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("event spool %s: cannot make it readable by its owner only: %s", file, e.getMessage());
        }
        this.store = s;
        acceptedSeq = seqFloor;
        if (writeFailure != null) {
            goDown(writeFailure);
            return;
        }
        this.events = maps.events();
        this.gaps = maps.gaps();
        this.meta = maps.meta();
        for (Cursor<Long, byte[]> c = events.cursor(null); c.hasNext(); ) {
            c.next();
            bytes += c.getValue().length;
        }
        dropped = meta.getOrDefault("dropped", 0L);
        long stored = meta.getOrDefault("lastSeq", 0L);
        if (!movedAside && stored > 0 && seqFloor > stored) {
            // accepted while the disk was full and still in memory when the agent stopped: never stored
            try {
                gaps.put(stored + 1, seqFloor + ",disk-full");
                meta.put("lastSeq", seqFloor);
                s.commit();
                LOG.warnf("event spool %s: events seq %d..%d were accepted while it could not be written and were not stored before"
                        + " the agent stopped; announced as a gap (disk-full)", file, stored + 1, seqFloor);
            } catch (MVStoreException | IllegalStateException e) {
                goDown(e);
                lostWhileDown.put(stored + 1, new Gap(stored + 1, seqFloor, "disk-full"));
                return;
            }
        }
        acceptedSeq = Math.max(seqFloor, meta.getOrDefault("lastSeq", 0L));
    }

    /** Keeps a spool file that cannot be used as {@code events.mv.db.corrupt-<epochMs>} (logged with both names). */
    private void moveAside(String what, String refusal, RuntimeException cause) {
        Path aside = file.resolveSibling(FILE_NAME + ".corrupt-" + System.currentTimeMillis());
        LOG.errorf("event spool %s %s (%s); moved to %s, starting an empty spool", file, what, cause.getMessage(), aside);
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException io) {
            throw new IllegalArgumentException("event spool " + file + " " + refusal + " and cannot be moved aside: " + io.getMessage(), io);
        }
    }

    /** True when an MVStore error comes from a failed write (full disk, I/O error), not from damaged content. */
    static boolean isWriteFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_WRITING_FAILED) {
                return true;
            }
            if (t instanceof IOException && String.valueOf(t.getMessage()).contains("No space left")) {
                return true;
            }
        }
        return false;
    }

    /** The spool's three maps, with explicit types ({@link TypedMaps}). */
    private record Maps(MVMap<Long, byte[]> events, MVMap<Long, String> gaps, MVMap<String, Long> meta) {
        static Maps open(MVStore s) {
            return new Maps(TypedMaps.open(s, "events", LongDataType.INSTANCE, ByteArrayDataType.INSTANCE, Long.class, byte[].class),
                    TypedMaps.open(s, "gaps", LongDataType.INSTANCE, StringDataType.INSTANCE, Long.class, String.class),
                    TypedMaps.open(s, "meta", StringDataType.INSTANCE, LongDataType.INSTANCE, String.class, Long.class));
        }
    }

    /**
     * A spool that cannot be opened for a reason other than damage (held by another process, unreadable, written by a
     * newer MVStore) is not moved aside: its events are not lost, start-up stops naming the file and the reason.
     */
    private void refuseUnlessCorrupt(RuntimeException e) {
        if (e instanceof MVStoreException m) {
            int code = m.getErrorCode();
            if (code == DataUtils.ERROR_FILE_LOCKED) {
                throw new IllegalArgumentException("event spool " + file + " is in use by another process (a second agent? give each its"
                        + " own edgewatch.spool.dir); not touched: " + m.getMessage(), m);
            }
            if (code == DataUtils.ERROR_UNSUPPORTED_FORMAT) {
                throw new IllegalArgumentException("event spool " + file + " was written by another MVStore version (" + m.getMessage()
                        + "); not moved aside, its pending events are kept", m);
            }
        }
        if (Files.exists(file) && (!Files.isReadable(file) || !Files.isWritable(file))) {
            throw new IllegalArgumentException("event spool " + file + " is not readable and writable by this user (" + e.getMessage()
                    + "); not moved aside, its pending events are kept: fix its owner or mode", e);
        }
    }

    /** The highest seq ever spooled in this folder, from {@value #SEQ_FILE_NAME} (0 when absent or unreadable). */
    private static long readSeqFloor(Path seqFile) {
        try {
            String v = Files.readString(seqFile, StandardCharsets.US_ASCII).strip();
            return v.matches("\\d{1,18}") ? Long.parseLong(v) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Removes {@code events.mv.db.corrupt-*} copies older than the spool's age bound (their events expired anyway). */
    private static void removeOldCopies(Path dir, long maxAgeMs) {
        long now = System.currentTimeMillis();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().startsWith(FILE_NAME + ".corrupt-")
                        && now - Files.getLastModifiedTime(p).toMillis() > maxAgeMs) {
                    Files.deleteIfExists(p);
                    LOG.infof("event spool: removed %s, older than edgewatch.spool.max-age-s", p);
                }
            }
        } catch (IOException e) {
            LOG.warnf("event spool %s: old corrupt copies not removed: %s", dir, e.getMessage());
        }
    }

    /**
     * Records the highest seq outside the MVStore file, so a damaged spool never makes seq start again: 20 characters
     * (the number padded with spaces) written in place at offset 0.
     */
    private void writeSeqFloor(long seq) {
        try {
            if (seqChannel == null) {
                seqChannel = java.nio.channels.FileChannel.open(seqFile, java.util.Set.of(java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.setPosixFilePermissions(seqFile, PosixFilePermissions.fromString("rw-------")); // also one made before
            }
            seqChannel.write(ByteBuffer.wrap(String.format(java.util.Locale.ROOT, "%-20d", seq).getBytes(StandardCharsets.US_ASCII)), 0);
            if (settings.fsync()) {
                seqChannel.force(false);
            }
            seqFloor = seq;
        } catch (IOException e) {
            if (!seqWarned) {
                seqWarned = true;
                LOG.warnf("event spool: %s cannot be written: %s", seqFile, e.getMessage());
            }
        }
    }

    private static MVStore open(Path file) {
        // auto-commit stays on as a back-stop for lazily committed removals; appends commit explicitly
        return new MVStore.Builder().fileName(file.toString()).open();
    }

    /**
     * Stores one event and commits it to the file. Drops the oldest events first when the spool would exceed its
     * size bound (a single event larger than the bound is still stored: the newest event is never the one lost).
     * When the file cannot be written (disk full), the event is kept in memory instead (see the class comment).
     *
     * @param seq     its sequence number, greater than any before
     * @param topic   MQTT topic
     * @param payload serialized event
     * @throws IllegalArgumentException when {@code seq} does not increase
     */
    public synchronized void append(long seq, String topic, byte[] payload) {
        long last = lastSeq();
        if (seq <= last) {
            throw new IllegalArgumentException("spool seq must increase: " + seq + " after " + last);
        }
        byte[] value = encode(topic, payload, System.currentTimeMillis());
        acceptedSeq = seq;
        reopenIfDue(System.currentTimeMillis());
        if (!down) {
            try {
                while (bytes + value.length > settings.maxBytes() && !events.isEmpty()) {
                    dropOldest("spool-full");
                }
                events.put(seq, value);
                bytes += value.length;
                meta.put("lastSeq", seq);
                commit(true);
                writeSeqFloor(seq);
                return;
            } catch (MVStoreException | IllegalStateException e) {
                goDown(e);
            }
        }
        hold(seq, value);
        writeSeqFloor(seq);
    }

    /** Keeps an event in memory while down; the oldest held events beyond the bound are lost as a disk-full gap. */
    private void hold(long seq, byte[] value) {
        held.put(seq, value);
        heldBytes += value.length;
        bytes += value.length;
        while (heldBytes > heldLimitBytes() && held.size() > 1) {
            Map.Entry<Long, byte[]> oldest = held.pollFirstEntry();
            heldBytes -= oldest.getValue().length;
            bytes -= oldest.getValue().length;
            lose(oldest.getKey(), "disk-full");
            lostDiskFull++;
        }
    }

    /** Records one lost seq while down, merged with the previous gap of the same reason when contiguous. */
    private void lose(long seq, String reason) {
        dropped++;
        Map.Entry<Long, Gap> last = lostWhileDown.lastEntry();
        if (last != null && last.getValue().toSeq() == seq - 1 && last.getValue().reason().equals(reason)) {
            lostWhileDown.put(last.getKey(), new Gap(last.getKey(), seq, reason));
        } else {
            lostWhileDown.put(seq, new Gap(seq, seq, reason));
        }
    }

    /** Memory the spool may use for events while its file cannot be written: min(max-bytes, 8 MiB). */
    public long heldLimitBytes() {
        return Math.min(settings.maxBytes(), HELD_MAX_BYTES);
    }

    /**
     * Drops events older than {@link SpoolSettings#maxAgeMs()}.
     *
     * @return number dropped
     */
    public synchronized int expire(long nowMs) {
        reopenIfDue(nowMs);
        int n = 0;
        if (!down) {
            try {
                Long k;
                while ((k = events.firstKey()) != null && nowMs - spooledAt(events.get(k)) > settings.maxAgeMs()) {
                    dropOldest("expired");
                    n++;
                }
                if (n > 0) {
                    commit(true);
                }
                return n;
            } catch (MVStoreException | IllegalStateException e) {
                goDown(e);
                n = 0;
            }
        }
        Map.Entry<Long, byte[]> h;
        while ((h = held.firstEntry()) != null && nowMs - spooledAt(h.getValue()) > settings.maxAgeMs()) {
            held.pollFirstEntry();
            heldBytes -= h.getValue().length;
            bytes -= h.getValue().length;
            lose(h.getKey(), "expired");
            n++;
        }
        return n;
    }

    private void dropOldest(String reason) {
        Long k = events.firstKey();
        byte[] v = events.remove(k);
        bytes -= v.length;
        dropped++;
        meta.put("dropped", dropped);
        Long before = gaps.floorKey(k - 1);
        Map.Entry<Long, String> lastGap = before == null ? null : Map.entry(before, gaps.get(before));
        if (lastGap != null) {
            Gap g = parseGap(lastGap.getKey(), lastGap.getValue());
            if (g.toSeq() == k - 1 && g.reason().equals(reason)) {
                gaps.put(g.fromSeq(), (k) + "," + reason);
                return;
            }
        }
        gaps.put(k, k + "," + reason);
    }

    /** The event with the lowest seq, or null when empty. */
    public synchronized Entry first() {
        return after(Long.MIN_VALUE);
    }

    /** The pending event with the lowest seq above {@code seq}, or null. */
    public synchronized Entry after(long seq) {
        reopenIfDue(System.currentTimeMillis());
        if (!down) {
            try {
                Long k = events.higherKey(seq);
                return k == null ? null : entry(k, events.get(k));
            } catch (MVStoreException | IllegalStateException e) {
                goDown(e);
            }
        }
        if (readerEvents != null) {
            Long k = readerEvents.higherKey(seq);
            while (k != null && removedWhileDown.contains(k)) {
                k = readerEvents.higherKey(k);
            }
            if (k != null && !held.containsKey(k)) {
                return entry(k, readerEvents.get(k));
            }
        }
        Map.Entry<Long, byte[]> h = held.higherEntry(seq);
        return h == null ? null : entry(h.getKey(), h.getValue());
    }

    /** Removes an acknowledged event (no-op when already gone); the removal is committed lazily. */
    public synchronized void remove(long seq) {
        if (!down) {
            try {
                byte[] v = events.remove(seq);
                if (v != null) {
                    bytes -= v.length;
                    uncommittedRemovals.add(seq);
                }
                return;
            } catch (MVStoreException | IllegalStateException e) {
                goDown(e);
            }
        }
        removeWhileDown(seq);
    }

    /** @return true when the event was pending */
    private boolean removeWhileDown(long seq) {
        byte[] h = held.remove(seq);
        if (h != null) {
            heldBytes -= h.length;
            bytes -= h.length;
            return true;
        }
        if (readerEvents != null && !removedWhileDown.contains(seq)) {
            byte[] v = readerEvents.get(seq);
            if (v != null) {
                removedWhileDown.add(seq);
                bytes -= v.length;
                return true;
            }
        }
        return false;
    }

    /**
     * Drops an event the broker refused (MQTT 5 PUBACK reason code &gt;= 0x80): it can never be delivered, so it is
     * removed, counted as dropped and announced as a gap with reason {@code rejected}.
     */
    public synchronized void reject(long seq) {
        if (!down) {
            try {
                byte[] v = events.remove(seq);
                if (v == null) {
                    return;
                }
                bytes -= v.length;
                dropped++;
                meta.put("dropped", dropped);
                gaps.put(seq, seq + ",rejected");
                commit(true);
                return;
            } catch (MVStoreException | IllegalStateException e) {
                goDown(e);
            }
        }
        if (removeWhileDown(seq)) {
            lose(seq, "rejected");
        }
    }

    /** Gaps not yet announced to the broker, oldest first. */
    public synchronized List<Gap> pendingGaps() {
        List<Gap> out = new ArrayList<>();
        if (!down) {
            try {
                for (Map.Entry<Long, String> e : gaps.entrySet()) {
                    out.add(parseGap(e.getKey(), e.getValue()));
                }
                return out;
            } catch (MVStoreException | IllegalStateException e) {
                goDown(e);
                out.clear();
            }
        }
        if (readerGaps != null) {
            for (Map.Entry<Long, String> e : readerGaps.entrySet()) {
                if (!announcedWhileDown.contains(e.getKey())) {
                    out.add(parseGap(e.getKey(), e.getValue()));
                }
            }
        }
        out.addAll(lostWhileDown.values());
        out.sort(java.util.Comparator.comparingLong(Gap::fromSeq));
        return out;
    }

    /** Forgets a gap once its notice was acknowledged. */
    public synchronized void gapAnnounced(Gap g) {
        if (!down) {
            try {
                String v = gaps.get(g.fromSeq());
                if (v != null && parseGap(g.fromSeq(), v).toSeq() == g.toSeq()) {
                    gaps.remove(g.fromSeq());
                }
                commit(false);
                return;
            } catch (MVStoreException | IllegalStateException e) {
                goDown(e);
            }
        }
        if (g.equals(lostWhileDown.get(g.fromSeq()))) {
            lostWhileDown.remove(g.fromSeq());
        } else {
            announcedWhileDown.add(g.fromSeq());
        }
    }

    /** Last sequence number ever accepted (0 for a new spool); survives restarts. */
    public synchronized long lastSeq() {
        long stored = 0;
        if (!down) {
            try {
                stored = meta.getOrDefault("lastSeq", 0L);
            } catch (MVStoreException | IllegalStateException e) {
                goDown(e);
            }
        }
        return Math.max(Math.max(seqFloor, stored), acceptedSeq);
    }

    /** Events waiting for an acknowledgement (in the file and, while it cannot be written, in memory). */
    public synchronized long depth() {
        if (!down) {
            try {
                return events.sizeAsLong();
            } catch (MVStoreException | IllegalStateException e) {
                goDown(e);
            }
        }
        long onDisk = readerEvents == null ? 0 : readerEvents.sizeAsLong() - removedWhileDown.size();
        return onDisk + held.size();
    }

    /** Bytes held (topics + payloads + 10 bytes per event). */
    public synchronized long bytes() {
        return bytes;
    }

    /** Age of the oldest pending event, ms (0 when empty). */
    public synchronized long oldestAgeMs(long nowMs) {
        Entry e = first();
        return e == null ? 0 : Math.max(0, nowMs - e.spooledAtMs());
    }

    /** Events dropped since the spool file was created (size or age bound, broker refusal, disk full). */
    public synchronized long dropped() {
        return dropped;
    }

    /** False while the spool file cannot be written (events are then kept in memory). */
    public synchronized boolean writable() {
        return !down;
    }

    /** Events kept in memory because the file could not be written (0 when writable). */
    public synchronized long heldInMemory() {
        return held.size();
    }

    /** Events lost because the file could not be written and memory was full, since start. */
    public synchronized long lostDiskFull() {
        return lostDiskFull;
    }

    /** The spool file. */
    public Path file() {
        return file;
    }

    /** Commits pending removals (or, while the file cannot be written, tries to reopen it when due). */
    public synchronized void flush() {
        reopenIfDue(System.currentTimeMillis());
        if (!down) {
            try {
                commit(false);
            } catch (MVStoreException | IllegalStateException e) {
                goDown(e);
            }
        }
    }

    /**
     * Closes the file. Events still in memory because it could not be written get one last try; those that cannot be
     * stored are logged (seq range) and announced as a {@code disk-full} gap after the next start.
     */
    @Override
    public synchronized void close() {
        if (down) {
            nextReopenMs = 0;
            reopenIfDue(System.currentTimeMillis());
        }
        if (down) {
            long lost = held.size();
            if (lost > 0) {
                LOG.errorf("event spool %s still cannot be written: %d events kept in memory (seq %d..%d) are lost; they are announced"
                        + " as a gap (disk-full) after the next start", file, lost, held.firstKey(), held.lastKey());
            }
            closeReader();
        } else if (!store.isClosed()) {
            try {
                store.close();
            } catch (MVStoreException | IllegalStateException e) {
                LOG.errorf("event spool %s: closing failed (%s); what was committed is kept", file, e.getMessage());
                store.closeImmediately();
            }
        }
        if (seqChannel != null) {
            try {
                seqChannel.close();
            } catch (IOException e) {
                LOG.debugf("event spool: closing %s: %s", seqFile, e.getMessage());
            }
            seqChannel = null;
        }
    }

    /** Writing failed: close the store, serve the file read-only, keep new events in memory, retry with back-off. */
    private void goDown(RuntimeException e) {
        long now = System.currentTimeMillis();
        down = true;
        removedWhileDown.addAll(uncommittedRemovals); // delivered: neither sent again nor dropped as lost
        uncommittedRemovals.clear();
        downSinceMs = now;
        String downReason = rootMessage(e);
        reopenDelayMs = REOPEN_MIN_MS;
        nextReopenMs = now + reopenDelayMs;
        lastReminderMs = now;
        if (store != null) {
            try {
                store.closeImmediately();
            } catch (RuntimeException ignored) {
                // already closed by MVStore's panic
            }
        }
        openReader();
        if (readerEvents != null) {
            removedWhileDown.removeIf(k -> readerEvents.get(k) == null); // removals MVStore's auto-commit did write
        }
        LOG.warnf("event spool %s cannot be written (%s): new events are kept in memory (up to %d KiB) and sent from there;"
                + " the file is reopened every %d..%d s until it can be written", file, downReason, heldLimitBytes() >> 10,
                REOPEN_MIN_MS / 1000, REOPEN_MAX_MS / 1000);
    }

    private void openReader() {
        closeReader();
        bytes = heldBytes;
        if (freshFile || !Files.exists(file)) {
            return;
        }
        try {
            MVStore r = new MVStore.Builder().fileName(file.toString()).readOnly().open();
            reader = r;
            Maps maps = Maps.open(r);
            readerEvents = maps.events();
            readerGaps = maps.gaps();
            MVMap<String, Long> m = maps.meta();
            long b = heldBytes;
            for (Cursor<Long, byte[]> c = readerEvents.cursor(null); c.hasNext(); ) {
                Long k = c.next();
                if (!removedWhileDown.contains(k)) {
                    b += c.getValue().length;
                }
            }
            bytes = b;
            dropped = Math.max(dropped, m.getOrDefault("dropped", 0L));
            acceptedSeq = Math.max(acceptedSeq, m.getOrDefault("lastSeq", 0L));
            readerWarned = false;
        } catch (MVStoreException | IllegalStateException ex) {
            if (!readerWarned && Files.exists(file)) {
                readerWarned = true;
                LOG.errorf("event spool %s cannot even be read (%s): only events kept in memory are sent until it can be reopened", file,
                        rootMessage(ex));
            }
            closeReader();
            bytes = heldBytes;
        }
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.closeImmediately();
            } catch (RuntimeException ignored) {
                // read-only: nothing to lose
            }
        }
        reader = null;
        readerEvents = null;
        readerGaps = null;
    }

    /** While down and the back-off has passed: reopen the file and move what memory holds into it. */
    private void reopenIfDue(long now) {
        if (!down || now < nextReopenMs) {
            return;
        }
        closeReader();
        MVStore s = null;
        try {
            if (freshFile) {
                Files.deleteIfExists(file);
            }
            s = open(file);
            Maps m = Maps.open(s);
            for (Long k : removedWhileDown) {
                m.events().remove(k);
            }
            for (Long k : announcedWhileDown) {
                m.gaps().remove(k);
            }
            for (Map.Entry<Long, byte[]> h : held.entrySet()) {
                m.events().put(h.getKey(), h.getValue());
            }
            for (Gap g : lostWhileDown.values()) {
                m.gaps().put(g.fromSeq(), g.toSeq() + "," + g.reason());
            }
            m.meta().put("lastSeq", Math.max(acceptedSeq, m.meta().getOrDefault("lastSeq", 0L)));
            m.meta().put("dropped", Math.max(dropped, m.meta().getOrDefault("dropped", 0L)));
            s.commit();
            if (settings.fsync()) {
                s.sync();
            }
            long b = 0;
            for (Cursor<Long, byte[]> c = m.events().cursor(null); c.hasNext(); ) {
                c.next();
                b += c.getValue().length;
            }
            LOG.infof("event spool %s can be written again after %d s: %d events kept in memory stored, %d gaps recorded (%d events lost"
                    + " to the full disk so far)", file, (now - downSinceMs) / 1000, held.size(), lostWhileDown.size(), lostDiskFull);
            store = s;
            events = m.events();
            gaps = m.gaps();
            meta = m.meta();
            bytes = b;
            dropped = meta.getOrDefault("dropped", 0L);
            held.clear();
            heldBytes = 0;
            removedWhileDown.clear();
            announcedWhileDown.clear();
            lostWhileDown.clear();
            down = false;
            freshFile = false;
        } catch (MVStoreException | IllegalStateException | IOException e) {
            if (s != null) {
                try {
                    s.closeImmediately();
                } catch (RuntimeException ignored) {
                    // closed by the panic
                }
            }
            reopenDelayMs = Math.min(REOPEN_MAX_MS, reopenDelayMs * 2);
            nextReopenMs = now + reopenDelayMs;
            openReader();
            if (now - lastReminderMs >= DOWN_REMINDER_MS) {
                lastReminderMs = now;
                LOG.warnf("event spool %s still cannot be written after %d s (%s): %d events in memory, %d lost so far (announced as a"
                        + " disk-full gap)", file, (now - downSinceMs) / 1000, rootMessage(e), held.size(), lostDiskFull);
            }
        }
    }

    /** The innermost message of an MVStore error (its wrapping repeats the cause several times). */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll(" \\[[0-9./]+]", "");
    }
    private void commit(boolean durable) {
        store.commit();
        if (durable && settings.fsync()) {
            store.sync();
        }
        uncommittedRemovals.clear();
    }

    private static Gap parseGap(long from, String v) {
        String[] p = v.split(",", 2);
        return new Gap(from, Long.parseLong(p[0]), p[1]);
    }

    // value layout: spooledAtMs (8 bytes), topic length (2 bytes), topic UTF-8, payload
    private static byte[] encode(String topic, byte[] payload, long atMs) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(10 + t.length + payload.length).putLong(atMs).putShort((short) t.length).put(t).put(payload).array();
    }

    private static long spooledAt(byte[] v) {
        return ByteBuffer.wrap(v).getLong();
    }

    private static Entry entry(long seq, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        long at = b.getLong();
        int tl = Short.toUnsignedInt(b.getShort());
        String topic = new String(v, 10, tl, StandardCharsets.UTF_8);
        byte[] payload = new byte[v.length - 10 - tl];
        System.arraycopy(v, 10 + tl, payload, 0, payload.length);
        return new Entry(seq, topic, payload, at);
    }
}
