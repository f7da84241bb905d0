package io.edgewatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.testsupport.EventSchema;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MqttRecorder;
import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main job end to end: the agent processes all of vtest.avi with the real detector and publishes to a real
 * Mosquitto; a real subscriber receives the events.
 *
 * <p>How many people: vtest.avi is view 1 of PETS 2009 S2.L1 (795 frames at 10 fps); its public ground truth (as
 * used in MOT15 "PETS09-S2L1") has 19 pedestrians, and watching the clip shows about that many, with people
 * repeatedly passing behind the lamp post and each other. A tracker without appearance features fragments a person
 * into several tracks at such occlusions, and the 300x300 SSD misses the smallest, farthest walkers for seconds, so
 * the band asserted below is: at least 15 tracks (nearly everyone is found) and at most 80 (about 4 per person);
 * tracks lasting 5 s or more, which are the durable identities, between 10 and 40. The measured figures are printed
 * (2026-11-30: 41 tracks, 27 of them 5 s or longer; 50 and 31 before occluded tracks kept their size).
 */
@QuarkusMainTest
@TestProfile(EndToEndMqttTest.FreshSpool.class)
class EndToEndMqttTest {
    /** A spool of its own (no event left by another test is delivered here, numbering starts at 1) and a device id. */
    public static class FreshSpool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                // the device id is set here too: a value another test profile set must not decide the topics
                return Map.of("edgewatch.spool.dir", java.nio.file.Files.createTempDirectory("e2e-spool").toString(),
                        "edgewatch.device-id", "e2e-device");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void personTracksFromTheSampleVideoArriveOnTheBroker(QuarkusMainLauncher launcher) throws Exception {
        try (Mosquitto broker = Mosquitto.start(null);
             MqttRecorder rec = new MqttRecorder(broker.url(), "edgewatch/#")) {
            LaunchResult r = launcher.launch("run", "--source", TestPaths.vtest().toString(), "--camera", "vtest",
                    "--mqtt-url", broker.url());
            assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
            rec.awaitQuiet(500, 10_000);

            List<MqttRecorder.Message> all = rec.messages();
            List<MqttRecorder.Message> availability = all.stream().filter(m -> m.topic().equals("edgewatch/e2e-device/availability")).toList();
            assertThat(availability).extracting(MqttRecorder.Message::payload).startsWith("online").endsWith("offline");
            assertThat(availability).allMatch(m -> m.qos() == 1);

            List<MqttRecorder.Message> eventMsgs = all.stream().filter(m -> m.topic().endsWith("/events")).toList();
            assertThat(eventMsgs).allMatch(m -> m.topic().equals("edgewatch/e2e-device/vtest/events"));
            assertThat(eventMsgs).allMatch(m -> m.qos() == 1 && !m.retained());
            List<JsonNode> events = new ArrayList<>();
            int maxBytes = 0;
            for (MqttRecorder.Message m : eventMsgs) {
                maxBytes = Math.max(maxBytes, m.payload().length());
                JsonNode n = MAPPER.readTree(m.payload());
                assertThat(EventSchema.validate(n)).as("schema errors of %s", m.payload()).isEmpty();
                events.add(n);
            }
            // contiguous sequence numbers from 1, in order
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).get("seq").asLong()).isEqualTo(i + 1);
            }
            // every new has exactly one end, after it
            Map<String, Integer> newAt = new HashMap<>();
            Map<String, Integer> endAt = new HashMap<>();
            List<Long> durations = new ArrayList<>();
            Map<String, Integer> upperColours = new HashMap<>();
            int longWithClothing = 0;
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i);
                String id = e.at("/track/id").asText();
                switch (e.get("type").asText()) {
                    case "new" -> assertThat(newAt.put(id, i)).as("second new for %s", id).isNull();
                    case "end" -> {
                        assertThat(endAt.put(id, i)).as("second end for %s", id).isNull();
                        durations.add(e.at("/summary/durationMs").asLong());
                        JsonNode clothing = e.at("/summary/clothing");
                        if (!clothing.isMissingNode() && e.at("/summary/durationMs").asLong() >= 5_000) {
                            longWithClothing++;
                        }
                        if (!clothing.at("/upper/colour").isMissingNode()) {
                            upperColours.merge(clothing.at("/upper/colour").asText(), 1, Integer::sum);
                        }
                    }
                    default -> assertThat(newAt).containsKey(id);
                }
                assertThat(e.at("/track/label").asText()).isEqualTo("person");
                // a person box never collapses: events carry the last observed box, not an extrapolation (before this
                // was fixed, 63 of 379 events had boxes under 0.01 x 0.02; the smallest person box measured since is
                // 0.032 high)
                for (String box : List.of("/track/boxNorm", "/summary/lastBoxNorm")) {
                    if (!e.at(box).isMissingNode()) {
                        assertThat(e.at(box + "/xMax").asDouble() - e.at(box + "/xMin").asDouble()).as("%s width of %s", box, e).isGreaterThan(0.01);
                        assertThat(e.at(box + "/yMax").asDouble() - e.at(box + "/yMin").asDouble()).as("%s height of %s", box, e).isGreaterThan(0.02);
                    }
                }
            }
            assertThat(endAt.keySet()).isEqualTo(newAt.keySet());
            newAt.forEach((id, i) -> assertThat(endAt.get(id)).isGreaterThan(i));

            long longTracks = durations.stream().filter(d -> d >= 5_000).count();
            System.out.printf("end-to-end vtest.avi: %d events, %d tracks, %d tracks >= 5 s, %d updates, max payload %d bytes%n",
                    events.size(), newAt.size(), longTracks, events.size() - 2 * newAt.size(), maxBytes);
            assertThat(newAt.size()).isBetween(15, 80);
            assertThat(longTracks).isBetween(10L, 40L);
            // clothing colours (issue 11 item 4): nearly every track long enough has them; the scene is dim and most
            // people wear dark coats (2026-12-02: 24 of 27 tops black), and the woman in the red top (checked by eye
            // on frame 794) is among them
            System.out.printf("clothing: %d of %d tracks >= 5 s, upper colours %s%n", longWithClothing, longTracks, upperColours);
            assertThat(longWithClothing).isGreaterThanOrEqualTo((int) (0.8 * longTracks));
            assertThat(upperColours).containsKeys("black", "red");
            // metadata only: small payloads, no long opaque strings (images would be kilobytes of base64)
            assertThat(maxBytes).isLessThan(4_096);
            for (MqttRecorder.Message m : eventMsgs) {
                assertThat(m.payload()).doesNotContainPattern("[A-Za-z0-9+/=]{200,}");
            }
        }
    }
}
