package io.edgewatch.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.cli.StaticSceneClip;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.testsupport.EventSchema;
import io.edgewatch.testsupport.RecordingSink;
import io.edgewatch.testsupport.TestPaths;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

/**
 * A static scene with sensor noise through the real pipeline with the defaults of a configured camera (5 fps, motion
 * gating, stationary after 10 s): a person standing still (skimage's astronaut photo) for 20 s, then the same view
 * empty for 10 s. The person is reported, becomes stationary, is re-checked rather than re-detected (most rounds
 * run no inference), and ends only once gone.
 */
class StationarySceneTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aStillPersonIsStationaryReCheckedAndEndedOnlyWhenGone() throws Exception {
        Path dir = Files.createDirectories(TestPaths.projectRoot().resolve("target/stationary-scene"));
        // a 768x576 "room" (a grey gradient with a few pieces of furniture), then the same room with a person in it
        // (skimage's astronaut portrait, 240x240 px), then empty again
        Path empty = dir.resolve("room.png");
        Path person = dir.resolve("room-with-person.png");
        try (Mat room = new Mat(576, 768, org.bytedeco.opencv.global.opencv_core.CV_8UC3)) {
            org.bytedeco.javacpp.indexer.UByteIndexer ix = room.createIndexer();
            for (int y = 0; y < 576; y++) {
                for (int x = 0; x < 768; x++) {
                    ix.put(y, x, 0, 90 + x / 12);
                    ix.put(y, x, 1, 100 + y / 10);
                    ix.put(y, x, 2, 110);
                }
            }
            ix.close();
            org.bytedeco.opencv.global.opencv_imgproc.rectangle(room, new org.bytedeco.opencv.opencv_core.Point(40, 380),
                    new org.bytedeco.opencv.opencv_core.Point(260, 560), new Scalar(40, 60, 90, 0), -1, 8, 0);
            org.bytedeco.opencv.global.opencv_imgproc.rectangle(room, new org.bytedeco.opencv.opencv_core.Point(600, 60),
                    new org.bytedeco.opencv.opencv_core.Point(720, 200), new Scalar(200, 190, 170, 0), -1, 8, 0);
            imwrite(empty.toString(), room);
            try (Mat astronaut = imread(TestPaths.fetchedMedia("astronaut.png").toString()); Mat small = new Mat();
                 Mat withPerson = room.clone()) {
                org.bytedeco.opencv.global.opencv_imgproc.resize(astronaut, small, new org.bytedeco.opencv.opencv_core.Size(240, 240));
                try (Mat dst = new Mat(withPerson, new org.bytedeco.opencv.opencv_core.Rect(330, 200, 240, 240))) {
                    small.copyTo(dst);
                }
                imwrite(person.toString(), withPerson);
            }
        }
        Path clip = dir.resolve("person-then-empty.avi");
        StaticSceneClip.write(List.of(person, empty), clip, 20, 10, 4); // 20 s each, 10 fps, noise sigma 4
        RecordingSink sink = new RecordingSink();
        List<com.fasterxml.jackson.databind.JsonNode> events = sink.payloads; // read after the pipeline finished
        CaptureSettings cs = CaptureSettings.defaults("still", clip.toString());
        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.BLOCKING);
        ObjectDetector detector = new ObjectDetector(TfliteModel.load(ModelManifest.read(TestPaths.detectorManifest(), MAPPER),
                InterpreterOptions.xnnpack(2)), new DetectionFilter(Set.of("person"), 0.5, Map.of(), 0.3));
        DetectionSettings ds = DetectionSettings.defaults();
        CaptureWorker capture = new CaptureWorker(cs, slot, new CaptureStats("still"), 0);
        CameraPipeline p = CameraPipeline.withOwnDetector("still", capture, slot, detector, ds, TrackerSettings.defaults(), "t",
                new TrackEventBuilder("dev", "still", EventPolicy.defaults()), new EventPublisher(sink, MAPPER, "edgewatch", 1), 10,
                new SimpleMeterRegistry());
        // frames with motion, full-frame rounds, rounds with regions, rounds while the track was stationary, of them without inference
        int[] why = new int[5];
        StringBuilder trace = new StringBuilder();
        p.observe(ctx -> {
            if (ctx.motion != null && ctx.motion.hasMotion()) {
                why[0]++;
            }
            if (ctx.fullFrame) {
                why[1]++;
            }
            if (!ctx.regions.isEmpty()) {
                why[2]++;
            }
            if (ctx.frame.seq() < 200 && ctx.update.active().stream().anyMatch(x -> x.stationary())) {
                why[3]++;
                if (ctx.regions.isEmpty()) {
                    why[4]++;
                }
            }
            if (ctx.frame.seq() % 20 == 0) {
                trace.append(String.format("seq %d motion %s full %s regions %d tracks %s%n", ctx.frame.seq(),
                        ctx.motion == null ? "-" : ctx.motion.boxes().size() + "/" + String.format("%.4f", ctx.motion.changedFraction()),
                        ctx.fullFrame, ctx.regions.size(), ctx.update.active().stream().map(x -> x.stationary() ? "S" : "M").toList()));
            }
        });
        capture.start();
        Thread t = new Thread(p, "pipeline-still");
        t.start();
        t.join(120_000);
        assertThat(p.finished()).isTrue();

        for (var e : events) {
            assertThat(EventSchema.validate(e)).as("schema errors of %s", e).isEmpty();
        }
        List<String> ids = events.stream().map(e -> e.at("/track/id").asText()).distinct().toList();
        System.out.printf("stationary scene: %d events, tracks %s, analysed %d frames, %d without inference, %d regions;"
                        + " %d frames with motion, %d full-frame rounds; while stationary %d rounds, %d without inference%n%s",
                events.size(), ids, p.processedFrames(), p.inferenceFreeFrames(), p.regionsDetected(), why[0], why[1], why[3], why[4], trace);
        assertThat(ids).as("one person, one track").hasSize(1);
        assertThat(events.get(0).get("type").asText()).isEqualTo("new");
        assertThat(events.stream().anyMatch(e -> e.at("/track/stationary").asBoolean(false))).as("reported stationary").isTrue();
        var end = events.get(events.size() - 1);
        assertThat(end.get("type").asText()).isEqualTo("end");
        assertThat(end.at("/summary/reason").asText()).as("ended because gone, not at the stream's end").isEqualTo("lost");
        long endFrame = end.at("/frame/seq").asLong();
        assertThat(endFrame).as("ended after the person left at frame 200, within 3 s").isBetween(200L, 230L);
        // 5 fps over 40 s: 200 rounds. While the person stands still and is stationary (from about 10 s to 20 s), only
        // re-checks and full-frame passes (each every 10 s) run the detector: sensor noise is not motion
        assertThat(p.processedFrames()).isBetween(195L, 205L);
        assertThat(why[3]).as("rounds while stationary").isGreaterThan(30);
        assertThat(why[4]).as("stationary rounds without inference").isGreaterThanOrEqualTo((int) (why[3] * 0.85));
    }
}
