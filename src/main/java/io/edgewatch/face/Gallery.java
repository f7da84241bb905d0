package io.edgewatch.face;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;
import io.edgewatch.util.TypedMaps;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The on-device face gallery: enrolled identities, each with several templates (L2-normalised embeddings), in an
 * H2 MVStore file ({@code gallery.mv.db}, append-only chunks, so a crash leaves the last committed state; every
 * change is committed at once). Every value is encrypted with AES-256-GCM ({@link GalleryCipher}) under a random
 * entry id: identity names, embeddings and dates never appear in plaintext on disk. The folder is created with
 * mode 0700 and the store file with 0600. Templates may carry an expiry (retention); expired ones are purged on open
 * and by {@link #purgeExpired}. The store file is opened (and locked) only for the duration of each read or write,
 * so a running agent and CLI commands share one gallery. Thread-safe (synchronized); decrypted templates are cached
 * in memory while open and zeroed on close.
 */
public final class Gallery implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Gallery.class);
    private static final String CHECK = "edgewatch-gallery/1 key check";

    /**
     * One enrolled template.
     *
     * @param entryId   random store key
     * @param identity  enrolled name
     * @param embedding L2-normalised embedding
     * @param modelId   id of the embedding model (templates of other models are never compared)
     * @param quality   quality weight 0..1 at enrolment
     * @param addedMs   enrolment time, epoch ms
     * @param expiresMs expiry, epoch ms (0 = never)
     */
    public record Template(String entryId, String identity, float[] embedding, String modelId, double quality, long addedMs, long expiresMs) { }

    /**
     * Summary of one identity (no templates).
     *
     * @param identity  name
     * @param templates number of templates
     * @param models    embedding model ids
     * @param firstAddedMs oldest enrolment, epoch ms
     * @param expiresMs  earliest expiry, epoch ms (0 = never)
     */
    public record Identity(String identity, int templates, List<String> models, long firstAddedMs, long expiresMs) { }

    /** JSON form of a template inside the encrypted value. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    record Stored(String identity, String modelId, double quality, long addedMs, long expiresMs, float[] embedding) { }

    /** How long an operation waits for the store while another process (the agent, a CLI command) holds it, ms. */
    static final long LOCK_WAIT_MS = 10_000;

    private final Path dir;
    private final Path file;
    private final GalleryCipher cipher;
    private final ObjectMapper mapper;
    private final Map<String, Template> cache = new TreeMap<>();
    private String seenStamp = "";

    private Gallery(Path dir, Path file, GalleryCipher cipher, ObjectMapper mapper) {
        this.dir = dir;
        this.file = file;
        this.cipher = cipher;
        this.mapper = mapper;
    }

    /**
     * Opens (or creates) the gallery in {@code dir}: checks the key, loads and decrypts the templates, purges expired
     * ones. The store file is open (and locked) only during each operation, so the agent and the CLI can use one
     * gallery at the same time; {@link #refreshIfChanged()} picks up changes made by another process.
     *
     * @throws FaceException naming the folder or key file when the key is wrong, the store is unreadable, busy for
     *                       longer than {@value #LOCK_WAIT_MS} ms, or the folder cannot be created
     */
    public static Gallery open(Path dir, GalleryCipher cipher, ObjectMapper mapper, long nowMs) {
        Path file = dir.resolve("gallery.mv.db");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            }
        } catch (IOException e) {
            throw new FaceException("gallery folder " + dir + " cannot be created: " + e.getMessage(), e);
        }
        Gallery g = new Gallery(dir, file, cipher, mapper);
        try {
            // an existing gallery is read with a shared, read-only open that leaves the file untouched, so opening it
            // (CLI identify, list) does not make a running agent reload; a new one gets its key check written
            String before = g.stamp();
            boolean known = Files.size(file) > 0 && g.withStore(true, store -> {
                if (maps(store, "meta").get("check") == null) {
                    return false;
                }
                g.checkKey(store);
                g.cache.putAll(g.read(store));
                return true;
            });
            if (known) {
                g.seenStamp = before;
            } else {
                g.withStore(store -> {
                    g.checkKey(store);
                    g.cache.putAll(g.read(store));
                    return null;
                });
                g.seenStamp = g.stamp();
            }
            g.purgeExpired(nowMs);
            Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        } catch (RuntimeException | IOException e) {
            g.close();
            throw e instanceof FaceException fe ? fe : new FaceException("gallery " + file + ": " + e.getMessage(), e);
        }
        return g;
    }

    /**
     * Opens the store, runs {@code work}, commits and closes it. While another process holds the file lock it retries
     * for up to {@value #LOCK_WAIT_MS} ms.
     */
    private <T> T withStore(java.util.function.Function<MVStore, T> work) {
        return withStore(false, work);
    }

    /** As {@link #withStore(java.util.function.Function)}; read-only opens take a shared lock and never write the file. */
    private <T> T withStore(boolean readOnly, java.util.function.Function<MVStore, T> work) {
        long end = System.currentTimeMillis() + LOCK_WAIT_MS;
        MVStore store;
        while (true) {
            try {
                MVStore.Builder b = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled();
                store = (readOnly ? b.readOnly() : b).open();
                break;
            } catch (RuntimeException e) {
                boolean locked = String.valueOf(e.getMessage()).contains("locked");
                if (!locked) {
                    throw new FaceException("gallery store " + file + " cannot be opened: " + e.getMessage(), e);
                }
                if (System.currentTimeMillis() > end) {
                    throw new FaceException("gallery store " + file + " is busy: another edgewatch process held it for more than "
                            + LOCK_WAIT_MS / 1000 + " s (" + e.getMessage() + ")", e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new FaceException("gallery store " + file + ": interrupted while waiting for the file lock", ie);
                }
            }
        }
        try {
            T result = work.apply(store);
            if (!readOnly) {
                store.commit();
            }
            return result;
        } finally {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.warnf("gallery %s: close failed: %s", file, e.getMessage());
            }
        }
    }

    /** Size and modification time of the store file: changes when any process commits. */
    private String stamp() {
        try {
            return Files.size(file) + "/" + Files.getLastModifiedTime(file).toMillis() + "/" + Files.getLastModifiedTime(file).toInstant().getNano();
        } catch (IOException e) {
            return "";
        }
    }

    /** A map of the store with explicit types (string keys, byte[] values; see {@link TypedMaps}). */
    private static MVMap<String, byte[]> maps(MVStore store, String name) {
        return TypedMaps.open(store, name, StringDataType.INSTANCE, ByteArrayDataType.INSTANCE, String.class, byte[].class);
    }

    private void checkKey(MVStore store) {
        MVMap<String, byte[]> meta = maps(store, "meta");
        byte[] check = meta.get("check");
        if (check == null) {
            meta.put("check", cipher.encrypt(CHECK.getBytes(StandardCharsets.UTF_8), "meta/check"));
            return;
        }
        try {
            cipher.decrypt(check, "meta/check");
        } catch (FaceException e) {
            throw new FaceException("gallery " + file + " cannot be opened with the key in " + cipher.keyFile() + ": wrong key (AES-GCM tag mismatch)", e);
        }
    }

    private Map<String, Template> read(MVStore store) {
        MVMap<String, byte[]> templates = maps(store, "templates");
        Map<String, Template> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : templates.entrySet()) {
            byte[] plain = cipher.decrypt(e.getValue(), "templates/" + e.getKey());
            try {
                Stored s = mapper.readValue(plain, Stored.class);
                out.put(e.getKey(), new Template(e.getKey(), s.identity(), s.embedding(), s.modelId(), s.quality(), s.addedMs(), s.expiresMs()));
            } catch (IOException ex) {
                throw new FaceException("gallery " + file + ": entry " + e.getKey() + " is not readable: " + ex.getMessage(), ex);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
        return out;
    }

    /**
     * Reloads the templates when another process (a CLI {@code enroll} or {@code gallery remove} beside the running
     * agent) changed the store since this instance last read or wrote it. Templates still present keep their arrays;
     * those of removed entries are zeroed.
     *
     * @return true when the gallery was reloaded
     * @throws FaceException when the store cannot be read (then the old templates stay in use)
     */
    public synchronized boolean refreshIfChanged() {
        String before = stamp();
        if (before.equals(seenStamp)) {
            return false;
        }
        Map<String, Template> fresh = withStore(true, this::read);
        seenStamp = before; // a change after the stamp was taken is seen by the next refresh
        for (Map.Entry<String, Template> e : List.copyOf(cache.entrySet())) {
            if (!fresh.containsKey(e.getKey())) {
                cache.remove(e.getKey());
                Arrays.fill(e.getValue().embedding(), 0f); // removed by another process: erased here too
            }
        }
        for (Map.Entry<String, Template> e : fresh.entrySet()) {
            if (cache.containsKey(e.getKey())) {
                Arrays.fill(e.getValue().embedding(), 0f); // the copy in use stays
            } else {
                cache.put(e.getKey(), e.getValue());
            }
        }
        return true;
    }

    /**
     * Adds one template and commits.
     *
     * @param retentionMs time to keep it, ms (0 = until removed)
     * @return the new entry id
     * @throws IllegalArgumentException when the identity is blank or longer than 128 characters
     */
    public synchronized String add(String identity, float[] embedding, String modelId, double quality, long nowMs, long retentionMs) {
        if (identity == null || identity.isBlank() || identity.length() > 128) {
            throw new IllegalArgumentException("identity name must be 1..128 characters, was '" + identity + "'");
        }
        String id = UUID.randomUUID().toString();
        long expires = retentionMs > 0 ? nowMs + retentionMs : 0;
        byte[] plain;
        try {
            plain = mapper.writeValueAsBytes(new Stored(identity, modelId, quality, nowMs, expires, embedding));
        } catch (IOException e) {
            throw new FaceException("cannot serialise a template: " + e.getMessage(), e);
        }
        byte[] sealed = cipher.encrypt(plain, "templates/" + id);
        Arrays.fill(plain, (byte) 0);
        withStore(store -> maps(store, "templates").put(id, sealed));
        cache.put(id, new Template(id, identity, embedding.clone(), modelId, quality, nowMs, expires));
        return id;
    }

    /**
     * Removes every template of an identity and commits; the freed chunks are compacted away. Works on the store's
     * current content, so templates another process enrolled under the name are removed too.
     *
     * @return number of templates removed (0 when the identity is unknown)
     */
    public synchronized int remove(String identity) {
        List<String> ids = withStore(store -> {
            MVMap<String, byte[]> templates = maps(store, "templates");
            Map<String, Template> current = read(store);
            List<String> gone = new ArrayList<>();
            current.forEach((k, t) -> {
                if (t.identity().equals(identity)) {
                    gone.add(k);
                    templates.remove(k);
                }
                Arrays.fill(t.embedding(), 0f);
            });
            if (!gone.isEmpty()) {
                store.commit();
                store.compactFile(1_000);
            }
            return gone;
        });
        for (String k : ids) {
            Template t = cache.remove(k);
            if (t != null) {
                Arrays.fill(t.embedding(), 0f);
            }
        }
        return ids.size();
    }

    /**
     * Removes templates whose expiry has passed.
     *
     * @return identities whose templates were removed (one entry per template)
     */
    public synchronized List<String> purgeExpired(long nowMs) {
        List<Template> expired = cache.values().stream().filter(t -> t.expiresMs() > 0 && t.expiresMs() <= nowMs).toList();
        if (expired.isEmpty()) {
            return List.of();
        }
        withStore(store -> {
            MVMap<String, byte[]> templates = maps(store, "templates");
            expired.forEach(t -> templates.remove(t.entryId()));
            return null;
        });
        List<String> gone = new ArrayList<>();
        for (Template t : expired) {
            cache.remove(t.entryId());
            Arrays.fill(t.embedding(), 0f);
            gone.add(t.identity());
        }
        return gone;
    }

    /** Templates of one embedding model (shared arrays: do not modify). */
    public synchronized List<Template> templates(String modelId) {
        return cache.values().stream().filter(t -> t.modelId().equals(modelId)).toList();
    }

    /** Identities, sorted by name. */
    public synchronized List<Identity> identities() {
        Map<String, List<Template>> by = new TreeMap<>();
        for (Template t : cache.values()) {
            by.computeIfAbsent(t.identity(), k -> new ArrayList<>()).add(t);
        }
        List<Identity> out = new ArrayList<>();
        by.forEach((name, ts) -> out.add(new Identity(name, ts.size(), ts.stream().map(Template::modelId).distinct().sorted().toList(),
                ts.stream().mapToLong(Template::addedMs).min().orElse(0),
                ts.stream().mapToLong(Template::expiresMs).filter(x -> x > 0).min().orElse(0))));
        return out;
    }

    /** Number of templates. */
    public synchronized int size() {
        return cache.size();
    }

    /** The store file. */
    public Path file() {
        return file;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public synchronized void close() {
        for (Template t : cache.values()) {
            Arrays.fill(t.embedding(), 0f);
        }
        cache.clear();
    }
}
