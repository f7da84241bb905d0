package io.edgewatch.events;

/**
 * When a confirmed track produces {@code update} events.
 *
 * @param updateIntervalMs    a confirmed track gets an update at least this often while alive, ms (0 = never)
 * @param minUpdateIntervalMs updates of one track are never closer than this, ms
 * @param materialIou         a material change: the IoU between the box last published and the current box fell
 *                            below this value (0..1), i.e. the object moved or changed size noticeably
 */
public record EventPolicy(long updateIntervalMs, long minUpdateIntervalMs, double materialIou) {
    public EventPolicy {
        if (updateIntervalMs < 0 || minUpdateIntervalMs < 0) {
            throw new IllegalArgumentException("update intervals must be >= 0");
        }
        if (materialIou < 0 || materialIou > 1) {
            throw new IllegalArgumentException("materialIou must be 0..1, was " + materialIou);
        }
    }

    /** Every 5 s, at most every 1 s, material change below IoU 0.5. */
    public static EventPolicy defaults() {
        return new EventPolicy(5_000, 1_000, 0.5);
    }
}
