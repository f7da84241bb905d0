package io.edgewatch.pipeline;

import io.edgewatch.capture.CaptureState;
import io.edgewatch.testsupport.Management;
import io.edgewatch.testsupport.MosquittoResource;
import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two configured cameras, one of which cannot be read: the other is processed all the same, and the health
 * endpoints and metrics a field technician reads report both truthfully.
 */
@QuarkusTest
@TestProfile(HealthAndMetricsTest.TwoCameras.class)
@QuarkusTestResource(value = MosquittoResource.class, restrictToAnnotatedClass = true)
class HealthAndMetricsTest {

    public static class TwoCameras implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgewatch.cameras.good.source", TestPaths.vtest().toString(),
                    "edgewatch.cameras.good.expected-fps", "10",
                    "edgewatch.cameras.bad.source", "/nonexistent/camera-bad.avi",
                    "edgewatch.device-id", "health-test",
                    "edgewatch.spool.dir", tempDir());
        }
    }

    static String tempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("health-spool").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Inject
    Agent agent;

    @Test
    void failingCameraDoesNotStopTheOtherAndHealthSaysSo() throws Exception {
        Management.authorized().get("/q/health/ready").then().statusCode(503); // not started yet: broker check is DOWN
        agent.start(new RunRequest(Optional.empty(), "unused", Optional.empty(), 300));
        CameraPipeline good = agent.pipelines().stream().filter(p -> p.cameraId().equals("good")).findFirst().orElseThrow();
        long end = System.currentTimeMillis() + 60_000;
        while (good.processedFrames() < 30 && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        assertThat(good.processedFrames()).isGreaterThanOrEqualTo(30);

        JsonPath ready = Management.authorized().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        assertThat(ready.getString("status")).isEqualTo("DOWN");
        Map<String, Object> goodCheck = check(ready, "camera-good");
        assertThat(goodCheck.get("status")).isEqualTo("UP");
        Map<?, ?> goodData = (Map<?, ?>) goodCheck.get("data");
        assertThat(goodData.get("state")).isIn("streaming", "ended");
        assertThat(((Number) goodData.get("framesReceived")).longValue()).isGreaterThanOrEqualTo(30);
        assertThat(((Number) goodData.get("framesNotConverted")).longValue()).as("frames between rounds at detect-fps 5 of 10 fps")
                .isPositive().isLessThan(((Number) goodData.get("framesReceived")).longValue());
        assertThat(goodData.get("resolution")).isEqualTo("768x576");
        assertThat(goodData.get("fpsExpected")).isEqualTo("10.00");
        assertThat(goodData.get("detectFps")).isEqualTo("5.00");
        assertThat(goodData.get("motionGating")).isEqualTo(true);
        for (String k : new String[]{"fpsDetection", "fpsSkipped", "fpsMotion", "regionsPerFrame", "stationaryTracks", "roundsSkipped"}) {
            assertThat(goodData.containsKey(k)).as("health data %s", k).isTrue();
        }
        Map<?, ?> detectorData = (Map<?, ?>) check(ready, "detector-ssd-mobilenet-v2-coco").get("data");
        assertThat(((Number) detectorData.get("interpreters")).intValue()).as("one interpreter per camera up to the cores").isEqualTo(Math.min(2, Runtime.getRuntime().availableProcessors()));
        assertThat(((Number) detectorData.get("invokes")).longValue()).isPositive();
        Map<String, Object> badCheck = check(ready, "camera-bad");
        assertThat(badCheck.get("status")).isEqualTo("DOWN");
        assertThat(((Map<?, ?>) badCheck.get("data")).get("state")).isEqualTo("failed");
        assertThat(((Map<?, ?>) badCheck.get("data")).get("lastError").toString()).contains("/nonexistent/camera-bad.avi");
        Map<String, Object> broker = check(ready, "broker");
        assertThat(broker.get("status")).isEqualTo("UP");
        assertThat(((Map<?, ?>) broker.get("data")).get("sink").toString()).startsWith("tcp://127.0.0.1:");

        Management.authorized().get("/q/health/live").then().statusCode(200);

        String metrics = Management.authorized().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("edgewatch_inference_latency_seconds_bucket{camera=\"good\"");
        assertThat(metrics).contains("edgewatch_inference_latency_seconds_count{camera=\"good\"");
        assertThat(metrics).contains("edgewatch_capture_fps{camera=\"good\"}");
        assertThat(metrics).contains("edgewatch_capture_frames_dropped_total{camera=\"good\"}");
        assertThat(metrics).contains("edgewatch_capture_frames_received_total{camera=\"good\"}");
        assertThat(metrics).contains("edgewatch_tracks_active{camera=\"good\"}");
        assertThat(metrics).contains("edgewatch_events_published_total{camera=\"good\"}");
        for (String m : new String[]{"edgewatch_camera_fps", "edgewatch_detection_fps", "edgewatch_skipped_fps", "edgewatch_motion_fps",
                "edgewatch_regions_per_frame"}) {
            assertThat(metrics).contains(m + "{camera=\"good\"}");
        }
        assertThat(metrics).contains("edgewatch_detector_queue_depth{detector=\"ssd-mobilenet-v2-coco\"}");
        assertThat(metrics).contains("edgewatch_detector_utilisation{detector=\"ssd-mobilenet-v2-coco\"}");
        assertThat(metrics).contains("edgewatch_detector_invoke_seconds_count{detector=\"ssd-mobilenet-v2-coco\"}");

        assertThat(agent.awaitFinished(120_000)).isTrue();
        assertThat(good.captureStats().state()).isEqualTo(CaptureState.ENDED);
        // file replay hands over every frame (none dropped); a configured camera detects at 5 fps of stream time:
        // 150 of the 300 frames of a 10 fps file are analysed
        assertThat(good.processedFrames()).isEqualTo(150);
        assertThat(good.droppedFrames()).isZero();
        assertThat(agent.publisher().published()).isPositive();
        assertThat(agent.publisher().failed()).isZero();
        agent.stop();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(JsonPath health, String name) {
        return (Map<String, Object>) health.getList("checks", Map.class).stream()
                .filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + health.prettify()));
    }
}
