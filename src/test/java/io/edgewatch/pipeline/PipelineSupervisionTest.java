package io.edgewatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.testsupport.RecordingSink;
import io.edgewatch.testsupport.TestPaths;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, item 10: a camera pipeline whose frame loop throws is not dead for good. On vtest.avi with the real
 * detector, a stage failing on two frames: the loop resumes after a back-off both times, the rest of the file is
 * processed, the restarts are counted (health, metrics), liveness stays up, and every {@code new} still has exactly
 * one {@code end}.
 */
class PipelineSupervisionTest {

    @Test
    void aFailingFrameIsSkippedAndTheCameraGoesOn() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        RecordingSink sink = new RecordingSink();
        CaptureSettings cs = CaptureSettings.defaults("cam1", TestPaths.vtest().toString());
        LatestFrameSlot slot = new LatestFrameSlot(cs.handOff());
        CaptureWorker capture = new CaptureWorker(cs, slot, new CaptureStats("cam1"), 300);
        ModelManifest manifest = ModelManifest.read(TestPaths.detectorManifest(), mapper);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CameraPipeline p = CameraPipeline.withOwnDetector("cam1", capture, slot,
                new ObjectDetector(TfliteModel.load(manifest, InterpreterOptions.xnnpack(2)), new DetectionFilter(Set.of("person"), 0.5, Map.of(), 0.3)),
                DetectionSettings.everyFrame(), TrackerSettings.defaults(), "run-cam1",
                new TrackEventBuilder("dev", "cam1", EventPolicy.defaults()), new EventPublisher(sink, mapper, "edgewatch", 1), 10, registry);
        int[] analysed = {0};
        p.observe(ctx -> {
            analysed[0]++;
            if (ctx.frame.seq() == 60 || ctx.frame.seq() == 120) {
                throw new IllegalStateException("injected failure on frame " + ctx.frame.seq());
            }
        });
        capture.start();
        Thread t = new Thread(p, "pipeline-cam1");
        long t0 = System.nanoTime();
        t.start();
        assertThat(p.await(120_000)).isTrue();
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertThat(p.restarts()).isEqualTo(2);
        assertThat(p.lastFailure()).contains("IllegalStateException", "injected failure on frame 120");
        assertThat(p.error()).as("liveness stays up below %d failures in a row", CameraPipeline.FAILURES_FOR_DOWN).isNull();
        assertThat(registry.get("edgewatch.pipeline.restarts").tag("camera", "cam1").functionCounter().count()).isEqualTo(2.0);
        assertThat(seconds).as("back-off 1 s, then 2 s").isGreaterThan(3.0);
        // the file (300 frames, BLOCKING hand-off) went on after the failures: frames after 120 were analysed (the round in flight at a failure is dropped)
        assertThat(analysed[0]).isGreaterThan(250);
        Map<String, Integer> news = new HashMap<>();
        Map<String, Integer> ends = new HashMap<>();
        synchronized (sink) {
            for (JsonNode e : sink.payloads) {
                String type = e.path("type").asText();
                String id = e.path("track").path("id").asText();
                if (type.equals("new")) {
                    news.merge(id, 1, Integer::sum);
                } else if (type.equals("end")) {
                    ends.merge(id, 1, Integer::sum);
                }
            }
        }
        assertThat(news).isNotEmpty();
        assertThat(ends).isEqualTo(news);
        assertThat(news.values()).containsOnly(1);
    }
}
