package io.edgewatch.pipeline;

import io.edgewatch.motion.MotionSettings;

/**
 * How one camera spends detector time (Frigate's detect fps, motion, regions and stationary objects).
 *
 * @param detectFps            detection rounds per second of stream time, 0..120; 0 = every decoded frame. Above the
 *                             source's rate it means every frame (logged once)
 * @param motionGating         true: detect only in regions around motion and tracks, plus a full-frame pass every
 *                             {@code fullFrameIntervalMs}; false: the whole frame every round
 * @param motion               motion detector settings (masks included)
 * @param maxRegions           most regions per round, 1..32
 * @param maxDownscale         largest ratio of source to model pixels a merged region may reach, 1..16
 * @param regionPadding        fraction of a box's size added on each side before it is placed in a region, 0..2
 * @param fullFrameIntervalMs  a full-frame round at least this often, finding what appeared without motion, ms, &gt;= 100
 * @param stationaryAfterMs    a confirmed track that has not moved this long is stationary, ms; 0 = never
 * @param stationaryIntervalMs a stationary track is re-checked this often (or when motion touches it), ms, &gt;= 100
 */
public record DetectionSettings(double detectFps, boolean motionGating, MotionSettings motion, int maxRegions,
                                double maxDownscale, double regionPadding, long fullFrameIntervalMs,
                                long stationaryAfterMs, long stationaryIntervalMs) {
    /** Default detection rate, rounds per second (Frigate's). */
    public static final double DEFAULT_DETECT_FPS = 5;

    /**
     * @throws IllegalArgumentException naming the setting (as in the configuration) when a value is out of range
     */
    public DetectionSettings {
        if (!(detectFps >= 0 && detectFps <= 120)) {
            throw new IllegalArgumentException("detect-fps must be 0..120 (0 = every frame), was " + detectFps);
        }
        if (motion == null) {
            throw new IllegalArgumentException("motion settings missing");
        }
        if (maxRegions < 1 || maxRegions > 32) {
            throw new IllegalArgumentException("regions.max-regions must be 1..32, was " + maxRegions);
        }
        if (!(maxDownscale >= 1 && maxDownscale <= 16)) {
            throw new IllegalArgumentException("regions.max-downscale must be 1..16, was " + maxDownscale);
        }
        if (!(regionPadding >= 0 && regionPadding <= 2)) {
            throw new IllegalArgumentException("regions.padding must be 0..2, was " + regionPadding);
        }
        if (fullFrameIntervalMs < 100) {
            throw new IllegalArgumentException("regions.full-frame-interval-s must be >= 0.1, was " + fullFrameIntervalMs / 1000.0);
        }
        if (stationaryAfterMs < 0) {
            throw new IllegalArgumentException("stationary-after-s must be >= 0, was " + stationaryAfterMs / 1000.0);
        }
        if (stationaryIntervalMs < 100) {
            throw new IllegalArgumentException("stationary-interval-s must be >= 0.1, was " + stationaryIntervalMs / 1000.0);
        }
    }

    /**
     * The defaults of a configured camera: 5 rounds/s, motion gating on, at most 4 regions, downscale at most 2.6
     * (a 768x576 frame is one region; 1080p keeps people at least 1/2.6 of their size), padding 0.25, a full-frame
     * round every 10 s, stationary after 10 s without moving, re-checked every 10 s (Frigate: 50 frames at 5 fps).
     */
    public static DetectionSettings defaults() {
        return new DetectionSettings(DEFAULT_DETECT_FPS, true, MotionSettings.defaults(), 4, 2.6, 0.25, 10_000, 10_000, 10_000);
    }

    /** The behaviour before motion gating: every frame, the whole frame, no stationary state. */
    public static DetectionSettings everyFrame() {
        return new DetectionSettings(0, false, MotionSettings.defaults(), 4, 2.6, 0.25, 5_000, 0, 10_000);
    }

    /** These settings at another detection rate. */
    public DetectionSettings withDetectFps(double fps) {
        return new DetectionSettings(fps, motionGating, motion, maxRegions, maxDownscale, regionPadding, fullFrameIntervalMs,
                stationaryAfterMs, stationaryIntervalMs);
    }

    /** These settings with motion gating on or off. */
    public DetectionSettings withMotionGating(boolean on) {
        return new DetectionSettings(detectFps, on, motion, maxRegions, maxDownscale, regionPadding, fullFrameIntervalMs,
                stationaryAfterMs, stationaryIntervalMs);
    }

    /** Interval between detection rounds, ms (0 = every frame). */
    public double intervalMs() {
        return detectFps == 0 ? 0 : 1000.0 / detectFps;
    }
}
