package io.edgewatch.face;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
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
 * and by {@link #purgeExpired}. Thread-safe (synchronized); decrypted templates are cached in memory while open and
 * zeroed on close.
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

    private final Path dir;
    private final Path file;
    private final MVStore store;
    private final MVMap<String, byte[]> templates;
    private final MVMap<String, byte[]> meta;
    private final GalleryCipher cipher;
    private final ObjectMapper mapper;
    private final Map<String, Template> cache = new TreeMap<>();

    private Gallery(Path dir, Path file, MVStore store, GalleryCipher cipher, ObjectMapper mapper) {
        this.dir = dir;
        this.file = file;
        this.store = store;
        this.cipher = cipher;
        this.mapper = mapper;
        this.templates = store.openMap("templates");
        this.meta = store.openMap("meta");
    }

    /**
     * Opens (or creates) the gallery in {@code dir}.
     *
     * @throws FaceException naming the folder or key file when the key is wrong, the store is unreadable, or the
     *                       folder cannot be created
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
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        } catch (RuntimeException e) {
            throw new FaceException("gallery store " + file + " cannot be opened: " + e.getMessage(), e);
        }
        Gallery g = new Gallery(dir, file, store, cipher, mapper);
        try {
            g.checkKey();
            g.load();
            g.purgeExpired(nowMs);
            Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        } catch (RuntimeException | IOException e) {
            g.close();
            throw e instanceof FaceException fe ? fe : new FaceException("gallery " + file + ": " + e.getMessage(), e);
        }
        return g;
    }

    private void checkKey() {
        byte[] check = meta.get("check");
        if (check == null) {
            meta.put("check", cipher.encrypt(CHECK.getBytes(StandardCharsets.UTF_8), "meta/check"));
            store.commit();
            return;
        }
        try {
            cipher.decrypt(check, "meta/check");
        } catch (FaceException e) {
            throw new FaceException("gallery " + file + " cannot be opened with the key in " + cipher.keyFile() + ": wrong key (AES-GCM tag mismatch)", e);
        }
    }

    private void load() {
        for (Map.Entry<String, byte[]> e : templates.entrySet()) {
            byte[] plain = cipher.decrypt(e.getValue(), "templates/" + e.getKey());
            try {
                Stored s = mapper.readValue(plain, Stored.class);
                cache.put(e.getKey(), new Template(e.getKey(), s.identity(), s.embedding(), s.modelId(), s.quality(), s.addedMs(), s.expiresMs()));
            } catch (IOException ex) {
                throw new FaceException("gallery " + file + ": entry " + e.getKey() + " is not readable: " + ex.getMessage(), ex);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
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
        templates.put(id, cipher.encrypt(plain, "templates/" + id));
        Arrays.fill(plain, (byte) 0);
        store.commit();
        cache.put(id, new Template(id, identity, embedding.clone(), modelId, quality, nowMs, expires));
        return id;
    }

    /**
     * Removes every template of an identity and commits; the freed chunks are compacted away.
     *
     * @return number of templates removed (0 when the identity is unknown)
     */
    public synchronized int remove(String identity) {
        List<String> ids = new ArrayList<>();
        cache.forEach((k, t) -> {
            if (t.identity().equals(identity)) {
                ids.add(k);
            }
        });
        for (String k : ids) {
            templates.remove(k);
            Arrays.fill(cache.remove(k).embedding(), 0f);
        }
        if (!ids.isEmpty()) {
            store.commit();
            store.compactFile(1_000);
        }
        return ids.size();
    }

    /**
     * Removes templates whose expiry has passed.
     *
     * @return identities whose templates were removed (one entry per template)
     */
    public synchronized List<String> purgeExpired(long nowMs) {
        List<String> gone = new ArrayList<>();
        for (Template t : List.copyOf(cache.values())) {
            if (t.expiresMs() > 0 && t.expiresMs() <= nowMs) {
                templates.remove(t.entryId());
                cache.remove(t.entryId());
                Arrays.fill(t.embedding(), 0f);
                gone.add(t.identity());
            }
        }
        if (!gone.isEmpty()) {
            store.commit();
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
        try {
            store.close();
        } catch (RuntimeException e) {
            LOG.warnf("gallery %s: close failed: %s", file, e.getMessage());
        }
    }
}
