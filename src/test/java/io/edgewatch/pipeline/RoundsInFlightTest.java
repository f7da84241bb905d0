package io.edgewatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.DetectorService;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.testsupport.RecordingSink;
import io.edgewatch.testsupport.TestPaths;
import io.edgewatch.track.Track;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 9 (a file as fast as possible): a camera with two rounds in flight on a detector of two single-thread
 * interpreters completes every frame once and in order, and with regions that do not depend on the tracks (the whole
 * frame every frame) gives exactly the detections, tracks and events of one round in flight on one two-thread
 * interpreter; on vtest.avi with the real model.
 */
class RoundsInFlightTest {
    private static final int FRAMES = 200;

    /** Per analysed frame: its sequence number, its detections and the active tracks with their boxes, as text. */
    private record Run(List<Long> seqs, List<String> frames, List<JsonNode> events) { }

    @Test
    void twoRoundsInFlightGiveTheSameTracksInFrameOrder() throws Exception {
        Run one = run(1, 2, 1);
        Run two = run(2, 1, 2);

        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < FRAMES; i++) {
            expected.add(i);
        }
        assertThat(one.seqs()).isEqualTo(expected);
        assertThat(two.seqs()).as("every frame completed once, in frame order").isEqualTo(expected);
        assertThat(one.frames().stream().filter(f -> f.contains("track")).count()).as("people tracked").isGreaterThan(100);
        assertThat(two.frames()).isEqualTo(one.frames());

        assertThat(two.events()).hasSameSizeAs(one.events());
        Map<String, Integer> news = new HashMap<>();
        Map<String, Integer> ends = new HashMap<>();
        long seq = -1;
        for (int i = 0; i < two.events().size(); i++) {
            JsonNode a = one.events().get(i);
            JsonNode b = two.events().get(i);
            assertThat(b.path("type").asText()).isEqualTo(a.path("type").asText());
            assertThat(b.path("track").path("id").asText()).isEqualTo(a.path("track").path("id").asText());
            assertThat(a.path("track").has("boxNorm")).isTrue();
            assertThat(b.path("track").path("boxNorm")).isEqualTo(a.path("track").path("boxNorm"));
            assertThat(b.path("frame").path("seq")).isEqualTo(a.path("frame").path("seq"));
            long s = b.path("seq").asLong();
            if (seq >= 0) {
                assertThat(s).as("seq contiguous").isEqualTo(seq + 1);
            }
            seq = s;
            String id = b.path("track").path("id").asText();
            switch (b.path("type").asText()) {
                case "new" -> news.merge(id, 1, Integer::sum);
                case "end" -> ends.merge(id, 1, Integer::sum);
                default -> { }
            }
        }
        assertThat(news).isNotEmpty();
        assertThat(ends).isEqualTo(news);
    }

    @Test
    void roundsInFlightOutOfRangeAreRefused() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ModelManifest manifest = ModelManifest.read(TestPaths.detectorManifest(), mapper);
        CaptureSettings cs = CaptureSettings.defaults("cam1", TestPaths.vtest().toString());
        LatestFrameSlot slot = new LatestFrameSlot(cs.handOff());
        CameraPipeline p = CameraPipeline.withOwnDetector("cam1", new CaptureWorker(cs, slot, new CaptureStats("cam1"), 1), slot,
                new ObjectDetector(TfliteModel.load(manifest, InterpreterOptions.xnnpack(1)), filter()), DetectionSettings.everyFrame(),
                TrackerSettings.defaults(), "run-cam1", new TrackEventBuilder("dev", "cam1", EventPolicy.defaults()),
                new EventPublisher(new RecordingSink(), mapper, "edgewatch", 1), 10, new SimpleMeterRegistry());
        LatestFrameSlot slot2 = new LatestFrameSlot(cs.handOff());
        CameraPipeline gated = CameraPipeline.withOwnDetector("cam2", new CaptureWorker(cs, slot2, new CaptureStats("cam2"), 1), slot2,
                new ObjectDetector(TfliteModel.load(manifest, InterpreterOptions.xnnpack(1)), filter()), DetectionSettings.defaults(),
                TrackerSettings.defaults(), "run-cam2", new TrackEventBuilder("dev", "cam2", EventPolicy.defaults()),
                new EventPublisher(new RecordingSink(), mapper, "edgewatch", 1), 10, new SimpleMeterRegistry());
        try {
            assertThatThrownBy(() -> p.roundsInFlight(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..4, was 0");
            assertThatThrownBy(() -> p.roundsInFlight(5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..4, was 5");
            // with motion gating a round's regions come from the previous round's tracks: one round in flight only
            assertThatThrownBy(() -> gated.roundsInFlight(2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("camera cam2: more than one round in flight needs motion gating off");
            gated.roundsInFlight(1);
        } finally {
            p.closeOwnDetector();
            gated.closeOwnDetector();
        }
        assertThat(CameraPipeline.throughput(cs, DetectionSettings.everyFrame())).as("a file unpaced, gating off").isTrue();
        assertThat(CameraPipeline.throughput(cs, DetectionSettings.defaults())).as("gating on").isFalse();
        CaptureSettings paced = new CaptureSettings(cs.cameraId(), cs.source(), cs.rtspTransport(), cs.openTimeoutMs(), cs.readTimeoutMs(),
                cs.reconnectMinMs(), cs.reconnectMaxMs(), 1.0, cs.stallTimeoutMs(), cs.maxFramePx(), cs.tls(), cs.decoderThreads());
        assertThat(CameraPipeline.throughput(paced, DetectionSettings.everyFrame())).as("paced").isFalse();
        assertThat(CameraPipeline.roundsInFlight(true, 1)).isEqualTo(1);
        assertThat(CameraPipeline.roundsInFlight(true, 2)).isEqualTo(2);
        assertThat(CameraPipeline.roundsInFlight(true, 16)).isEqualTo(4);
        assertThat(CameraPipeline.roundsInFlight(false, 16)).isEqualTo(1);
    }

    private static DetectionFilter filter() {
        return new DetectionFilter(Set.of("person"), 0.5, Map.of(), 0.3);
    }

    private static Run run(int interpreters, int threads, int rounds) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ModelManifest manifest = ModelManifest.read(TestPaths.detectorManifest(), mapper);
        List<ObjectDetector> detectors = new ArrayList<>();
        for (int i = 0; i < interpreters; i++) {
            detectors.add(new ObjectDetector(TfliteModel.load(manifest, InterpreterOptions.xnnpack(threads)), filter()));
        }
        RecordingSink sink = new RecordingSink();
        CaptureSettings cs = CaptureSettings.defaults("cam1", TestPaths.vtest().toString());
        LatestFrameSlot slot = new LatestFrameSlot(cs.handOff());
        assertThat(slot.mode()).isEqualTo(LatestFrameSlot.Mode.BLOCKING);
        CaptureWorker capture = new CaptureWorker(cs, slot, new CaptureStats("cam1"), FRAMES);
        List<Long> seqs = new ArrayList<>();
        List<String> frames = new ArrayList<>();
        try (DetectorService service = new DetectorService(manifest.id(), detectors)) {
            CameraPipeline p = new CameraPipeline("cam1", capture, slot, service.register("cam1"), DetectionSettings.everyFrame(),
                    TrackerSettings.defaults(), "run-cam1", new TrackEventBuilder("dev", "cam1", EventPolicy.defaults()),
                    new EventPublisher(sink, mapper, "edgewatch", 1), 10, new SimpleMeterRegistry());
            p.roundsInFlight(rounds);
            p.observe(ctx -> {
                seqs.add(ctx.frame.seq());
                StringBuilder sb = new StringBuilder();
                ctx.confident.forEach(d -> sb.append(d.label()).append(' ').append(d.score()).append(' ').append(d.box()).append("; "));
                for (Track t : ctx.update.active()) {
                    sb.append("track ").append(t.id()).append(' ').append(t.box()).append("; ");
                }
                frames.add(sb.toString());
            });
            capture.start();
            Thread t = new Thread(p, "pipeline-cam1");
            t.start();
            assertThat(p.await(120_000)).isTrue();
        }
        synchronized (sink) {
            return new Run(seqs, frames, List.copyOf(sink.payloads));
        }
    }
}
