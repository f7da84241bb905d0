package io.edgewatch.events;

/**
 * When a confirmed track produces {@code update} events.
 *
 * @param updateIntervalMs    a confirmed track gets an update at least this often while alive, ms (0 = never)
 * @param minUpdateIntervalMs updates of one track are never closer than this, ms
 * @param materialMove        a material change: the box centre moved this far since the last published event,
 *                            normalized units (0..1.5; 0.1 = a tenth of the frame width/height), or the box area
 *                            doubled or halved
 * @param clothingColours     {@code end} summaries carry the track's dominant clothing colours when decided
 */
public record EventPolicy(long updateIntervalMs, long minUpdateIntervalMs, double materialMove, boolean clothingColours) {
    public EventPolicy {
        if (updateIntervalMs < 0 || minUpdateIntervalMs < 0) {
            throw new IllegalArgumentException("update intervals must be >= 0");
        }
        if (materialMove <= 0 || materialMove > 1.5) {
            throw new IllegalArgumentException("materialMove must be in (0, 1.5], was " + materialMove);
        }
    }

    /** A policy with clothing colours in {@code end} summaries. */
    public EventPolicy(long updateIntervalMs, long minUpdateIntervalMs, double materialMove) {
        this(updateIntervalMs, minUpdateIntervalMs, materialMove, true);
    }

    /** Every 5 s, at most every 1 s, material change at a move of 0.1 of the frame, clothing colours on. */
    public static EventPolicy defaults() {
        return new EventPolicy(5_000, 1_000, 0.1, true);
    }
}
