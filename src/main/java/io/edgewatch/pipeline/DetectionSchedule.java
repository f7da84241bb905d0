package io.edgewatch.pipeline;

/**
 * Decides which decoded frames are analysed at a camera's detection rate, on the frames' own clock (stream time for
 * files, wall clock at decode for live sources), and counts the rounds that were due but never got a frame because
 * the pipeline was busy (waiting for the shared detector): Frigate's skipped fps. {@link #due} is for the camera's
 * pipeline thread only (one schedule per camera); {@link #wanted} may be asked from the capture thread.
 */
public final class DetectionSchedule {
    private final double intervalMs;
    private volatile double nextDueMs = Double.NaN; // written by the pipeline thread only
    private long skipped;
    private long lastSeq = -1;

    /** @param intervalMs interval between rounds, ms; 0 = every frame */
    public DetectionSchedule(double intervalMs) {
        if (!(intervalMs >= 0)) {
            throw new IllegalArgumentException("detection interval must be >= 0 ms, was " + intervalMs);
        }
        this.intervalMs = intervalMs;
    }

    /**
     * Whether the frame at {@code timeMs} is a detection round. A frame up to a quarter interval early counts as on
     * time (frame clocks jitter); rounds whose time passed while no frame was taken are counted as skipped, as if a
     * frame had been decoded for each of them ({@link #due(long, long)} knows better).
     */
    public boolean due(long timeMs) {
        return due(timeMs, Long.MAX_VALUE);
    }

    /**
     * Whether decoded frame number {@code seq} at {@code timeMs} is a detection round. Of the rounds whose time passed
     * since the previous frame taken, at most as many as there were frames decoded but not taken in between (dropped
     * by the latest-frame-wins hand-off while the pipeline was busy) count as skipped: a detection rate above the
     * source's frame rate leaves rounds without a frame, which were never possible and are not skipped (the rate then
     * means every frame).
     *
     * @param seq the frame's number in decode order (consecutive frames differ by 1)
     */
    public boolean due(long timeMs, long seq) {
        long missedFrames = seq == Long.MAX_VALUE ? Long.MAX_VALUE : lastSeq < 0 || seq <= lastSeq ? 0 : seq - lastSeq - 1;
        if (seq != Long.MAX_VALUE) {
            lastSeq = seq;
        }
        double next = nextDueMs;
        if (!isRound(timeMs, next)) {
            return false;
        }
        if (intervalMs == 0) {
            return true;
        }
        if (Double.isNaN(next) || clockWentBack(timeMs, next)) { // first frame; file looped, camera clock reset
            nextDueMs = timeMs + intervalMs;
            return true;
        }
        long late = (long) Math.floor((timeMs - next) / intervalMs + 0.25);
        if (late > 0) {
            skipped += Math.min(late, missedFrames);
        }
        nextDueMs += (Math.max(0, late) + 1) * intervalMs;
        return true;
    }

    /**
     * Whether a frame at {@code timeMs} could be a detection round, without changing the schedule: the capture thread's
     * question before it converts a decoded frame ({@link io.edgewatch.capture.FrameDemand}). True for every frame
     * {@link #due} would accept, by the same rule (on time or late, up to a quarter interval early, the first frame, a
     * clock that went back); a frame seen by the capture before the pipeline has moved the schedule on may be answered true and then
     * not be due, never the other way round, because the due time only moves forward between clock resets.
     */
    public boolean wanted(long timeMs) {
        return isRound(timeMs, nextDueMs);
    }

    /**
     * The one rule of {@link #due} and {@link #wanted}: a frame at {@code timeMs} is a round against the due time
     * {@code next} (NaN before the first frame) unless it is more than a quarter interval early, or the clock went back.
     */
    private boolean isRound(long timeMs, double next) {
        return intervalMs == 0 || Double.isNaN(next) || timeMs >= next - intervalMs / 4 || clockWentBack(timeMs, next);
    }

    /** More than ten intervals before the due time: the clock went back (a looped file, a camera clock reset). */
    private boolean clockWentBack(long timeMs, double next) {
        return next - timeMs > 10 * intervalMs;
    }

    /** Rounds that were due but skipped for lack of time, since start. */
    public long skipped() {
        return skipped;
    }
}
