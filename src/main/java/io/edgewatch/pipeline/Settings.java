package io.edgewatch.pipeline;

import io.edgewatch.config.EdgewatchConfig;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.track.TrackerSettings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Turns configuration groups into the value records the capability packages take. */
public final class Settings {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Settings.class);
    /** Motion masks covering at least this share of the frame get a warning at start-up. */
    static final double MASKED_WARN_SHARE = 0.9;
    private Settings() {
    }

    /** Tracker parameters from {@code edgewatch.tracker.*}. */
    public static TrackerSettings tracker(EdgewatchConfig.Tracker t) {
        return new TrackerSettings(t.minIou(), t.weakMinIou(), t.matchBuffer(), t.matchBufferGrowth(), t.duplicateIou(),
                t.minHits(), t.maxMissedFrames(), t.pathSampleMs(), t.maxPathSamples(),
                new io.edgewatch.track.ReidSettings(Math.round(t.reidWindowS() * 1000), t.reidMinSimilarity(), t.appearanceWeight(), t.reidMaxSpeed()));
    }

    /** Update policy from {@code edgewatch.events.*}. */
    public static EventPolicy events(EdgewatchConfig.Events e) {
        return new EventPolicy(e.updateIntervalMs(), e.minUpdateIntervalMs(), e.materialMove(), e.clothingColours());
    }

    /**
     * Capture settings of a configured camera, with the reconnect, stall, frame size and decoder thread figures of
     * {@code edgewatch.capture.*}; its
     * CA file is not read here (see {@link io.edgewatch.capture.CameraTls#check(String)}).
     */
    public static io.edgewatch.capture.CaptureSettings camera(String id, EdgewatchConfig.Camera c, io.edgewatch.config.CaptureConfig cc) {
        return new io.edgewatch.capture.CaptureSettings(id, c.source(), c.rtspTransport(), c.openTimeoutMs(), c.readTimeoutMs(),
                cc.reconnectMinMs(), cc.reconnectMaxMs(), c.replaySpeed(), cc.stallTimeoutMs(), cc.maxFramePx(),
                new io.edgewatch.capture.CameraTls(c.tlsVerify(), c.caFile()), cc.decoderThreads());
    }

    /**
     * Broker settings from {@code edgewatch.mqtt.*} for {@code url}; the client id defaults to
     * {@code edgewatch-<device>}, the availability topic is {@code <prefix>/<device>/availability}.
     */
    public static io.edgewatch.mqtt.MqttSettings mqtt(EdgewatchConfig config, String url) {
        EdgewatchConfig.Mqtt m = config.mqtt();
        return new io.edgewatch.mqtt.MqttSettings(url, m.clientId().orElse("edgewatch-" + config.deviceId()), m.username(),
                m.password(), m.passwordFile(), m.caFile(), m.certFile(), m.keyFile(), m.qos(), m.keepAliveS(),
                config.events().topicPrefix() + "/" + config.deviceId() + "/availability");
    }

    /**
     * Zones and counting lines of a configured camera, in name order. Names, point counts and coordinates were
     * checked when the configuration was read ({@code PolygonConverter}, {@code LineConverter}, key patterns), a
     * zone's {@code dwell-alert-s} too (unset: no dwell alert).
     */
    public static io.edgewatch.zones.ZoneSettings zones(EdgewatchConfig.Camera c) {
        java.util.List<io.edgewatch.zones.Zone> zones = new java.util.ArrayList<>();
        java.util.List<io.edgewatch.zones.CrossingLine> lines = new java.util.ArrayList<>();
        new java.util.TreeMap<>(c.zones()).forEach((name, z) -> zones.add(new io.edgewatch.zones.Zone(name, z.polygon().xy(),
                z.dwellAlertS().orElse(0.0))));
        new java.util.TreeMap<>(c.lines()).forEach((name, l) -> {
            double[] p = l.points().xy();
            lines.add(new io.edgewatch.zones.CrossingLine(name, p[0], p[1], p[2], p[3]));
        });
        return new io.edgewatch.zones.ZoneSettings(zones, lines, io.edgewatch.zones.ZoneAnchor.parse(c.zoneAnchor()), c.zoneInertiaFrames());
    }

    /**
     * Detection rate, motion, regions and stationary settings of a configured camera
     * ({@code edgewatch.cameras.<id>.detect-fps}, {@code .motion.*}, {@code .regions.*}, {@code .stationary-*}).
     *
     * @throws IllegalArgumentException naming the key when a value is out of range or a mask is not a polygon
     */
    public static DetectionSettings detection(String id, EdgewatchConfig.Camera c) {
        String key = "edgewatch.cameras." + id + ".";
        EdgewatchConfig.MotionConfig m = c.motion();
        java.util.List<io.edgewatch.config.NormalizedPoints> masks = new java.util.ArrayList<>();
        new java.util.TreeMap<>(m.masks()).forEach((name, z) -> masks.add(z.polygon()));
        io.edgewatch.motion.MotionSettings d = io.edgewatch.motion.MotionSettings.defaults();
        io.edgewatch.motion.MotionSettings ms;
        try {
            ms = new io.edgewatch.motion.MotionSettings(d.frameWidthPx(), m.threshold(), m.contourArea(), m.frameAlpha(),
                    m.lightningThreshold(), d.dilateIterations(), d.warmupFrames(), masks);
        } catch (IllegalArgumentException e) {
            // MotionSettings names the setting in configuration spelling (threshold, lightning-threshold ...); masks
            // were checked by MaskPolygonConverter when the configuration was read
            throw new IllegalArgumentException(key + "motion." + e.getMessage(), e);
        }
        double masked = maskedShare(masks);
        if (masked >= MASKED_WARN_SHARE) {
            LOG.warnf("%smotion.masks cover %.0f %% of the frame: motion there is ignored, so only the full-frame passes (every %.0f s)"
                    + " and existing tracks can find objects; masks are for clocks, trees and timestamps, not for turning detection off",
                    key, masked * 100, c.regions().fullFrameIntervalS());
        }
        EdgewatchConfig.RegionsConfig r = c.regions();
        try {
            return new DetectionSettings(c.detectFps(), m.enabled(), ms, r.maxRegions(), r.maxDownscale(), r.padding(),
                    Math.round(r.fullFrameIntervalS() * 1000), Math.round(c.stationaryAfterS() * 1000),
                    Math.round(c.stationaryIntervalS() * 1000));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + e.getMessage(), e);
        }
    }

    /** Share of the frame (0..1) inside at least one of the mask polygons, sampled on a 200 x 200 grid. */
    static double maskedShare(java.util.List<io.edgewatch.config.NormalizedPoints> masks) {
        if (masks.isEmpty()) {
            return 0;
        }
        java.util.List<io.edgewatch.zones.Zone> polys = new java.util.ArrayList<>();
        for (io.edgewatch.config.NormalizedPoints p : masks) {
            polys.add(new io.edgewatch.zones.Zone("mask", p.xy()));
        }
        int n = 200;
        int inside = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = (j + 0.5) / n;
                double y = (i + 0.5) / n;
                for (io.edgewatch.zones.Zone z : polys) {
                    if (z.contains(x, y)) {
                        inside++;
                        break;
                    }
                }
            }
        }
        return inside / (double) (n * n);
    }

    /**
     * Pairs of keys that each pass their own range but contradict each other: a weak-detection score above the minimum
     * score (weak detections are those between the two), reconnect delays whose minimum is
     * above their maximum, a periodic update interval shorter than the minimum interval between updates. {@code run}
     * refuses them ({@link #checkPairs}); {@code doctor} reports them as its failed {@code config} check.
     *
     * @return one sentence per contradicting pair, naming both keys and their values; empty when they hold together
     */
    public static List<String> contradictions(EdgewatchConfig c, io.edgewatch.config.SpoolConfig spool, io.edgewatch.config.CaptureConfig capture) {
        List<String> problems = new ArrayList<>();
        EdgewatchConfig.Detector d = c.detector();
        if (d.weakScore() > d.minScore()) {
            problems.add("edgewatch.detector.weak-score (" + d.weakScore()
                    + ") must not be above edgewatch.detector.min-score (" + d.minScore() + "): weak detections lie between the two");
        }
        pair(problems, "edgewatch.spool.reconnect-min-ms", spool.reconnectMinMs(), "edgewatch.spool.reconnect-max-ms", spool.reconnectMaxMs());
        pair(problems, "edgewatch.capture.reconnect-min-ms", capture.reconnectMinMs(), "edgewatch.capture.reconnect-max-ms", capture.reconnectMaxMs());
        EdgewatchConfig.Events e = c.events();
        if (e.updateIntervalMs() > 0 && e.updateIntervalMs() < e.minUpdateIntervalMs()) {
            problems.add("edgewatch.events.update-interval-ms (" + e.updateIntervalMs()
                    + ") is shorter than edgewatch.events.min-update-interval-ms (" + e.minUpdateIntervalMs()
                    + "): no two updates of a track may come closer than the minimum, so the periodic interval must be at least that");
        }
        return problems;
    }

    /**
     * Stops start-up on {@link #contradictions}, all of them at once.
     *
     * @throws io.edgewatch.config.ConfigurationError naming both keys and their values, one pair per line
     */
    public static void checkPairs(EdgewatchConfig c, io.edgewatch.config.SpoolConfig spool, io.edgewatch.config.CaptureConfig capture) {
        List<String> problems = contradictions(c, spool, capture);
        if (!problems.isEmpty()) {
            throw new io.edgewatch.config.ConfigurationError(String.join("\n", problems));
        }
    }

    private static void pair(List<String> problems, String minKey, long min, String maxKey, long max) {
        if (min > max) {
            problems.add(minKey + " (" + min + ") must not be above " + maxKey + " (" + max + ")");
        }
    }

    /** Label allow-list and thresholds from {@code edgewatch.detector.*}. */
    public static DetectionFilter filter(EdgewatchConfig.Detector d) {
        return new DetectionFilter(new HashSet<>(d.labels()), d.minScore(), d.minScoreByLabel(), d.weakScore());
    }
}
