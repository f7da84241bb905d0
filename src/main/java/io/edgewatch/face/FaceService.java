package io.edgewatch.face;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent's face processing, shared by its cameras: the encrypted gallery, the audit log and the settings, and a
 * factory of per-camera {@link FaceStage}s. Opening it checks that a purpose and a legal basis are declared, reads
 * the key, opens the gallery, purges expired templates and writes a {@code config} audit entry whenever the face
 * configuration differs from the last one recorded (configuration changes). Thread-safe.
 */
public final class FaceService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FaceService.class);

    private final FaceSettings settings;
    private final ObjectMapper mapper;
    private final Gallery gallery;
    private final AuditLog audit;
    private java.util.concurrent.ScheduledExecutorService refresher;

    private FaceService(FaceSettings settings, ObjectMapper mapper, Gallery gallery, AuditLog audit) {
        this.settings = settings;
        this.mapper = mapper;
        this.gallery = gallery;
        this.audit = audit;
    }

    /**
     * Opens the gallery and audit log of the settings.
     *
     * @param actor who opens it, recorded in the audit log ({@code agent}, {@code cli})
     * @throws FaceException naming the key, file or missing declaration
     */
    public static FaceService open(FaceSettings s, ObjectMapper mapper, String actor, long nowMs) {
        s.requireDeclared();
        GalleryCipher cipher = GalleryCipher.fromKeyFile(s.keyFile());
        Gallery g = Gallery.open(s.galleryDir(), cipher, mapper, Long.MIN_VALUE);
        AuditLog a;
        try {
            a = AuditLog.open(s.auditFile(), mapper);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
        FaceService svc = new FaceService(s, mapper, g, a);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("purpose", s.purpose());
        f.put("legalBasis", s.legalBasis());
        f.put("mode", s.mode().name().toLowerCase().replace('_', '-'));
        f.put("detectorManifest", s.detectorManifest().toString());
        f.put("embedderManifest", s.embedderManifest().toString());
        f.put("threshold", s.threshold());
        f.put("grayscalePolicy", s.grayscalePolicy().name().toLowerCase().replace('_', '-'));
        f.put("retentionDays", s.retentionDays());
        f.put("publishEmbeddings", s.publishEmbeddings());
        // configuration changes: a config entry when the face configuration differs from the last one recorded
        String fingerprint = AuditLog.sha256(f.toString()).substring(0, 16);
        com.fasterxml.jackson.databind.JsonNode last = a.lastOfType("config");
        if (last == null || !fingerprint.equals(last.path("fingerprint").asText())) {
            f.put("actor", actor);
            f.put("fingerprint", fingerprint);
            f.put("galleryTemplates", g.size());
            a.append("config", nowMs, f);
        }
        svc.purgeExpired(nowMs);
        return svc;
    }

    /** Removes expired templates and records one {@code expire} audit entry per identity affected. */
    public void purgeExpired(long nowMs) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String id : gallery.purgeExpired(nowMs)) {
            counts.merge(id, 1, Integer::sum);
        }
        counts.forEach((id, n) -> audit.append("expire", nowMs, Map.of("identity", id, "templates", n)));
    }

    /**
     * Loads the face models once and closes them again, so that a missing or corrupt face model stops start-up before
     * any camera thread starts.
     *
     * @throws io.edgewatch.inference.ModelException naming the manifest or model file when one is unusable
     */
    public void checkModels() {
        FaceAnalyzer.load(settings, mapper).close();
    }

    /** Loads the face models for one camera. */
    public FaceStage createStage(String cameraId) {
        FaceAnalyzer analyzer = FaceAnalyzer.load(settings, mapper);
        LOG.infof("camera %s: face processing on (%s, detector %s, embedder %s, %.1f faces/s, threshold %.2f)", cameraId,
                settings.mode(), analyzer.detector().model().name(), analyzer.embedder().modelId(), settings.facesPerSecond(), settings.threshold());
        return new FaceStage(cameraId, settings, analyzer, this);
    }

    /**
     * Records an identity decision (identity, camera, time, score, attempts; never a template).
     */
    public void recordDecision(String camera, String trackId, String identity, double score, int attempts, long timeMs) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("camera", camera);
        f.put("track", trackId);
        f.put("identity", identity);
        f.put("score", Math.round(score * 10_000) / 10_000.0);
        f.put("attempts", attempts);
        audit.append("decision", timeMs, f);
    }

    /**
     * Picks up what another process did meanwhile: reloads the gallery when a CLI {@code enroll} or
     * {@code gallery remove} changed it (a removal is erased from memory too), and forwards audit entries that
     * process appended. Errors are logged; the old templates stay in use.
     *
     * @return true when the gallery was reloaded
     */
    public boolean refresh() {
        boolean reloaded = false;
        try {
            reloaded = gallery.refreshIfChanged();
            if (reloaded) {
                LOG.infof("gallery %s changed on disk: reloaded, %d identities, %d templates", gallery.dir(), gallery.identities().size(), gallery.size());
            }
        } catch (RuntimeException e) {
            LOG.warnf("gallery %s: reload failed, the previous templates stay in use: %s", gallery.dir(), e.getMessage());
        }
        try {
            audit.forwardPending();
        } catch (RuntimeException e) {
            LOG.warnf("audit: forwarding failed: %s", e.getMessage());
        }
        return reloaded;
    }

    /**
     * Runs {@link #refresh()} every {@code periodMs} on a daemon thread until {@link #close()} (the running agent).
     */
    public synchronized void startRefresh(long periodMs) {
        if (refresher == null) {
            refresher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "gallery-refresh");
                t.setDaemon(true);
                return t;
            });
            refresher.scheduleWithFixedDelay(this::refresh, periodMs, periodMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Gallery templates of the given embedding model. */
    public List<Gallery.Template> templates(String modelId) {
        return gallery.templates(modelId);
    }

    public Gallery gallery() {
        return gallery;
    }

    public AuditLog audit() {
        return audit;
    }

    public FaceSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (refresher != null) {
                refresher.shutdownNow();
            }
        }
        gallery.close();
        audit.close();
    }
}
