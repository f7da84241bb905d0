package io.edgewatch.health;

import io.edgewatch.capture.CaptureState;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.pipeline.AgentStarted;
import io.edgewatch.pipeline.CameraPipeline;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Registers one readiness check per running camera, named {@code camera-<id>}: UP while frames arrive (or after
 * a file ended normally), DOWN while reconnecting, failed or stalled. Data: state, frames received and
 * processed, received and processed fps against the expected rate, dropped frames, reconnects and stalls (total
 * and in the last hour), connection quality ({@link io.edgewatch.capture.ConnectionQuality}: excellent, fair,
 * poor, unusable), detection, skipped and motion fps, regions per analysed frame, last invoke ms, active and
 * stationary tracks, last error, and for a camera with zones and counting lines {@code zone.<name>.objects} (confirmed
 * tracks in the zone now) and {@code line.<name>.in} / {@code .out} (crossings since start). One more check, {@code detector-<model>}, gives the shared detector's interpreters,
 * queue depth, utilisation and last invoke ms.
 */
@ApplicationScoped
public class CameraHealthChecks {
    private final HealthRegistry readiness;

    public CameraHealthChecks(@Readiness HealthRegistry readiness) {
        this.readiness = readiness;
    }

    /** Registers the checks of every pipeline the agent started. */
    void register(@jakarta.enterprise.event.Observes AgentStarted started) {
        for (CameraPipeline p : started.pipelines()) {
            readiness.register("camera-" + p.cameraId(), () -> check(p));
        }
        if (started.detector() != null) {
            io.edgewatch.detect.DetectorService d = started.detector();
            readiness.register("detector-" + d.name(), () -> HealthCheckResponse.named("detector-" + d.name())
                    .withData("interpreters", (long) d.interpreters())
                    .withData("queueDepth", (long) d.queueDepth())
                    .withData("utilisation", round(d.utilisation()))
                    .withData("lastInvokeMs", round(d.lastInvokeMs()))
                    .withData("invokes", d.invokes())
                    .up().build());
        }
    }

    static HealthCheckResponse check(CameraPipeline p) {
        CaptureStats s = p.captureStats();
        CaptureState state = s.state();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("camera-" + p.cameraId())
                .withData("state", state.name().toLowerCase())
                .withData("framesReceived", s.framesReceived())
                .withData("framesNotConverted", s.framesNotConverted())
                .withData("framesProcessed", p.processedFrames())
                .withData("framesDropped", p.droppedFrames())
                .withData("corruptFrames", s.corruptFrames())
                .withData("reconnects", s.reconnects())
                .withData("reconnectsLastHour", (long) s.reconnectsLastHour())
                .withData("stalls", s.stalls())
                .withData("stallsLastHour", (long) s.stallsLastHour())
                .withData("quality", s.quality(p.expectedFps()).wire())
                .withData("fpsReceived", round(s.fps()))
                .withData("fpsProcessed", round(p.processFps()))
                .withData("fpsExpected", round(p.expectedFps()))
                .withData("fpsDetection", round(p.detectionFps()))
                .withData("fpsSkipped", round(p.skippedFps()))
                .withData("fpsMotion", round(p.motionFps()))
                .withData("regionsPerFrame", round(p.regionsPerFrame()))
                .withData("detectFps", round(p.detection().detectFps()))
                .withData("motionGating", p.detection().motionGating())
                .withData("roundsSkipped", p.skippedRounds())
                .withData("lastInvokeMs", round(p.lastInvokeMs()))
                .withData("activeTracks", (long) p.activeTracks())
                .withData("stationaryTracks", (long) p.stationaryTracks())
                .withData("pipelineRestarts", p.restarts());
        io.edgewatch.zones.ZoneMonitor zones = p.zones();
        if (zones != null) {
            for (io.edgewatch.zones.Zone z : zones.settings().zones()) {
                b.withData("zone." + z.name() + ".objects", (long) zones.objectsIn(z.name()));
            }
            for (io.edgewatch.zones.CrossingLine l : zones.settings().lines()) {
                b.withData("line." + l.name() + ".in", zones.crossings(l.name(), io.edgewatch.zones.CrossingLine.IN));
                b.withData("line." + l.name() + ".out", zones.crossings(l.name(), io.edgewatch.zones.CrossingLine.OUT));
            }
        }
        if (p.lastFailure() != null) {
            b.withData("lastPipelineFailure", io.edgewatch.util.Redaction.text(p.lastFailure()));
        }
        if (s.width() > 0) {
            b.withData("resolution", s.width() + "x" + s.height());
        }
        if (s.lastFrameMs() > 0) {
            b.withData("lastFrameAgeMs", System.currentTimeMillis() - s.lastFrameMs());
        }
        String err = p.error() != null ? p.error() : s.lastError();
        if (err != null) {
            b.withData("lastError", io.edgewatch.util.Redaction.text(err));
        }
        boolean up = p.error() == null && (state == CaptureState.STREAMING || state == CaptureState.ENDED
                || (state == CaptureState.STARTING && s.framesReceived() == 0 && err == null));
        return b.status(up).build();
    }

    /** Rounds to two decimals; the health API carries numbers as strings or longs. */
    private static String round(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
