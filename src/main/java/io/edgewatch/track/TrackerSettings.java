package io.edgewatch.track;

/**
 * Tracker parameters.
 *
 * @param minIou           minimum IoU (0..1) between a predicted track box and a confident detection to associate them
 * @param weakMinIou       minimum IoU (0..1) to associate a confirmed track with a weak (low-score) detection
 * @param matchBuffer      association compares boxes enlarged by this fraction of their width and height on each
 *                         side (buffered IoU, C-BIoU, Yang et al. 2023, arXiv 2211.14317), so a small box that moves
 *                         more than its own width between analysed frames still overlaps its track; 0 = plain IoU
 * @param matchBufferGrowth the buffer of a track that missed {@code k} frames is {@code matchBuffer * (1 + growth * k)}
 *                         (capped at 2): the longer a person is hidden, the wider the area where they may reappear
 * @param duplicateIou     an unmatched confident detection whose IoU with a detection matched in the same frame is at
 *                         least this (0..1) is a duplicate box of the same object and starts no track
 * @param minHits          consecutive matched frames before a track is confirmed (published), &gt;= 1
 * @param maxMissedFrames  frames a confirmed track survives without a match before it is lost
 * @param pathSampleMs     minimum interval between path samples, ms
 * @param maxPathSamples   cap on stored path samples per track; older samples are thinned, first and last kept
 * @param reid             appearance cue and re-identification of missing tracks ({@link ReidSettings#OFF}: IoU only)
 */
public record TrackerSettings(double minIou, double weakMinIou, double matchBuffer, double matchBufferGrowth, double duplicateIou, int minHits,
                              int maxMissedFrames, long pathSampleMs, int maxPathSamples, ReidSettings reid) {
    /** Without appearance ({@link ReidSettings#OFF}). */
    public TrackerSettings(double minIou, double weakMinIou, double matchBuffer, double matchBufferGrowth, double duplicateIou, int minHits,
                           int maxMissedFrames, long pathSampleMs, int maxPathSamples) {
        this(minIou, weakMinIou, matchBuffer, matchBufferGrowth, duplicateIou, minHits, maxMissedFrames, pathSampleMs, maxPathSamples, ReidSettings.OFF);
    }

    public TrackerSettings {
        if (reid == null) {
            throw new IllegalArgumentException("reid settings must be given (ReidSettings.OFF for none)");
        }
        if (!(minIou > 0 && minIou < 1)) {
            throw new IllegalArgumentException("minIou must be in (0,1), was " + minIou);
        }
        if (!(weakMinIou > 0 && weakMinIou < 1)) {
            throw new IllegalArgumentException("weakMinIou must be in (0,1), was " + weakMinIou);
        }
        if (matchBuffer < 0 || matchBuffer > 2) {
            throw new IllegalArgumentException("matchBuffer must be 0..2, was " + matchBuffer);
        }
        if (matchBufferGrowth < 0 || matchBufferGrowth > 10) {
            throw new IllegalArgumentException("matchBufferGrowth must be 0..10, was " + matchBufferGrowth);
        }
        if (!(duplicateIou > 0 && duplicateIou <= 1)) {
            throw new IllegalArgumentException("duplicateIou must be in (0,1], was " + duplicateIou);
        }
        if (minHits < 1) {
            throw new IllegalArgumentException("minHits must be >= 1, was " + minHits);
        }
        if (maxMissedFrames < 0) {
            throw new IllegalArgumentException("maxMissedFrames must be >= 0, was " + maxMissedFrames);
        }
        if (maxPathSamples < 2) {
            throw new IllegalArgumentException("maxPathSamples must be >= 2, was " + maxPathSamples);
        }
    }

    /**
     * IoU 0.3 (0.5 for weak detections) on boxes buffered by 0.5 (growing by 1.0 per missed frame), duplicates at IoU 0.45, 3 hits, 15 missed frames, a
     * path sample every 500 ms, at most 32 samples, {@link ReidSettings#defaults()}.
     */
    public static TrackerSettings defaults() {
        return new TrackerSettings(0.3, 0.5, 0.5, 1.0, 0.45, 3, 15, 500, 32, ReidSettings.defaults());
    }
}
