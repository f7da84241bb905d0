package io.edgewatch.face;

import io.edgewatch.detect.BoxNorm;
import io.edgewatch.events.EventType;
import io.edgewatch.events.TrackEvent;
import io.edgewatch.inference.ModelException;
import io.edgewatch.track.Track;
import org.bytedeco.opencv.opencv_core.Mat;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One camera's face step, run by the camera pipeline after tracking: finds faces on confirmed person tracks matched
 * in this frame (upper part of the person box with a margin, or the whole frame), aligns and grades them, embeds
 * the best-quality faces first within a per-camera budget (token bucket of {@code facesPerSecond} tokens per second
 * of frame time, burst of the same size; when no token is left even detection is skipped, so a busy scene cannot
 * make the frame pipeline fall behind), compares each embedding with the gallery and lets
 * {@link TrackIdentity} decide. Tracks already decided get no more detection or embedding. Embeddings of faces are
 * zeroed right after comparison; nothing of a non-matching face is stored, logged or published (with
 * {@code publish-embeddings} only an identified track's deciding embedding is kept until its next event). Not
 * thread-safe: one per camera.
 */
public final class FaceStage implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FaceStage.class);
    private final String cameraId;
    private final FaceSettings s;
    private final FaceAnalyzer analyzer;
    private final FaceService service;
    private final Map<String, TrackIdentity> states = new HashMap<>();
    private double tokens;
    private long lastTimeMs = Long.MIN_VALUE;
    private volatile long facesDetected; // written by the camera thread only, read by metrics
    private volatile long facesEmbedded; // written by the camera thread only, read by metrics
    private volatile long facesRefused; // written by the camera thread only, read by metrics
    private volatile long framesSkippedBudget; // written by the camera thread only, read by metrics
    private volatile long facesFailed; // written by the camera thread only, read by metrics
    private final List<Double> detectMs = new ArrayList<>();
    private final List<Double> alignMs = new ArrayList<>();
    private final List<Double> embedMs = new ArrayList<>();

    FaceStage(String cameraId, FaceSettings s, FaceAnalyzer analyzer, FaceService service) {
        this.cameraId = cameraId;
        this.s = s;
        this.analyzer = analyzer;
        this.service = service;
        this.tokens = Math.max(1, s.facesPerSecond());
    }

    private record Pending(Track track, FaceAnalyzer.Candidate candidate) { }

    /**
     * One embedded face, for benchmarks and calibration (never a template).
     *
     * @param trackId      person track
     * @param frameSeq     frame sequence number
     * @param face         the detection, pixels
     * @param quality      its quality report
     * @param similarities cosine similarity per enrolled identity
     */
    public record Attempt(String trackId, long frameSeq, FaceDetection face, FaceQuality.Report quality, Map<String, Double> similarities) { }

    private java.util.function.Consumer<Attempt> attemptListener;

    /** Receives every attempt (calibration, benchmark); null to stop. */
    public void onAttempt(java.util.function.Consumer<Attempt> listener) {
        this.attemptListener = listener;
    }

    /**
     * Runs the face step on one frame.
     *
     * @param frame    BGR frame
     * @param active   confirmed tracks alive after this frame's tracker update
     * @param frameSeq frame sequence number
     * @param timeMs   frame time, epoch ms (the budget refills with frame time)
     */
    public void process(Mat frame, List<Track> active, long frameSeq, long timeMs) {
        if (lastTimeMs != Long.MIN_VALUE && timeMs > lastTimeMs) {
            tokens = Math.min(Math.max(1, s.facesPerSecond()), tokens + (timeMs - lastTimeMs) / 1000.0 * s.facesPerSecond());
        }
        lastTimeMs = timeMs;
        List<Track> candidates = new ArrayList<>();
        for (Track t : active) {
            if (t.missed() == 0 && "person".equals(t.label()) && !state(t.id()).decided()) {
                candidates.add(t);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        if (tokens < 1) {
            framesSkippedBudget++;
            return;
        }
        int w = frame.cols();
        int h = frame.rows();
        List<Pending> found = new ArrayList<>();
        List<FaceAnalyzer.Candidate> toClose = new ArrayList<>();
        try {
            if (s.mode() == FaceSettings.Mode.WHOLE_FRAME) {
                List<FaceAnalyzer.Candidate> faces = analyzer.find(frame);
                toClose.addAll(faces);
                record(detectMs, analyzer.lastDetectMs());
                for (FaceAnalyzer.Candidate c : faces) {
                    Track owner = null;
                    for (Track t : candidates) {
                        BoxNorm b = t.box();
                        double cx = c.face().centerX() / w;
                        double cy = c.face().centerY() / h;
                        if (cx >= b.xMin() && cx <= b.xMax() && cy >= b.yMin() && cy <= b.yMax()
                                && (owner == null || b.area() < owner.box().area())) {
                            owner = t;
                        }
                    }
                    Track o = owner;
                    if (o != null && found.stream().noneMatch(p -> p.track() == o)) {
                        found.add(new Pending(o, c)); // faces come best first: one face per track
                    }
                }
            } else {
                candidates.sort(Comparator.comparingInt((Track t) -> state(t.id()).attempts())
                        .thenComparing(Comparator.comparingDouble((Track t) -> -t.box().height())));
                for (Track t : candidates.subList(0, Math.min(candidates.size(), s.maxTracksPerFrame()))) {
                    BoxNorm b = t.lastDetectionBox() != null ? t.lastDetectionBox() : t.box();
                    double bw = b.width() * w;
                    double bh = b.height() * h;
                    int x0 = (int) Math.floor(b.xMin() * w - s.margin() * bw);
                    int x1 = (int) Math.ceil(b.xMax() * w + s.margin() * bw);
                    int y0 = (int) Math.floor(b.yMin() * h - s.margin() * bw);
                    int y1 = (int) Math.ceil(b.yMin() * h + s.upperFraction() * bh);
                    List<FaceAnalyzer.Candidate> faces = analyzer.find(frame, x0, y0, x1 - x0, y1 - y0);
                    toClose.addAll(faces);
                    record(detectMs, analyzer.lastDetectMs());
                    for (FaceAnalyzer.Candidate c : faces) {
                        double cx = c.face().centerX() / w;
                        if (cx >= b.xMin() && cx <= b.xMax()) {
                            found.add(new Pending(t, c)); // best detection inside the person's columns
                            break;
                        }
                    }
                }
            }
            if (!found.isEmpty()) {
                record(alignMs, analyzer.lastAlignMs() / Math.max(1, toClose.size()));
            }
            facesDetected += found.size();
            List<Pending> passed = new ArrayList<>();
            for (Pending p : found) {
                FaceQuality.Report q = p.candidate().quality();
                boolean grayRefused = q.grayscale() && s.grayscalePolicy() == FaceSettings.GrayscalePolicy.REFUSE;
                if (!q.passed() || grayRefused) {
                    state(p.track().id()).refuse();
                    facesRefused++;
                } else {
                    passed.add(p);
                }
            }
            passed.sort(Comparator.comparingDouble((Pending p) -> -p.candidate().quality().weight()));
            int n = Math.min(passed.size(), (int) Math.floor(tokens));
            if (n == 0) {
                return;
            }
            List<Pending> chosen = passed.subList(0, n);
            List<float[]> embeddings;
            try {
                embeddings = analyzer.embed(chosen.stream().map(p -> p.candidate().aligned()).toList());
            } catch (ModelException ex) {
                // one bad model run must not stop the camera: the faces of this frame are dropped and counted
                facesFailed += n;
                LOG.warnf("camera %s: face embedding failed on frame %d, %d face(s) dropped: %s", cameraId, frameSeq, n, ex.getMessage());
                return;
            }
            record(embedMs, analyzer.lastEmbedMs() / n);
            tokens -= n;
            facesEmbedded += n;
            List<Gallery.Template> templates = service.templates(analyzer.embedder().modelId());
            for (int i = 0; i < n; i++) {
                Pending p = chosen.get(i);
                float[] e = embeddings.get(i);
                FaceQuality.Report q = p.candidate().quality();
                double thr = q.grayscale() ? s.grayscaleThreshold() : s.threshold();
                TrackIdentity st = state(p.track().id());
                Map<String, Double> sims = FaceMatcher.similarities(e, templates);
                if (attemptListener != null) {
                    attemptListener.accept(new Attempt(p.track().id(), frameSeq, p.candidate().face(), q, sims));
                }
                boolean decided = st.add(sims, q.weight(), thr, s.minAttempts(), s.maxAttempts());
                st.lastAttemptSeq(frameSeq);
                if (s.publishEmbeddings() && st.identity() != null) {
                    st.lastEmbedding(e.clone()); // only the identified: an unknown person's template never leaves
                }
                Arrays.fill(e, 0f); // the template is discarded at once
                if (decided && st.identity() != null) {
                    try {
                        service.recordDecision(cameraId, p.track().id(), st.identity(), st.score(), st.attempts(), timeMs);
                    } catch (RuntimeException ex) {
                        st.undecide(); // not audited, not published
                        throw ex;
                    }
                }
            }
        } finally {
            for (FaceAnalyzer.Candidate c : toClose) {
                c.close();
            }
        }
    }

    private static void record(List<Double> list, double v) {
        if (list.size() < 100_000) {
            list.add(v);
        }
    }

    private TrackIdentity state(String trackId) {
        return states.computeIfAbsent(trackId, k -> new TrackIdentity());
    }

    /** The identity state of a track, or null when it had no face yet. */
    public TrackIdentity stateOf(String trackId) {
        return states.get(trackId);
    }

    /**
     * Attaches each person track's face result to its events; {@code end} events also forget the track's state.
     */
    public List<TrackEvent> annotate(List<TrackEvent> events) {
        if (events.isEmpty()) {
            return events;
        }
        List<TrackEvent> out = new ArrayList<>(events.size());
        for (TrackEvent e : events) {
            TrackIdentity st = e.track() == null ? null : states.get(e.track().id());
            if (st != null && st.attempts() > 0) {
                TrackEvent.FaceEmbedding emb = null;
                float[] v = st.takeEmbedding();
                if (v != null && st.identity() == null) { // never the case (kept only once identified); never published
                    Arrays.fill(v, 0f);
                    v = null;
                }
                if (v != null) {
                    float[] r = new float[v.length];
                    for (int i = 0; i < v.length; i++) {
                        r[i] = Math.round(v[i] * 10_000) / 10_000f;
                    }
                    Arrays.fill(v, 0f);
                    emb = new TrackEvent.FaceEmbedding(analyzer.embedder().modelId(), analyzer.embedder().modelVersion(), r);
                }
                TrackEvent.FaceInfo fi = st.identity() != null
                        ? new TrackEvent.FaceInfo(st.identity(), Math.round(st.score() * 10_000) / 10_000.0, st.attempts(), emb)
                        : new TrackEvent.FaceInfo(null, null, st.attempts(), emb);
                e = e.withTrack(e.track().withFace(fi));
            }
            if (e.type() == EventType.END && e.track() != null) {
                TrackIdentity gone = states.remove(e.track().id());
                if (gone != null) {
                    gone.clearEmbedding();
                }
            }
            out.add(e);
        }
        return out;
    }

    public String cameraId() {
        return cameraId;
    }

    public FaceAnalyzer analyzer() {
        return analyzer;
    }

    /** Faces found on person tracks so far. */
    public long facesDetected() {
        return facesDetected;
    }

    /** Faces embedded so far. */
    public long facesEmbedded() {
        return facesEmbedded;
    }

    /** Faces refused by the quality gate or the grayscale policy. */
    public long facesRefused() {
        return facesRefused;
    }

    /** Faces dropped because the embedding model failed on them (non-finite output or a TensorFlow Lite error). */
    public long facesFailed() {
        return facesFailed;
    }

    /** Frames whose face step was skipped because the budget was spent. */
    public long framesSkippedBudget() {
        return framesSkippedBudget;
    }

    /** Detection times per searched region, ms. */
    public List<Double> detectMs() {
        return List.copyOf(detectMs);
    }

    /** Align + grade times per face (mean over the faces of one frame), ms. */
    public List<Double> alignMs() {
        return List.copyOf(alignMs);
    }

    /** Embedding times per face (mean over one batch call), ms. */
    public List<Double> embedMs() {
        return List.copyOf(embedMs);
    }

    @Override
    public void close() {
        states.values().forEach(TrackIdentity::clearEmbedding);
        states.clear();
        analyzer.close();
    }
}
