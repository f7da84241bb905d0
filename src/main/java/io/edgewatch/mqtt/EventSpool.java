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
     * @param reason  {@code spool-full} or {@code expired}
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

    private final SpoolSettings settings;
    private final Path file;
    private final MVStore store;
    private final Path seqFile;
    /** Kept open: each append overwrites the seq in place (no open/close per event). */
    private java.nio.channels.FileChannel seqChannel;
    private long seqFloor;
    private boolean seqWarned;
    private final MVMap<Long, byte[]> events;
    private final MVMap<Long, String> gaps;
    private final MVMap<String, Long> meta;
    private long bytes;
    private long dropped;

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
        MVStore s;
        try {
            s = open(file);
        } catch (MVStoreException | IllegalStateException e) {
            refuseUnlessCorrupt(e);
            Path aside = file.resolveSibling(FILE_NAME + ".corrupt-" + System.currentTimeMillis());
            LOG.errorf("event spool %s cannot be opened (%s); moved to %s, starting an empty spool", file, e.getMessage(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException io) {
                throw new IllegalArgumentException("event spool " + file + " is corrupt and cannot be moved aside: " + io.getMessage(), io);
            }
            s = open(file);
        }
        Maps maps;
        try {
            maps = Maps.open(s);
            s.commit();
        } catch (MVStoreException | IllegalStateException e) {
            // a map of the wrong types (or a serialised object) is not ours: keep it aside, start empty
            s.closeImmediately();
            Path aside = file.resolveSibling(FILE_NAME + ".corrupt-" + System.currentTimeMillis());
            LOG.errorf("event spool %s holds data that is not the spool's (%s); moved to %s, starting an empty spool", file, e.getMessage(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException io) {
                throw new IllegalArgumentException("event spool " + file + " is not trustworthy and cannot be moved aside: " + io.getMessage(), io);
            }
            s = open(file);
            maps = Maps.open(s);
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------")); // events name tracks, zones, identities
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("event spool %s: cannot make it readable by its owner only: %s", file, e.getMessage());
        }
        this.store = s;
        this.events = maps.events();
        this.gaps = maps.gaps();
        this.meta = maps.meta();
        for (Cursor<Long, byte[]> c = events.cursor(null); c.hasNext(); ) {
            c.next();
            bytes += c.getValue().length;
        }
        dropped = meta.getOrDefault("dropped", 0L);
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
                seqChannel = java.nio.channels.FileChannel.open(seqFile, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.WRITE);
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
        while (bytes + value.length > settings.maxBytes() && !events.isEmpty()) {
            dropOldest("spool-full");
        }
        events.put(seq, value);
        bytes += value.length;
        meta.put("lastSeq", seq);
        commit(true);
        writeSeqFloor(seq);
    }

    /**
     * Drops events older than {@link SpoolSettings#maxAgeMs()}.
     *
     * @return number dropped
     */
    public synchronized int expire(long nowMs) {
        int n = 0;
        Long k;
        while ((k = events.firstKey()) != null && nowMs - spooledAt(events.get(k)) > settings.maxAgeMs()) {
            dropOldest("expired");
            n++;
        }
        if (n > 0) {
            commit(true);
        }
        return n;
    }

    private void dropOldest(String reason) {
        Long k = events.firstKey();
        byte[] v = events.remove(k);
        bytes -= v.length;
        dropped++;
        meta.put("dropped", dropped);
        Map.Entry<Long, String> lastGap = gaps.lastKey() == null ? null : Map.entry(gaps.lastKey(), gaps.get(gaps.lastKey()));
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
        Long k = events.firstKey();
        return k == null ? null : entry(k, events.get(k));
    }

    /** The pending event with the lowest seq above {@code seq}, or null. */
    public synchronized Entry after(long seq) {
        Long k = events.higherKey(seq);
        return k == null ? null : entry(k, events.get(k));
    }

    /** Removes an acknowledged event (no-op when already gone); the removal is committed lazily. */
    public synchronized void remove(long seq) {
        byte[] v = events.remove(seq);
        if (v != null) {
            bytes -= v.length;
        }
    }

    /**
     * Drops an event the broker refused (MQTT 5 PUBACK reason code &gt;= 0x80): it can never be delivered, so it is
     * removed, counted as dropped and announced as a gap with reason {@code rejected}.
     */
    public synchronized void reject(long seq) {
        byte[] v = events.remove(seq);
        if (v == null) {
            return;
        }
        bytes -= v.length;
        dropped++;
        meta.put("dropped", dropped);
        gaps.put(seq, seq + ",rejected");
        commit(true);
    }

    /** Gaps not yet announced to the broker, oldest first. */
    public synchronized List<Gap> pendingGaps() {
        List<Gap> out = new ArrayList<>();
        for (Map.Entry<Long, String> e : gaps.entrySet()) {
            out.add(parseGap(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** Forgets a gap once its notice was acknowledged. */
    public synchronized void gapAnnounced(Gap g) {
        String v = gaps.get(g.fromSeq());
        if (v != null && parseGap(g.fromSeq(), v).toSeq() == g.toSeq()) {
            gaps.remove(g.fromSeq());
        }
        commit(false);
    }

    /** Last sequence number ever appended (0 for a new spool); survives restarts. */
    public synchronized long lastSeq() {
        return Math.max(seqFloor, meta.getOrDefault("lastSeq", 0L));
    }

    /** Events waiting for an acknowledgement. */
    public synchronized long depth() {
        return events.sizeAsLong();
    }

    /** Bytes held (topics + payloads + 10 bytes per event). */
    public synchronized long bytes() {
        return bytes;
    }

    /** Age of the oldest pending event, ms (0 when empty). */
    public synchronized long oldestAgeMs(long nowMs) {
        Long k = events.firstKey();
        return k == null ? 0 : Math.max(0, nowMs - spooledAt(events.get(k)));
    }

    /** Events dropped since the spool file was created (size or age bound). */
    public synchronized long dropped() {
        return dropped;
    }

    /** The spool file. */
    public Path file() {
        return file;
    }

    /** Commits pending removals. */
    public synchronized void flush() {
        commit(false);
    }

    @Override
    public synchronized void close() {
        if (!store.isClosed()) {
            store.close();
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

    private void commit(boolean durable) {
        store.commit();
        if (durable && settings.fsync()) {
            store.sync();
        }
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
