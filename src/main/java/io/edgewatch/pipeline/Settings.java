package io.edgewatch.pipeline;

import io.edgewatch.config.EdgewatchConfig;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.track.TrackerSettings;

import java.util.HashSet;

/** Turns configuration groups into the value records the capability packages take. */
public final class Settings {
    private Settings() {
    }

    /** Tracker parameters from {@code edgewatch.tracker.*}. */
    public static TrackerSettings tracker(EdgewatchConfig.Tracker t) {
        return new TrackerSettings(t.minIou(), t.weakMinIou(), t.matchBuffer(), t.matchBufferGrowth(), t.duplicateIou(),
                t.minHits(), t.maxMissedFrames(), t.pathSampleMs(), t.maxPathSamples());
    }

    /** Update policy from {@code edgewatch.events.*}. */
    public static EventPolicy events(EdgewatchConfig.Events e) {
        return new EventPolicy(e.updateIntervalMs(), e.minUpdateIntervalMs(), e.materialMove());
    }

    /** Label allow-list and thresholds from {@code edgewatch.detector.*}. */
    public static DetectionFilter filter(EdgewatchConfig.Detector d) {
        return new DetectionFilter(new HashSet<>(d.labels()), d.minScore(), d.minScoreByLabel(), d.weakScore());
    }
}
