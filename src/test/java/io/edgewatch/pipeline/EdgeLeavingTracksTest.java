package io.edgewatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.detect.BoxNorm;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.detect.Region;
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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * People who walk out of view end as soon with motion gating as without it. A new-user trial found that, with gating
 * on, tracks last seen at the frame's edge ended 15 to 19 s after they were last seen, sending updates with a frozen
 * box: their predicted box had moved past the edge, no region's centre test held, so no round counted them as
 * missed (only the full-frame passes did). Runs the sample video through the real pipeline and detector with a
 * configured camera's defaults (motion gating, 5 fps).
 */
class EdgeLeavingTracksTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aRoundLooksForATrackWhoseCentreLeftTheFrameAndForTheVisiblePartOfOneAtTheEdge() {
        List<Region> left = List.of(new Region(0, 0, 300, 300, false)); // left part of a 768x576 frame
        assertThat(Stages.Regions.covers(left, new BoxNorm(0.1, 0.1, 0.2, 0.3), 768, 576)).isTrue();
        assertThat(Stages.Regions.covers(left, new BoxNorm(0.6, 0.1, 0.7, 0.3), 768, 576))
                .as("in the frame, outside every region: not looked for").isFalse();
        assertThat(Stages.Regions.covers(left, new BoxNorm(0.97, 0.4, 1.07, 0.6), 768, 576))
                .as("centre past the right edge: a miss, whatever the regions").isTrue();
        assertThat(Stages.Regions.covers(List.of(), new BoxNorm(-0.3, 0.4, -0.1, 0.6), 768, 576))
                .as("wholly off-frame, no region at all").isTrue();
        // centre inside the frame but a box reaching past its top-left: the visible part's centre (0.05, 0.1) counts
        assertThat(Stages.Regions.covers(left, new BoxNorm(-0.05, -0.1, 0.15, 0.3), 768, 576)).isTrue();
        assertThat(Stages.Regions.covers(List.of(new Region(600, 0, 168, 300, false)), new BoxNorm(0.82, 0.1, 1.1, 0.3), 768, 576))
                .as("visible part's centre (0.91, 0.2) is in the right-hand region").isTrue();
    }

    @Test
    void tracksOfPeopleLeavingTheFrameEndWithinTheMissedTimeWithGatingOn() throws Exception {
        RecordingSink sink = new RecordingSink();
        CaptureSettings cs = CaptureSettings.defaults("square", TestPaths.vtest().toString());
        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.BLOCKING);
        ObjectDetector detector = new ObjectDetector(TfliteModel.load(ModelManifest.read(TestPaths.detectorManifest(), MAPPER),
                InterpreterOptions.xnnpack(2)), new DetectionFilter(Set.of("person"), 0.5, Map.of(), 0.3));
        DetectionSettings ds = DetectionSettings.defaults();
        assertThat(ds.motionGating()).as("a configured camera's default").isTrue();
        TrackerSettings ts = TrackerSettings.defaults();
        CaptureWorker capture = new CaptureWorker(cs, slot, new CaptureStats("square"), 0);
        CameraPipeline p = CameraPipeline.withOwnDetector("square", capture, slot, detector, ds, ts, "t",
                new TrackEventBuilder("dev", "square", EventPolicy.defaults()), new EventPublisher(sink, MAPPER, "edgewatch", 1), 10,
                new SimpleMeterRegistry());
        capture.start();
        Thread t = new Thread(p, "pipeline-square");
        t.start();
        t.join(180_000);
        assertThat(p.finished()).isTrue();

        // a confirmed track survives max-missed-frames rounds without a match (at the detect rate), and the
        // re-identification window: after that it ends; a round's spacing and one frame of slack on top
        double roundS = ds.intervalMs() / 1000.0;
        double boundS = Math.max((ts.maxMissedFrames() + 1) * roundS, ts.reid().windowMs() / 1000.0) + roundS + 0.1;
        List<String> late = new ArrayList<>();
        int lost = 0;
        int atEdge = 0;
        for (JsonNode e : sink.payloads) {
            if (!e.get("type").asText().equals("end") || !e.at("/summary/reason").asText().equals("lost")) {
                continue;
            }
            lost++;
            JsonNode b = e.at("/summary/lastBoxNorm");
            boolean edge = b.get("xMax").asDouble() >= 0.97 || b.get("xMin").asDouble() <= 0.03;
            if (edge) {
                atEdge++;
            }
            double lagS = Duration.between(Instant.parse(e.at("/summary/endTime").asText()), Instant.parse(e.get("time").asText())).toMillis() / 1000.0;
            if (lagS > boundS) {
                late.add(String.format("%s ended %.1f s after last seen (last box x %.2f..%.2f)", e.at("/track/id").asText(), lagS,
                        b.get("xMin").asDouble(), b.get("xMax").asDouble()));
            }
        }
        System.out.printf("edge-leaving tracks: %d lost, %d last seen at the left or right edge, bound %.1f s, late %s%n", lost, atEdge, boundS, late);
        assertThat(atEdge).as("the sample video has people walking out at both sides").isGreaterThanOrEqualTo(5);
        assertThat(late).as("tracks that coasted past the missed time").isEmpty();
    }
}
