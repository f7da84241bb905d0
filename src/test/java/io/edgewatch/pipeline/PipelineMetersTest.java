package io.edgewatch.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.DiscardingSink;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.testsupport.TestPaths;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A camera pipeline's meters are removed when the agent stops it ({@link CameraPipeline#unbindMetrics}), so a pipeline
 * of the same camera id started after it registers its own instead of Micrometer handing back gauges bound to the
 * stopped one.
 */
class PipelineMetersTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static CameraPipeline pipeline(SimpleMeterRegistry registry) {
        CaptureSettings cs = CaptureSettings.defaults("door", TestPaths.vtest().toString());
        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.BLOCKING);
        ObjectDetector detector = new ObjectDetector(TfliteModel.load(ModelManifest.read(TestPaths.detectorManifest(), MAPPER),
                InterpreterOptions.xnnpack(1)), new DetectionFilter(Set.of("person"), 0.5, Map.of(), 0.3));
        return CameraPipeline.withOwnDetector("door", new CaptureWorker(cs, slot, new CaptureStats("door"), 0), slot, detector,
                DetectionSettings.defaults(), TrackerSettings.defaults(), "t", new TrackEventBuilder("dev", "door", EventPolicy.defaults()),
                new EventPublisher(new DiscardingSink(), MAPPER, "edgewatch", 1), 10, registry);
    }

    private static long cameraMeters(SimpleMeterRegistry registry) {
        return registry.getMeters().stream().filter(m -> "door".equals(m.getId().getTag("camera"))).count();
    }

    @Test
    void unbindRemovesEveryCameraMeterAndTheNextPipelineBindsItsOwn() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CameraPipeline first = pipeline(registry);
        long registered = cameraMeters(registry);
        Gauge firstFps = registry.get("edgewatch.process.fps").tag("camera", "door").gauge();
        assertThat(registered).as("timers, counters and gauges of the camera").isGreaterThanOrEqualTo(20);
        first.unbindMetrics();
        first.closeOwnDetector();
        assertThat(cameraMeters(registry)).as("camera meters left after unbind").isZero();

        CameraPipeline second = pipeline(registry);
        try {
            assertThat(cameraMeters(registry)).isEqualTo(registered);
            assertThat(registry.get("edgewatch.process.fps").tag("camera", "door").gauge()).as("a fresh gauge").isNotSameAs(firstFps);
        } finally {
            second.unbindMetrics();
            second.closeOwnDetector();
        }
    }
}
