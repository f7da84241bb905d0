package io.edgewatch.track;

/**
 * Identity through occlusion: how the tracker uses each person's {@link Appearance}.
 *
 * @param windowMs           a confirmed track that has gone unmatched for longer than {@code maxMissedFrames} rounds is
 *                           <em>missing</em> (not active: not in zones, updates or faces) and stays re-identifiable
 *                           until this long after it was last seen, ms; only then it is lost and ended. 0 = lost at
 *                           once (no re-identification)
 * @param minSimilarity      a missing (or coasting) track takes an unmatched detection only when their appearance
 *                           similarity (mean Bhattacharyya coefficient, 0..1) is at least this
 * @param appearanceWeight   weight of {@code 1 - similarity} added to the association cost {@code 1 - IoU} of tracks
 *                           seen in the last rounds, 0..2; 0 = IoU only
 * @param maxSpeedPerS       how far a missing person may have walked, in box heights per second, on top of one box
 *                           height: the gate around the last seen box for re-identification, &gt; 0
 */
public record ReidSettings(long windowMs, double minSimilarity, double appearanceWeight, double maxSpeedPerS) {
    public ReidSettings {
        if (windowMs < 0) {
            throw new IllegalArgumentException("reid window must be >= 0 ms, was " + windowMs);
        }
        if (!(minSimilarity >= 0 && minSimilarity <= 1)) {
            throw new IllegalArgumentException("reid min similarity must be 0..1, was " + minSimilarity);
        }
        if (!(appearanceWeight >= 0 && appearanceWeight <= 2)) {
            throw new IllegalArgumentException("appearance weight must be 0..2, was " + appearanceWeight);
        }
        if (!(maxSpeedPerS > 0)) {
            throw new IllegalArgumentException("reid max speed must be > 0 box heights/s, was " + maxSpeedPerS);
        }
    }

    /** No appearance and no re-identification: the tracker as it was (IoU only, lost after maxMissedFrames). */
    public static final ReidSettings OFF = new ReidSettings(0, 1, 0, 1);

    /** Window 3 s, similarity 0.9, weight 0.5, 1.5 box heights per second. */
    public static ReidSettings defaults() {
        return new ReidSettings(3_000, 0.9, 0.5, 1.5);
    }

    /** Whether appearance is computed at all. */
    public boolean usesAppearance() {
        return appearanceWeight > 0 || windowMs > 0;
    }
}
