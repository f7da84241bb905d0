package io.edgewatch.track;

import io.edgewatch.detect.BoxNorm;
import io.edgewatch.detect.Detection;

import java.util.ArrayList;
import java.util.List;

/**
 * One tracked object. Mutated only by the {@link Tracker} that owns it; read by the pipeline between frames.
 */
public final class Track {
    private final String id;
    private final String label;
    private KalmanBoxFilter filter;
    private final long firstSeenMs;
    private final List<PathSample> path = new ArrayList<>();
    private TrackState state = TrackState.TENTATIVE;
    private int hits;
    private int consecutiveHits;
    private int missed;
    private long lastSeq;
    private long lastSeenMs;
    private double score;
    private double topScore;
    private BoxNorm lastDetectionBox;
    private BoxNorm observedBox;
    private long pathThinning = 1;
    private long lastSampleMs = Long.MIN_VALUE;
    private long lastPredictMs;
    private BoxNorm stillBox;
    private long stillSinceMs;
    private boolean stationary;
    private Appearance appearance;
    private final double[] upperColours = new double[Appearance.COLOURS];
    private final double[] lowerColours = new double[Appearance.COLOURS];
    private int upperObservations;
    private int lowerObservations;
    private int reidentified;

    Track(String id, Detection d, long seq, long timeMs) {
        this.id = id;
        this.label = d.label();
        this.filter = new KalmanBoxFilter(d.box());
        this.firstSeenMs = timeMs;
        this.lastSeq = seq;
        this.lastPredictMs = timeMs;
        hit(d, timeMs, seq, 0, 0);
    }

    /**
     * Predicts to {@code timeMs}: the filter steps by the elapsed time in units of {@link KalmanBoxFilter#STEP_MS}, so
     * motion means the same at any frame or detection rate. A frame without a later time (same or older clock)
     * still advances by one step's tenth, never backwards.
     */
    void predict(long seq, long timeMs) {
        double dt = (timeMs - lastPredictMs) / (double) KalmanBoxFilter.STEP_MS;
        filter.predict(Math.max(0.1, dt));
        lastPredictMs = Math.max(lastPredictMs, timeMs);
        lastSeq = seq;
    }

    /**
     * Updates the stationary state after a hit: the track is stationary once its observed box has kept an IoU of at
     * least {@code stillIou} with the box where it stopped for {@code afterMs}; any larger move restarts the clock.
     *
     * @return true when the stationary state changed
     */
    boolean updateStationary(long timeMs, long afterMs, double stillIou) {
        boolean before = stationary;
        if (stillBox == null || observedBox.iou(stillBox) < stillIou) {
            stillBox = observedBox;
            stillSinceMs = timeMs;
            stationary = false;
        } else if (afterMs > 0 && timeMs - stillSinceMs >= afterMs) {
            stationary = true;
        }
        return before != stationary;
    }

    /** Ends the stationary state (a re-check did not find the object): the track is looked for in every round again. */
    void unstationary() {
        stationary = false;
        stillBox = null;
    }

    /** True when the object has not moved for the configured time (re-checked, not re-detected every round). */
    public boolean stationary() {
        return stationary;
    }

    /** Epoch ms since which the object has stayed where it is (valid while {@link #stationary()}). */
    public long stillSinceMs() {
        return stillSinceMs;
    }

    void hit(Detection d, long timeMs, long seq, long pathSampleMs, int maxSamples) {
        if (hits > 0) {
            filter.update(d.box());
        }
        hits++;
        hit0(d, timeMs, seq, pathSampleMs, maxSamples);
    }

    private void hit0(Detection d, long timeMs, long seq, long pathSampleMs, int maxSamples) {
        consecutiveHits++;
        missed = 0;
        lastSeq = seq;
        lastSeenMs = timeMs;
        score = d.score();
        topScore = Math.max(topScore, d.score());
        lastDetectionBox = d.box();
        observedBox = filter.box();
        if (timeMs - lastSampleMs >= pathSampleMs * pathThinning || path.isEmpty()) {
            BoxNorm b = filter.box();
            path.add(new PathSample(timeMs, b.centerX(), b.centerY()));
            lastSampleMs = timeMs;
            if (maxSamples > 1 && path.size() > maxSamples) {
                // keep the first sample, thin the rest by two, and sample half as often from now on
                List<PathSample> kept = new ArrayList<>();
                for (int i = 0; i < path.size(); i++) {
                    if (i == 0 || i % 2 == 0 || i == path.size() - 1) {
                        kept.add(path.get(i));
                    }
                }
                path.clear();
                path.addAll(kept);
                pathThinning *= 2;
            }
        }
    }

    /**
     * A missing track takes a detection again (re-identified by appearance): its filter restarts at the detection's box
     * (the prediction over the gap is not trusted), the hit counts as usual.
     */
    void reidentify(Detection d, long timeMs, long seq, long pathSampleMs, int maxSamples) {
        filter = new KalmanBoxFilter(d.box());
        hits++;
        consecutiveHits = 0;
        reidentified++;
        hit0(d, timeMs, seq, pathSampleMs, maxSamples);
    }

    /** Blends an observed appearance into the track's (running mean, weight {@code alpha} for the new one). */
    void observeAppearance(Appearance a, double alpha) {
        appearance = appearance == null ? a : appearance.blend(a, alpha);
        if (!Appearance.isEmpty(a.upperColours())) {
            add(upperColours, a.upperColours());
            upperObservations++;
        }
        if (!Appearance.isEmpty(a.lowerColours())) {
            add(lowerColours, a.lowerColours());
            lowerObservations++;
        }
    }

    private static void add(double[] sum, float[] shares) {
        for (int k = 0; k < sum.length; k++) {
            sum[k] += shares[k];
        }
    }

    /**
     * The track's dominant clothing colours over all its clear observations so far (see {@link Clothing}), or null
     * when neither half is decided (also when the tracker computes no appearance).
     */
    public Clothing clothing() {
        Clothing.Share u = Clothing.decide(upperColours, upperObservations);
        Clothing.Share l = Clothing.decide(lowerColours, lowerObservations);
        return u == null && l == null ? null : new Clothing(u, l);
    }

    /** The track's appearance (running mean over its clear observations), or null before the first. */
    public Appearance appearance() {
        return appearance;
    }

    /** Times the track was re-identified after going missing. */
    public int reidentified() {
        return reidentified;
    }

    void miss() {
        missed++;
        consecutiveHits = 0;
        filter.holdSize();
    }

    void state(TrackState s) {
        state = s;
    }

    /** Stable id, unique per agent run and camera ({@code <run>-<camera>-<n>}). */
    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    public TrackState state() {
        return state;
    }

    /** Kalman-filtered box, normalized. */
    public BoxNorm box() {
        return filter.box();
    }

    /**
     * Kalman-filtered box at the last frame in which the object was detected, normalized: what events publish, so a
     * track that is only predicted (occluded, missed) keeps its last observed position rather than an extrapolation.
     */
    public BoxNorm observedBox() {
        return observedBox;
    }

    /** Box of the last matched detection, normalized. */
    public BoxNorm lastDetectionBox() {
        return lastDetectionBox;
    }

    /** Matched frames in total. */
    public int hits() {
        return hits;
    }

    /** Matched frames in a row up to now (0 after a miss). */
    public int consecutiveHits() {
        return consecutiveHits;
    }

    /** Frames missed in a row. */
    public int missed() {
        return missed;
    }

    /** Score of the last matched detection, 0..1. */
    public double score() {
        return score;
    }

    /** Highest detection score seen, 0..1. */
    public double topScore() {
        return topScore;
    }

    /** Epoch ms of the first detection. */
    public long firstSeenMs() {
        return firstSeenMs;
    }

    /** Epoch ms of the last matched detection. */
    public long lastSeenMs() {
        return lastSeenMs;
    }

    /** Centre positions over time, oldest first, at most {@code maxPathSamples} (a copy). */
    public List<PathSample> path() {
        return List.copyOf(path);
    }

    /** Centre velocity, normalized units per second. */
    public double[] velocity() {
        double[] v = filter.velocity();
        double perS = 1000.0 / KalmanBoxFilter.STEP_MS;
        return new double[]{v[0] * perS, v[1] * perS};
    }
}
