package io.edgewatch.face;

import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MqttRecorder;
import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent with faces enabled on the shared clip, publishing to a real Mosquitto broker: person events carry the
 * face result (everyone unknown with an empty gallery) and the audit log is published on edgewatch/device/audit.
 */
@QuarkusMainTest
@TestProfile(FaceAgentTest.WithHomeAssistant.class)
class FaceAgentTest {
    /** Faces on, and Home Assistant discovery with the identities published (issue 12 item 1). */
    public static class WithHomeAssistant extends FacesEnabledProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            java.util.Map<String, String> m = new java.util.HashMap<>(super.getConfigOverrides());
            m.put("edgewatch.homeassistant.enabled", "true");
            m.put("edgewatch.homeassistant.publish-identities", "true");
            return m;
        }
    }

    @Test
    void agentPublishesFaceResultsAndAudit(QuarkusMainLauncher launcher) throws Exception {
        String clip = TestPaths.sharedMedia("video/face-demographics-walking-and-pause.derived.mp4").toString();
        java.nio.file.Path log = FacesEnabledProfile.DIR.resolve("gallery/audit.jsonl");
        // first without a broker: the audit entries are not handed to the standard-output sink (it carries events
        // only) and stay pending in the file
        LaunchResult offline = launcher.launch("run", "--source", clip, "--max-frames", "20");
        assertThat(offline.exitCode()).as(offline.getErrorOutput()).isZero();
        List<String> before = java.nio.file.Files.readAllLines(log);
        assertThat(before).anySatisfy(l -> assertThat(l).contains("\"type\":\"stop\""));
        assertThat(AuditLog.forwardedFile(log)).doesNotExist();

        try (Mosquitto broker = Mosquitto.start(null);
             MqttRecorder events = new MqttRecorder(broker.url(), "edgewatch/facedev/+/events");
             MqttRecorder audit = new MqttRecorder(broker.url(), "edgewatch/facedev/audit");
             MqttRecorder ha = new MqttRecorder(broker.url(), "homeassistant/device/facedev/config");
             MqttRecorder identities = new MqttRecorder(broker.url(), "edgewatch/facedev/cam1/state/identities")) {
            LaunchResult r = launcher.launch("run", "--source", clip, "--mqtt-url", broker.url());
            assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
            events.awaitQuiet(300, 5_000);
            audit.awaitCount(1, 5_000);
            List<MqttRecorder.Message> ends = events.messages().stream().filter(m -> m.payload().contains("\"type\":\"end\"")).toList();
            assertThat(ends).hasSize(3);
            assertThat(ends).allSatisfy(m -> assertThat(m.payload()).contains("\"face\":{\"identity\":null,\"attempts\":1}"));
            assertThat(events.messages()).noneSatisfy(m -> assertThat(m.payload()).contains("embedding"));
            // the file is the record; MQTT carries a copy of every entry, once and in order, including those of the
            // broker-less run and the start entry written before the first connection
            List<String> file = java.nio.file.Files.readAllLines(log);
            assertThat(file).anySatisfy(l -> assertThat(l).contains("\"type\":\"start\"").contains("\"cameras\":[\"cam1\"]"));
            audit.awaitCount(file.size(), 5_000);
            assertThat(audit.messages()).extracting(MqttRecorder.Message::payload).containsExactlyElementsOf(file);
            assertThat(audit.messages()).anySatisfy(m -> assertThat(m.payload()).contains("\"type\":\"stop\"").contains("\"hash\":\""));
            // Home Assistant gets a "people identified" sensor (nobody: the gallery is empty), and the decision to publish
            // identities is in the audit log
            assertThat(ha.messages()).hasSize(1);
            assertThat(FaceTestSupport.MAPPER.readTree(ha.messages().get(0).payload()).at("/cmps/cam1__identities/state_topic").asText())
                    .isEqualTo("edgewatch/facedev/cam1/state/identities");
            assertThat(identities.messages()).isNotEmpty().extracting(MqttRecorder.Message::payload).containsOnly("none");
            assertThat(file).anySatisfy(l -> assertThat(l).contains("\"type\":\"homeassistant-identities\"")
                    .contains("\"topics\":\"edgewatch/facedev/<camera>/state/identities\""));
            assertThat(AuditLog.verify(FacesEnabledProfile.DIR.resolve("gallery/audit.jsonl"), FaceTestSupport.MAPPER).ok()).isTrue();
        }
    }
}
