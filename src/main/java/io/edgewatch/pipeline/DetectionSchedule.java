package io.edgewatch.pipeline;

/**
 * Decides which decoded frames are analysed at a camera's detection rate, on the frames' own clock (stream time for
 * files, wall clock at decode for live sources), and counts the rounds that were due but never got a frame because
 * the pipeline was busy (waiting for the shared detector): Frigate's skipped fps. Not thread-safe: one per camera.
 */
public final class DetectionSchedule {
    private final double intervalMs;
    private double nextDueMs = Double.NaN;
    private long skipped;

    /** @param intervalMs interval between rounds, ms; 0 = every frame */
    public DetectionSchedule(double intervalMs) {
        if (!(intervalMs >= 0)) {
            throw new IllegalArgumentException("detection interval must be >= 0 ms, was " + intervalMs);
        }
        this.intervalMs = intervalMs;
    }

    /**
     * Whether the frame at {@code timeMs} is a detection round. A frame up to a quarter interval early counts as on
     * time (frame clocks jitter); rounds whose time passed while no frame was taken are counted as skipped.
     */
    public boolean due(long timeMs) {
        if (intervalMs == 0) {
            return true;
        }
        if (Double.isNaN(nextDueMs)) {
            nextDueMs = timeMs + intervalMs;
            return true;
        }
        if (timeMs < nextDueMs - intervalMs / 4) {
            if (nextDueMs - timeMs > 10 * intervalMs) { // the clock went back (file looped, camera clock reset)
                nextDueMs = timeMs + intervalMs;
                return true;
            }
            return false;
        }
        long late = (long) Math.floor((timeMs - nextDueMs) / intervalMs + 0.25);
        if (late > 0) {
            skipped += late;
        }
        nextDueMs += (Math.max(0, late) + 1) * intervalMs;
        return true;
    }

    /** Rounds that were due but skipped for lack of time, since start. */
    public long skipped() {
        return skipped;
    }
}
