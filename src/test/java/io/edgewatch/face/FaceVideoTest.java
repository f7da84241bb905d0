package io.edgewatch.face;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgewatch.pipeline.CameraPipeline;
import io.edgewatch.testsupport.TestPaths;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real camera pipeline (SSD person detector, tracker, face stage, events) over the shared clip of three people
 * walking towards the camera: faces are found on the person tracks, everyone is unknown with an empty gallery, and
 * after enrolling one person from one frame that person's track is identified while the others stay unknown.
 */
class FaceVideoTest {
    private static final String CLIP = "video/face-demographics-walking-and-pause.derived.mp4";

    @TempDir
    Path dir;

    @Test
    void emptyGalleryThenOneEnrolledPersonIsIdentified() throws Exception {
        Path video = TestPaths.sharedMedia(CLIP);
        FaceSettings base = FaceTestSupport.settings(dir);
        // publish-embeddings on: only the identified track's embedding may leave, never an unknown person's (issue 10, item 7)
        FaceSettings settings = base.withMode(base.mode(), base.facesPerSecond(), true);
        try (FaceService svc = FaceService.open(settings, FaceTestSupport.MAPPER, "test", System.currentTimeMillis())) {
            // run 1: empty gallery
            Map<String, FaceStage.Attempt> first = new LinkedHashMap<>();
            Map<Long, Mat> frames = new HashMap<>();
            FaceTestSupport.RecordingSink sink1 = new FaceTestSupport.RecordingSink();
            FaceTestSupport.runVideoWithAttempts(video, svc, sink1, a -> first.putIfAbsent(a.trackId(), a), (f, p) -> {
                if (first.values().stream().anyMatch(a -> a.frameSeq() == f.seq())) {
                    frames.put(f.seq(), f.image().clone());
                }
            });
            Map<String, JsonNode> ends1 = ends(sink1);
            System.out.println("run 1 (empty gallery): " + faces(ends1));
            assertThat(ends1).hasSize(3);
            assertThat(first).hasSize(3); // a face was found and embedded on each of the three person tracks
            for (JsonNode end : ends1.values()) {
                assertThat(end.path("track").path("face").has("identity")).isTrue();
                assertThat(end.path("track").path("face").path("identity").isNull()).isTrue();
            }
            // everyone is unknown: no embedding in any event
            assertThat(sink1.payloads).isNotEmpty().noneMatch(e -> e.path("track").path("face").has("embedding"));
            // enrol the person whose first face was the best, from that one frame (a crop around the face)
            FaceStage.Attempt best = first.values().stream().max((a, b) -> Double.compare(a.quality().weight(), b.quality().weight())).orElseThrow();
            Mat frame = frames.get(best.frameSeq());
            FaceDetection d = best.face();
            int m = (int) d.widthPx();
            int x0 = Math.max(0, (int) d.xMin() - m);
            int y0 = Math.max(0, (int) d.yMin() - m);
            int x1 = Math.min(frame.cols(), (int) d.xMax() + m);
            int y1 = Math.min(frame.rows(), (int) d.yMax() + m);
            try (FaceAnalyzer analyzer = FaceAnalyzer.load(settings, FaceTestSupport.MAPPER); Mat crop = new Mat(frame, new Rect(x0, y0, x1 - x0, y1 - y0)).clone()) {
                new FaceEnrolment(svc, analyzer).enroll("person-A", crop, CLIP + "#frame" + best.frameSeq(), "test", System.currentTimeMillis());
            }
            System.out.println("enrolled person-A = track " + best.trackId() + " from frame " + best.frameSeq() + String.format(" (face %.0f px)", d.widthPx()));

            // run 2: one enrolled person
            Map<String, List<Double>> sims = new TreeMap<>();
            FaceTestSupport.RecordingSink sink2 = new FaceTestSupport.RecordingSink();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            CameraPipeline p2 = FaceTestSupport.runVideoWithAttempts(video, svc, sink2,
                    a -> sims.computeIfAbsent(a.trackId(), k -> new ArrayList<>()).add(round(a.similarities().get("person-A"))), null, registry);
            Map<String, JsonNode> ends2 = ends(sink2);
            System.out.println("run 2 (person-A enrolled): " + faces(ends2));
            System.out.println("run 2 similarities to person-A per track and attempt: " + sims);
            assertThat(ends2).hasSize(3);
            // the face counters on /q/metrics are the stage's own counts: every attempt embedded, none failed
            long attempts2 = sims.values().stream().mapToLong(List::size).sum();
            assertThat(registry.get("edgewatch.faces.embedded").tag("camera", "cam1").functionCounter().count()).isEqualTo(attempts2);
            assertThat(registry.get("edgewatch.faces.failed").tag("camera", "cam1").functionCounter().count()).isZero();
            assertThat(registry.get("edgewatch.faces.detected").tag("camera", "cam1").functionCounter().count())
                    .isEqualTo(p2.faces().facesDetected()).isGreaterThanOrEqualTo(attempts2);
            // the identified track's embedding is published once; the unknown tracks' never
            List<JsonNode> published = sink2.payloads.stream().filter(e -> e.path("track").path("face").has("embedding")).toList();
            assertThat(published).hasSize(1);
            assertThat(published.get(0).path("track").path("id").asText()).isEqualTo(best.trackId());
            assertThat(published.get(0).path("track").path("face").path("identity").asText()).isEqualTo("person-A");
            assertThat(published.get(0).path("track").path("face").path("embedding").path("vector")).hasSize(192);
            JsonNode a = ends2.get(best.trackId()).path("track").path("face");
            assertThat(a.path("identity").asText()).isEqualTo("person-A");
            assertThat(a.path("score").asDouble()).isGreaterThanOrEqualTo(settings.threshold());
            assertThat(a.path("attempts").asInt()).isBetween(settings.minAttempts(), settings.maxAttempts());
            for (Map.Entry<String, JsonNode> e : ends2.entrySet()) {
                if (!e.getKey().equals(best.trackId())) {
                    assertThat(e.getValue().path("track").path("face").path("identity").isNull()).as(e.getKey()).isTrue();
                    assertThat(sims.get(e.getKey())).allSatisfy(s -> assertThat(s).isLessThan(settings.threshold()));
                }
            }
            // the decision is in the audit log, without any template
            List<String> audit = Files.readAllLines(settings.auditFile());
            assertThat(audit).anySatisfy(l -> assertThat(l).contains("\"type\":\"decision\"").contains("\"identity\":\"person-A\"")
                    .contains("\"camera\":\"cam1\"").contains("\"track\":\"" + best.trackId() + "\""));
            assertThat(audit).allSatisfy(l -> assertThat(l).doesNotContainPattern("\\[-?\\d+\\.\\d+,").doesNotContain("vector"));
            assertThat(AuditLog.verify(settings.auditFile(), FaceTestSupport.MAPPER).ok()).isTrue();
            frames.values().forEach(Mat::close);
        }
    }

    @Test
    void wholeFrameModeNeverPublishesUnknownEmbeddings() throws Exception {
        Path video = TestPaths.sharedMedia(CLIP);
        FaceSettings settings = FaceTestSupport.settings(dir).withMode(FaceSettings.Mode.WHOLE_FRAME, 4, true);
        try (FaceService svc = FaceService.open(settings, FaceTestSupport.MAPPER, "test", System.currentTimeMillis())) {
            FaceTestSupport.RecordingSink sink = new FaceTestSupport.RecordingSink();
            FaceTestSupport.runVideo(video, svc, sink, null);
            Map<String, JsonNode> ends = ends(sink);
            System.out.println("whole-frame mode: " + faces(ends).values().stream().map(f -> f.replaceAll("\\[[^]]*]", "[...]")).toList());
            assertThat(ends.values()).anySatisfy(e -> assertThat(e.path("track").has("face")).isTrue());
            // every face is unknown (empty gallery): with publish-embeddings on, still no embedding leaves (issue 10, item 7)
            assertThat(ends.values()).anySatisfy(e -> assertThat(e.path("track").path("face").path("attempts").asInt()).isPositive());
            assertThat(sink.payloads).isNotEmpty().noneMatch(e -> e.path("track").path("face").has("embedding"));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static Map<String, JsonNode> ends(FaceTestSupport.RecordingSink sink) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode n : sink.payloads) {
            if ("end".equals(n.path("type").asText())) {
                out.put(n.path("track").path("id").asText(), n);
            }
        }
        return out;
    }

    static Map<String, String> faces(Map<String, JsonNode> ends) {
        Map<String, String> out = new TreeMap<>();
        ends.forEach((k, v) -> out.put(k, v.path("track").path("face").toString()));
        return out;
    }
}
