package io.edgewatch.track;

/** Life cycle of a track: tentative until {@code minHits} consecutive hits, then confirmed; lost when it disappears. */
public enum TrackState {
    /** Seen in fewer than {@code minHits} consecutive frames; never published; deleted on its first miss. */
    TENTATIVE,
    /** Published; kept through up to {@code maxMissedFrames} missed frames (predicted by the Kalman filter). */
    CONFIRMED,
    /** Confirmed track not matched for more than {@code maxMissedFrames} frames; removed from the tracker. */
    LOST
}
