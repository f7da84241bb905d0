package io.edgewatch.face;

import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MqttRecorder;
import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faces off (the default): no face model is even loaded. The face manifests point at files that do not exist, which
 * would stop start-up if anything tried to load them; the agent runs and its events carry no face field.
 */
@QuarkusMainTest
@TestProfile(FaceDisabledTest.Disabled.class)
class FaceDisabledTest {

    /** Default (disabled) with unloadable face models. */
    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgewatch.faces.detector-manifest", "/nonexistent/face-detector.manifest.json",
                    "edgewatch.faces.embedder-manifest", "/nonexistent/embedder.manifest.json",
                    "quarkus.http.test-port", "0");
        }
    }

    @Test
    void disabledLoadsNoFaceModel(QuarkusMainLauncher launcher) throws Exception {
        String clip = TestPaths.sharedMedia("video/face-demographics-walking-and-pause.derived.mp4").toString();
        try (Mosquitto broker = Mosquitto.start(null); MqttRecorder events = new MqttRecorder(broker.url(), "edgewatch/+/+/events")) {
            LaunchResult r = launcher.launch("run", "--source", clip, "--mqtt-url", broker.url());
            assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
            events.awaitQuiet(300, 5_000);
            assertThat(events.messages()).filteredOn(m -> m.payload().contains("\"type\":\"end\"")).hasSize(3);
            assertThat(events.messages()).noneSatisfy(m -> assertThat(m.payload()).contains("\"face\""));
            assertThat(r.getOutput() + r.getErrorOutput()).doesNotContain("face processing on").doesNotContain("nonexistent");
        }
    }
}
