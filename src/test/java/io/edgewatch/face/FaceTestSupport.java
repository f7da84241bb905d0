package io.edgewatch.face;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.CapturedFrame;
import io.edgewatch.capture.FfmpegFrameReader;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.EventSink;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.pipeline.CameraPipeline;
import io.edgewatch.testsupport.TestPaths;
import io.edgewatch.track.Tracker;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** Shared set-up of the face tests: settings on a temporary gallery, and the real camera pipeline over a video. */
final class FaceTestSupport {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private FaceTestSupport() {
    }

    /** Default settings (as the configuration defaults) on a gallery in {@code dir} with a fresh key. */
    static FaceSettings settings(Path dir) {
        Path key = dir.resolve("gallery.key");
        if (!key.toFile().exists()) {
            GalleryCipher.generateKeyFile(key);
        }
        return new FaceSettings(true, "test: identify enrolled staff", "test: GDPR Art. 9(2)(a) explicit consent",
                FaceSettings.Mode.PERSON_CROP, TestPaths.manifest("face-detection-full-range.manifest.json"),
                TestPaths.manifest("mobilefacenet.manifest.json"), 1, 0.6, dir.resolve("gallery"), key, dir.resolve("gallery/audit.jsonl"),
                0, 0.55, FaceSettings.GrayscalePolicy.REFUSE, 0.65, 32, 40, 0.3, 4, 4, 2, 6, false, 0.5, 0.15);
    }

    /** An event sink that keeps every message (a real sink of the pipeline, like standard output). */
    static final class RecordingSink extends io.edgewatch.testsupport.RecordingSink {
    }

    /**
     * Runs detector, tracker, face stage and events over a video on this thread, as the agent's camera pipeline does.
     *
     * @param perFrame called after each frame with the frame and the pipeline (may be null)
     */
    static CameraPipeline runVideo(Path video, FaceService faces, EventSink sink, BiConsumer<CapturedFrame, CameraPipeline> perFrame) throws Exception {
        return runVideoWithAttempts(video, faces, sink, null, perFrame);
    }

    /** As {@link #runVideo}, with a listener of every face attempt. */
    static CameraPipeline runVideoWithAttempts(Path video, FaceService faces, EventSink sink, java.util.function.Consumer<FaceStage.Attempt> attempts,
                                               BiConsumer<CapturedFrame, CameraPipeline> perFrame) throws Exception {
        return runVideoWithAttempts(video, faces, sink, attempts, perFrame, new SimpleMeterRegistry());
    }

    /** As {@link #runVideo}, with a listener of every face attempt, registering the pipeline's meters in {@code registry}. */
    static CameraPipeline runVideoWithAttempts(Path video, FaceService faces, EventSink sink, java.util.function.Consumer<FaceStage.Attempt> attempts,
                                               BiConsumer<CapturedFrame, CameraPipeline> perFrame, MeterRegistry registry) throws Exception {
        CaptureSettings cs = CaptureSettings.defaults("cam1", video.toString());
        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.BLOCKING);
        DetectionFilter filter = new DetectionFilter(Set.of("person"), 0.5, Map.of(), 0.3);
        ObjectDetector detector = new ObjectDetector(TfliteModel.load(ModelManifest.read(TestPaths.detectorManifest(), MAPPER),
                InterpreterOptions.xnnpack(2)), filter);
        CameraPipeline p = CameraPipeline.withOwnDetector("cam1", new CaptureWorker(cs, slot, new CaptureStats("cam1"), 0), slot, detector,
                io.edgewatch.pipeline.DetectionSettings.everyFrame(), TrackerSettings.defaults(), "run-cam1",
                new TrackEventBuilder("dev", "cam1", EventPolicy.defaults()),
                new EventPublisher(sink, MAPPER, "edgewatch", 1), 10, registry);
        if (faces != null) {
            FaceStage stage = faces.createStage("cam1");
            stage.onAttempt(attempts);
            p.attachFaces(stage);
        }
        try (FfmpegFrameReader reader = new FfmpegFrameReader(cs, 0)) {
            reader.open();
            CapturedFrame next;
            while ((next = reader.next()) != null) {
                try (CapturedFrame f = next) {
                    p.process(f);
                    if (perFrame != null) {
                        perFrame.accept(f, p);
                    }
                }
            }
            p.flush("stream-end");
        }
        p.closeOwnDetector();
        return p;
    }
}
