package io.edgewatch.track;

import io.edgewatch.detect.Detection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Multi-object tracker for one camera, SORT-style (Bewley et al. 2016, arXiv 1602.00763): every frame each track's
 * constant-velocity Kalman filter predicts its box, detections are associated to tracks of the same label by an
 * optimal (Hungarian) assignment on cost {@code 1 - IoU} gated at {@code minIou}, matched tracks are corrected,
 * unmatched detections start tentative tracks. A track is confirmed after {@code minHits} consecutive hits, so a
 * one-frame false positive never becomes visible; a tentative track is dropped on its first miss; a confirmed
 * track is lost after {@code maxMissedFrames} misses. Prediction steps by elapsed time, not by frames. With
 * region-based detection a round may look only at part of the frame: tracks outside it are kept, not missed
 * ({@link Coverage}). A confirmed track that has not moved for the configured time is stationary.
 *
 * <p>Hungarian rather than greedy: greedy highest-IoU-first matching can steal a detection from the track it
 * belongs to when two people cross; the optimal assignment maximises the total IoU and costs microseconds for the
 * tens of boxes a frame holds. Not thread-safe: one per camera.
 */
public final class Tracker {
    private final TrackerSettings settings;
    private final String idPrefix;
    private final List<Track> tracks = new ArrayList<>();
    private final long stationaryAfterMs;
    private final ReidSettings reid;
    private long nextId = 1;
    private long reidentifications;

    /** IoU with the box where a track stopped above which it has not moved (Frigate's stationary test uses a box overlap too). */
    public static final double STILL_IOU = 0.6;

    /**
     * A tracker without stationary detection.
     *
     * @param idPrefix prefix of track ids, e.g. {@code <run>-<camera>}
     */
    public Tracker(TrackerSettings settings, String idPrefix) {
        this(settings, idPrefix, 0);
    }

    /**
     * @param idPrefix          prefix of track ids, e.g. {@code <run>-<camera>}
     * @param stationaryAfterMs a confirmed track whose box has not moved (IoU &gt;= {@value #STILL_IOU} with where it
     *                          stopped) for this long is stationary; 0 = never
     */
    public Tracker(TrackerSettings settings, String idPrefix, long stationaryAfterMs) {
        this.settings = settings;
        this.idPrefix = idPrefix;
        this.stationaryAfterMs = stationaryAfterMs;
        this.reid = settings.reid();
    }

    /** The appearance settings. */
    public ReidSettings reid() {
        return reid;
    }

    /** Missing tracks that took a detection again since start. */
    public long reidentifications() {
        return reidentifications;
    }

    /** Gives the appearance of a detection's box in the current frame (computed only when the tracker needs it). */
    @FunctionalInterface
    public interface AppearanceSource {
        /** No frame: no appearance. */
        AppearanceSource NONE = box -> null;

        /** The appearance inside {@code box} (normalized), or null. */
        Appearance of(io.edgewatch.detect.BoxNorm box);
    }

    /**
     * Which tracks a detection round looked for: a track whose predicted box the round did not cover (its region was
     * not detected, e.g. a stationary object between re-checks, or no region at all) is not counted as missed.
     */
    @FunctionalInterface
    public interface Coverage {
        /** Every track was looked for (a full-frame round). */
        Coverage ALL = box -> true;
        /** No track was looked for (no inference this round). */
        Coverage NONE = box -> false;

        /** Whether the round looked where {@code predicted} (normalized) is. */
        boolean covers(io.edgewatch.detect.BoxNorm predicted);
    }

    /**
     * What one frame changed.
     *
     * @param confirmed         tracks confirmed in this frame
     * @param lost              tracks lost in this frame
     * @param active            all confirmed tracks still alive
     * @param stationaryChanged confirmed tracks that became stationary or started moving again in this frame
     */
    public record Update(List<Track> confirmed, List<Track> lost, List<Track> active, List<Track> stationaryChanged) {
        public Update(List<Track> confirmed, List<Track> lost, List<Track> active) {
            this(confirmed, lost, active, List.of());
        }
    }

    /**
     * Advances the tracker by one frame with confident detections only.
     */
    public Update update(List<Detection> detections, long seq, long timeMs) {
        return update(detections, List.of(), seq, timeMs);
    }

    /**
     * Advances the tracker by one frame, ByteTrack-style (Zhang et al. 2022, arXiv 2110.06864): confirmed tracks are
     * associated with the confident detections first, then tentative tracks with the confident detections left
     * (gate {@code minIou}); then the confirmed tracks left over with the weak detections (gate {@code weakMinIou}),
     * which keeps a partly occluded person's track alive when the detector's score dips. Only confident detections
     * that duplicate no matched box start new tracks.
     *
     * @param confident detections at or above the label threshold
     * @param weak      detections below it but above the weak threshold
     * @param seq       frame sequence number (gaps from dropped frames widen the prediction step)
     * @param timeMs    frame time, epoch ms
     * @return tracks confirmed in this frame, tracks lost in this frame, and all confirmed tracks still alive
     */
    public Update update(List<Detection> confident, List<Detection> weak, long seq, long timeMs) {
        return update(confident, weak, seq, timeMs, Coverage.ALL);
    }

    /**
     * Advances the tracker by one detection round that looked only where {@code coverage} says (regions): as
     * {@link #update(List, List, long, long)}, but a track the round did not look for is predicted and kept, not
     * missed. A stationary track that a covering round misses is moving (or gone) again: it is looked for in every
     * round from then on.
     */
    public Update update(List<Detection> confident, List<Detection> weak, long seq, long timeMs, Coverage coverage) {
        return update(confident, weak, seq, timeMs, coverage, AppearanceSource.NONE);
    }

    /**
     * Advances the tracker by one round, with appearance (see {@link ReidSettings}): the confirmed tracks seen in the
     * last rounds are associated on {@code 1 - BIoU + appearanceWeight * (1 - similarity)}; then tracks unmatched
     * for a round or more (coasting, or missing for up to {@code windowMs}) may take an unmatched confident detection
     * whose appearance is at least {@code minSimilarity} alike and which lies where the person could have walked
     * (one box height plus {@code maxSpeedPerS} box heights per second since last seen, height within x0.6..x1.67),
     * on the Hungarian assignment of {@code 1 - similarity}: the person keeps the id (no {@code end} and {@code new}).
     * A track's appearance is the running mean of its detections that overlap no other (IoU &lt; 0.2).
     */
    public Update update(List<Detection> confident, List<Detection> weak, long seq, long timeMs, Coverage coverage,
                         AppearanceSource appearanceOf) {
        Appearance[] detApp = new Appearance[confident.size()];
        boolean[] detAppDone = new boolean[confident.size()];
        java.util.function.IntFunction<Appearance> app = j -> {
            if (!reid.usesAppearance()) {
                return null;
            }
            if (!detAppDone[j]) {
                detAppDone[j] = true;
                detApp[j] = appearanceOf.of(confident.get(j).box());
            }
            return detApp[j];
        };
        boolean[] covered = new boolean[tracks.size()];
        for (int i = 0; i < tracks.size(); i++) {
            Track t = tracks.get(i);
            t.predict(seq, timeMs);
            covered[i] = coverage.covers(t.box());
        }
        List<Track> newlyConfirmed = new ArrayList<>();
        List<Track> lost = new ArrayList<>();
        List<Track> stationaryChanged = new ArrayList<>();
        boolean[] matched = new boolean[tracks.size()];
        boolean[] confidentUsed = new boolean[confident.size()];
        // 1. confirmed tracks take confident detections first, so a fresh tentative track (often a duplicate box)
        //    never steals the detection of an established one (DeepSORT's matching cascade, simplified)
        int[] matchedDet = new int[tracks.size()];
        java.util.Arrays.fill(matchedDet, -1);
        matchRound(TrackState.CONFIRMED, confident, confidentUsed, matched, settings.minIou(), seq, timeMs, newlyConfirmed, app, matchedDet);
        // 2. tracks unmatched for a round or more (coasting or missing) by appearance, near where they were last seen
        if (reid.usesAppearance() && reid.minSimilarity() < 1) {
            reidentify(confident, confidentUsed, matched, seq, timeMs, app, matchedDet);
        }
        // 3. tentative tracks with the confident detections left
        matchRound(TrackState.TENTATIVE, confident, confidentUsed, matched, settings.minIou(), seq, timeMs, newlyConfirmed, j -> null, matchedDet);
        // 4. confirmed tracks still unmatched with weak detections (ByteTrack's second association)
        matchRound(TrackState.CONFIRMED, weak, new boolean[weak.size()], matched, settings.weakMinIou(), seq, timeMs, newlyConfirmed, j -> null, null);
        if (reid.usesAppearance()) {
            for (int i = 0; i < tracks.size(); i++) {
                int j = matchedDet[i];
                if (j >= 0 && clear(confident, j)) {
                    Appearance a = app.apply(j);
                    if (a != null) {
                        tracks.get(i).observeAppearance(a, APPEARANCE_ALPHA);
                    }
                }
            }
        }
        for (int i = 0; i < tracks.size(); i++) {
            Track t = tracks.get(i);
            if (matched[i]) {
                if (t.state() == TrackState.CONFIRMED && t.updateStationary(timeMs, stationaryAfterMs, STILL_IOU)) {
                    stationaryChanged.add(t);
                }
            } else if (covered[i]) {
                t.miss();
                if (t.stationary()) {
                    t.unstationary();
                    stationaryChanged.add(t);
                }
            }
        }
        for (Iterator<Track> it = tracks.iterator(); it.hasNext(); ) {
            Track t = it.next();
            if (t.missed() == 0) {
                continue;
            }
            if (t.state() == TrackState.TENTATIVE) {
                it.remove();
            } else if (t.missed() > settings.maxMissedFrames() && timeMs - t.lastSeenMs() >= reid.windowMs()) {
                t.state(TrackState.LOST);
                lost.add(t);
                it.remove();
            }
        }
        for (int d = 0; d < confident.size(); d++) {
            if (!confidentUsed[d] && !duplicate(confident.get(d), confident, confidentUsed)) {
                Track t = new Track(idPrefix + "-" + nextId++, confident.get(d), seq, timeMs);
                tracks.add(t);
                if (settings.minHits() <= 1) {
                    t.state(TrackState.CONFIRMED);
                    newlyConfirmed.add(t);
                }
            }
        }
        stationaryChanged.removeAll(lost);
        return new Update(newlyConfirmed, lost, active(), stationaryChanged);
    }

    private void matchRound(TrackState state, List<Detection> detections, boolean[] used, boolean[] matched, double gate,
                            long seq, long timeMs, List<Track> newlyConfirmed, java.util.function.IntFunction<Appearance> app,
                            int[] matchedDet) {
        List<Track> candidates = new ArrayList<>();
        List<Integer> candidateIndex = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++) {
            if (!matched[i] && tracks.get(i).state() == state && !missing(tracks.get(i))) {
                candidates.add(tracks.get(i));
                candidateIndex.add(i);
            }
        }
        List<Detection> free = new ArrayList<>();
        List<Integer> freeIndex = new ArrayList<>();
        for (int j = 0; j < detections.size(); j++) {
            if (!used[j]) {
                free.add(detections.get(j));
                freeIndex.add(j);
            }
        }
        double[][] extra = null;
        if (reid.appearanceWeight() > 0 && !candidates.isEmpty() && !free.isEmpty()) {
            extra = new double[candidates.size()][free.size()];
            for (int c = 0; c < candidates.size(); c++) {
                Appearance ta = candidates.get(c).appearance();
                for (int f = 0; f < free.size(); f++) {
                    Appearance da = ta == null ? null : app.apply(freeIndex.get(f));
                    double sim = da == null ? Double.NaN : ta.similarity(da);
                    extra[c][f] = Double.isNaN(sim) ? 0 : reid.appearanceWeight() * (1 - sim);
                }
            }
        }
        int[] a = associate(candidates, free, gate, settings.matchBuffer(), settings.matchBufferGrowth(), extra);
        for (int c = 0; c < candidates.size(); c++) {
            if (a[c] >= 0) {
                matched[candidateIndex.get(c)] = true;
                used[freeIndex.get(a[c])] = true;
                if (matchedDet != null) {
                    matchedDet[candidateIndex.get(c)] = freeIndex.get(a[c]);
                }
                hit(candidates.get(c), free.get(a[c]), seq, timeMs, newlyConfirmed);
            }
        }
    }

    /** Re-identification round: unmatched confirmed tracks that missed a round or more, by appearance within reach. */
    private void reidentify(List<Detection> confident, boolean[] used, boolean[] matched, long seq, long timeMs,
                            java.util.function.IntFunction<Appearance> app, int[] matchedDet) {
        List<Integer> cand = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++) {
            Track t = tracks.get(i);
            if (!matched[i] && t.state() == TrackState.CONFIRMED && t.missed() >= 1 && t.appearance() != null) {
                cand.add(i);
            }
        }
        List<Integer> free = new ArrayList<>();
        for (int j = 0; j < confident.size(); j++) {
            if (!used[j]) {
                free.add(j);
            }
        }
        if (cand.isEmpty() || free.isEmpty()) {
            return;
        }
        double[][] cost = new double[cand.size()][free.size()];
        for (int c = 0; c < cand.size(); c++) {
            Track t = tracks.get(cand.get(c));
            io.edgewatch.detect.BoxNorm last = t.lastDetectionBox();
            double dtS = Math.max(0, timeMs - t.lastSeenMs()) / 1000.0;
            double reach = last.height() * (1 + reid.maxSpeedPerS() * dtS);
            for (int f = 0; f < free.size(); f++) {
                Detection d = confident.get(free.get(f));
                cost[c][f] = GATED;
                if (!d.label().equals(t.label())) {
                    continue;
                }
                double hr = d.box().height() / Math.max(1e-9, last.height());
                double dist = Math.hypot(d.box().centerX() - last.centerX(), d.box().centerY() - last.centerY());
                if (hr < 0.6 || hr > 1 / 0.6 || dist > reach) {
                    continue;
                }
                Appearance da = app.apply(free.get(f));
                double sim = da == null ? Double.NaN : t.appearance().similarity(da);
                if (!Double.isNaN(sim) && sim >= reid.minSimilarity()) {
                    cost[c][f] = 1 - sim;
                }
            }
        }
        int[] a = HungarianAssignment.solve(cost);
        for (int c = 0; c < cand.size(); c++) {
            if (a[c] >= 0 && cost[c][a[c]] < GATED) {
                int i = cand.get(c);
                int j = free.get(a[c]);
                matched[i] = true;
                used[j] = true;
                matchedDet[i] = j;
                Track t = tracks.get(i);
                if (missing(t)) {
                    reidentifications++;
                    t.reidentify(confident.get(j), timeMs, seq, settings.pathSampleMs(), settings.maxPathSamples());
                } else {
                    t.hit(confident.get(j), timeMs, seq, settings.pathSampleMs(), settings.maxPathSamples());
                }
            }
        }
    }

    /** A confirmed track unmatched for more than {@code maxMissedFrames} rounds: kept only for re-identification. */
    private boolean missing(Track t) {
        return t.state() == TrackState.CONFIRMED && t.missed() > settings.maxMissedFrames();
    }

    /** True when confident detection {@code j} overlaps no other confident detection (its crop shows one person). */
    private static boolean clear(List<Detection> confident, int j) {
        for (int k = 0; k < confident.size(); k++) {
            if (k != j && confident.get(k).box().iou(confident.get(j).box()) >= 0.2) {
                return false;
            }
        }
        return true;
    }

    /** Weight of a new observation in a track's running appearance. */
    static final double APPEARANCE_ALPHA = 0.3;

    /** True when {@code d} overlaps a detection already matched in this frame by at least {@code duplicateIou}. */
    private boolean duplicate(Detection d, List<Detection> confident, boolean[] used) {
        for (int j = 0; j < confident.size(); j++) {
            if (used[j] && confident.get(j).label().equals(d.label()) && confident.get(j).box().iou(d.box()) >= settings.duplicateIou()) {
                return true;
            }
        }
        return false;
    }

    private void hit(Track t, Detection d, long seq, long timeMs, List<Track> newlyConfirmed) {
        t.hit(d, timeMs, seq, settings.pathSampleMs(), settings.maxPathSamples());
        if (t.state() == TrackState.TENTATIVE && t.consecutiveHits() >= settings.minHits()) {
            t.state(TrackState.CONFIRMED);
            newlyConfirmed.add(t);
        }
    }

    /**
     * Ends every confirmed track (end of stream or shutdown) and clears the tracker.
     *
     * @return the confirmed tracks that were alive
     */
    public List<Track> flush() {
        List<Track> ended = new ArrayList<>();
        for (Track t : tracks) {
            if (t.state() == TrackState.CONFIRMED) {
                t.state(TrackState.LOST);
                ended.add(t);
            }
        }
        tracks.clear();
        return ended;
    }

    /** Confirmed tracks currently alive and not missing (a new list). */
    public List<Track> active() {
        List<Track> a = new ArrayList<>();
        for (Track t : tracks) {
            if (t.state() == TrackState.CONFIRMED && !missing(t)) {
                a.add(t);
            }
        }
        return a;
    }

    /** All tracks, tentative included (read-only view). */
    public List<Track> all() {
        return Collections.unmodifiableList(tracks);
    }

    /**
     * Optimal assignment of detections to tracks on cost {@code 1 - BIoU}, the IoU of both boxes enlarged by
     * {@code buffer * (1 + growth * missedFrames)} (at most {@link #MAX_BUFFER}); pairs of different labels or with
     * BIoU below {@code gate} are never matched.
     *
     * @return per track the index of its detection, or -1
     */
    static int[] associate(List<Track> tracks, List<Detection> detections, double gate, double buffer, double growth) {
        return associate(tracks, detections, gate, buffer, growth, null);
    }

    /** As above, with {@code extra[i][j]} (appearance) added to the cost of each pair inside the gate, or null. */
    static int[] associate(List<Track> tracks, List<Detection> detections, double gate, double buffer, double growth, double[][] extra) {
        int n = tracks.size();
        int[] result = new int[n];
        java.util.Arrays.fill(result, -1);
        if (n == 0 || detections.isEmpty()) {
            return result;
        }
        double[][] cost = new double[n][detections.size()];
        for (int i = 0; i < n; i++) {
            Track t = tracks.get(i);
            for (int j = 0; j < detections.size(); j++) {
                Detection d = detections.get(j);
                // the buffer widens while a track goes unmatched, as its predicted position grows less certain
                double b = Math.min(MAX_BUFFER, buffer * (1 + growth * t.missed()));
                double iou = d.label().equals(t.label()) ? t.box().buffered(b).iou(d.box().buffered(b)) : 0;
                cost[i][j] = iou >= gate ? 1 - iou + (extra == null ? 0 : extra[i][j]) : GATED;
            }
        }
        int[] a = HungarianAssignment.solve(cost);
        for (int i = 0; i < n; i++) {
            if (a[i] >= 0 && cost[i][a[i]] < GATED) {
                result[i] = a[i];
            }
        }
        return result;
    }

    /** Upper bound of the widened buffer: a box is never enlarged by more than twice its size per side. */
    static final double MAX_BUFFER = 2.0;

    /** Cost of a pair outside the gate: larger than any sum of valid costs, so it is chosen only when forced. */
    private static final double GATED = 1e3;
}
