package io.edgewatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.homeassistant.HomeAssistantKeys;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MqttRecorder;
import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Home Assistant discovery end to end (issue 12 item 1) against a real Mosquitto: the agent runs two configured
 * cameras on vtest.avi (replayed at twice its rate, 240 frames, so about 12 s), {@code vtest} with a zone over the
 * left half and a line across the middle, {@code lobby} without. A subscriber on {@code #} checks the retained
 * discovery document (documented keys, {@link HomeAssistantKeys}), its arrival within 2 s of the agent's
 * {@code online}, that every state topic it names receives values, the published line totals against the crossings
 * in the events, the messages per second per entity (printed), and a re-publish on Home Assistant's birth message.
 * A second start with only {@code vtest} ({@code run --source ... --camera vtest}) removes lobby's entities and
 * clears its retained state topics.
 */
@QuarkusMainTest
@TestProfile(HomeAssistantTest.Profile.class)
class HomeAssistantTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CONFIG = "homeassistant/device/ha-device/config";

    /** Two cameras on vtest.avi, one with a zone and a line; Home Assistant on; a spool of its own. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                String v = TestPaths.vtest().toString();
                Map<String, String> m = new LinkedHashMap<>();
                m.put("edgewatch.spool.dir", java.nio.file.Files.createTempDirectory("ha-spool").toString());
                m.put("edgewatch.device-id", "ha-device");
                m.put("edgewatch.homeassistant.enabled", "true");
                m.put("edgewatch.cameras.vtest.source", v);
                m.put("edgewatch.cameras.vtest.replay-speed", "2");
                m.put("edgewatch.cameras.vtest.zone-anchor", "center");
                m.put("edgewatch.cameras.vtest.zones.left.polygon", "0,0, 0.5,0, 0.5,1, 0,1");
                m.put("edgewatch.cameras.vtest.lines.mid.points", "0,0.5, 1,0.5");
                m.put("edgewatch.cameras.lobby.source", v);
                m.put("edgewatch.cameras.lobby.replay-speed", "2");
                return m;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void discoveryStateTopicsBirthAndRemovedCamera(QuarkusMainLauncher launcher) throws Exception {
        try (Mosquitto broker = Mosquitto.start(null);
             MqttRecorder rec = new MqttRecorder(broker.url(), "#")) {
            // Home Assistant comes online 2 s after the document arrived: its birth message
            Thread birth = Thread.ofPlatform().daemon().start(() -> {
                try {
                    long end = System.currentTimeMillis() + 60_000;
                    while (rec.messages().stream().noneMatch(m -> m.topic().equals(CONFIG)) && System.currentTimeMillis() < end) {
                        Thread.sleep(50);
                    }
                    Thread.sleep(2_000);
                    MqttClient ha = new MqttClient(broker.url(), "home-assistant", new MemoryPersistence());
                    ha.connect();
                    ha.publish("homeassistant/status", "online".getBytes(StandardCharsets.UTF_8), 1, false);
                    ha.disconnect();
                    ha.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            LaunchResult r = launcher.launch("run", "--mqtt-url", broker.url(), "--max-frames", "240");
            assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
            birth.join(10_000);
            rec.awaitQuiet(500, 10_000);
            List<MqttRecorder.Message> all = rec.messages();

            // one retained document within 2 s of the agent's first connect (its "online"), a second after the birth
            long online = first(all, "edgewatch/ha-device/availability").receivedMs();
            List<MqttRecorder.Message> docs = all.stream().filter(m -> m.topic().equals(CONFIG)).toList();
            long birthAt = first(all, "homeassistant/status").receivedMs();
            assertThat(docs).hasSize(2);
            assertThat(docs.get(0).receivedMs()).isLessThan(birthAt);
            assertThat(docs.get(1).receivedMs()).isGreaterThanOrEqualTo(birthAt);
            long toDiscoveryMs = docs.get(0).receivedMs() - online;
            System.out.printf("Home Assistant: discovery %d ms after the agent's online (%d bytes)%n", toDiscoveryMs, docs.get(0).payload().length());
            assertThat(toDiscoveryMs).isBetween(0L, 2_000L);
            JsonNode doc = MAPPER.readTree(docs.get(0).payload());
            assertThat(HomeAssistantKeys.violations(doc)).isEmpty();
            assertThat(doc.get("availability_topic").asText()).isEqualTo("edgewatch/ha-device/availability");
            List<String> ids = new ArrayList<>();
            doc.get("cmps").fieldNames().forEachRemaining(ids::add);
            assertThat(ids).contains("vtest__person_present", "vtest__person_count", "vtest__zone_left_count", "vtest__line_mid_in",
                    "vtest__line_mid_out", "vtest__connection_quality", "vtest__detection_fps", "lobby__person_present",
                    "lobby__person_count", "lobby__connection_quality", "lobby__detection_fps", "device__spool_depth",
                    "device__broker_connected", "device__models").hasSize(14);
            assertThat(docs.get(1).payload()).isEqualTo(docs.get(0).payload());

            // every state topic named receives values; per entity at most one message a second
            Map<String, List<MqttRecorder.Message>> byTopic = new TreeMap<>();
            doc.get("cmps").forEach(c -> byTopic.put(c.get("state_topic").asText(), new ArrayList<>()));
            for (MqttRecorder.Message m : all) {
                if (byTopic.containsKey(m.topic())) {
                    byTopic.get(m.topic()).add(m);
                }
            }
            long firstState = Long.MAX_VALUE;
            long lastState = 0;
            for (List<MqttRecorder.Message> l : byTopic.values()) {
                for (MqttRecorder.Message m : l) {
                    firstState = Math.min(firstState, m.receivedMs());
                    lastState = Math.max(lastState, m.receivedMs());
                }
            }
            double seconds = (lastState - firstState) / 1000.0;
            double maxRate = 0;
            long minGapMs = Long.MAX_VALUE;
            String busiest = null;
            for (Map.Entry<String, List<MqttRecorder.Message>> e : byTopic.entrySet()) {
                List<MqttRecorder.Message> l = e.getValue();
                assertThat(l).as("values on %s", e.getKey()).isNotEmpty();
                assertThat(l).as("values on %s", e.getKey()).allMatch(m -> !m.payload().isEmpty());
                for (int i = 1; i < l.size(); i++) {
                    minGapMs = Math.min(minGapMs, l.get(i).receivedMs() - l.get(i - 1).receivedMs());
                }
                double rate = l.size() / seconds;
                if (rate > maxRate) {
                    maxRate = rate;
                    busiest = e.getKey();
                }
            }
            int total = byTopic.values().stream().mapToInt(List::size).sum();
            System.out.printf("Home Assistant state: %d messages on %d topics in %.1f s: %.2f msg/s per entity on average, at most %.2f (%s),"
                    + " least gap %d ms%n", total, byTopic.size(), seconds, total / seconds / byTopic.size(), maxRate, busiest, minGapMs);
            byTopic.forEach((t, l) -> System.out.printf("  %-52s %3d messages, last %s%n", t, l.size(), l.get(l.size() - 1).payload()));
            assertThat(maxRate).isLessThanOrEqualTo(1.1);
            // the agent spaces an entity's publishes by 1 s on its own clock; arrival times here jitter with the load of
            // the machine (2 cores, decoding and detecting two cameras: 822 ms seen), so two arrivals are never closer than half of it
            assertThat(minGapMs).as("least gap between two messages of one entity").isGreaterThanOrEqualTo(500);
            // the limit is exercised: the busiest entity (a person count: vtest.avi's crowd changes it several times a
            // second) is held near one message a second (0.88 and 1.02 seen). Not detection-fps: on a quiet machine it
            // settles at 10.0 and has nothing new to say (5 messages in 12.5 s seen).
            assertThat(maxRate).as("busiest entity %s, msg/s", busiest).isGreaterThanOrEqualTo(0.5);

            // real values: people were present and counted, the line totals equal the crossings in the events, the last
            // values after the stream ended are back to nobody
            assertThat(payloads(byTopic, "vtest/state/person/present")).contains("ON").last().isEqualTo("OFF");
            assertThat(payloads(byTopic, "vtest/state/person/count").stream().mapToInt(Integer::parseInt).max().orElse(0)).isGreaterThan(0);
            assertThat(payloads(byTopic, "vtest/state/person/count")).last().isEqualTo("0");
            assertThat(payloads(byTopic, "vtest/state/zone/left/count").stream().mapToInt(Integer::parseInt).max().orElse(0)).isGreaterThan(0);
            assertThat(payloads(byTopic, "vtest/state/zone/left/count")).last().isEqualTo("0");
            Map<String, Integer> crossed = new TreeMap<>(Map.of("in", 0, "out", 0));
            for (MqttRecorder.Message m : all) {
                if (m.topic().equals("edgewatch/ha-device/vtest/events")) {
                    MAPPER.readTree(m.payload()).at("/track/crossings").forEach(c -> crossed.merge(c.get("direction").asText(), 1, Integer::sum));
                }
            }
            System.out.printf("line mid: events report %s, Home Assistant %s in / %s out%n", crossed,
                    payloads(byTopic, "vtest/state/line/mid/in").getLast(), payloads(byTopic, "vtest/state/line/mid/out").getLast());
            assertThat(crossed.get("in") + crossed.get("out")).as("crossings in 240 frames").isGreaterThan(0);
            assertThat(payloads(byTopic, "vtest/state/line/mid/in")).last().isEqualTo(crossed.get("in").toString());
            assertThat(payloads(byTopic, "vtest/state/line/mid/out")).last().isEqualTo(crossed.get("out").toString());
            assertThat(payloads(byTopic, "state/models")).containsOnly("ssd-mobilenet-v2-coco: XNNPACK");
            assertThat(payloads(byTopic, "state/broker-connected")).containsOnly("ON");
            assertThat(payloads(byTopic, "vtest/state/connection-quality")).allMatch(q -> List.of("excellent", "fair", "poor", "unusable").contains(q));
            assertThat(all).filteredOn(m -> byTopic.containsKey(m.topic())).allMatch(m -> m.qos() == 1);

            // second start without lobby: its entities are removed (platform only) and its state topics cleared
            int before = rec.messages().size();
            LaunchResult r2 = launcher.launch("run", "--source", TestPaths.vtest().toString(), "--camera", "vtest",
                    "--mqtt-url", broker.url(), "--max-frames", "30");
            assertThat(r2.exitCode()).as(r2.getErrorOutput()).isZero();
            rec.awaitQuiet(500, 10_000);
            List<MqttRecorder.Message> second = rec.messages().subList(before, rec.messages().size());
            List<MqttRecorder.Message> docs2 = second.stream().filter(m -> m.topic().equals(CONFIG)).toList();
            assertThat(docs2).hasSize(1);
            JsonNode doc2 = MAPPER.readTree(docs2.get(0).payload());
            assertThat(HomeAssistantKeys.violations(doc2)).isEmpty();
            assertThat(doc2.at("/cmps/lobby__person_present").toString()).isEqualTo("{\"p\":\"binary_sensor\"}");
            assertThat(doc2.at("/cmps/lobby__detection_fps").toString()).isEqualTo("{\"p\":\"sensor\"}");
            assertThat(doc2.at("/cmps/vtest__line_mid_in/state_topic").asText()).isEqualTo("edgewatch/ha-device/vtest/state/line/mid/in");
            List<String> cleared = second.stream().filter(m -> m.topic().startsWith("edgewatch/ha-device/lobby/state/") && m.payload().isEmpty())
                    .map(MqttRecorder.Message::topic).distinct().sorted().toList();
            assertThat(cleared).containsExactly("edgewatch/ha-device/lobby/state/connection-quality", "edgewatch/ha-device/lobby/state/detection-fps",
                    "edgewatch/ha-device/lobby/state/person/count", "edgewatch/ha-device/lobby/state/person/present");
            try (MqttRecorder fresh = new MqttRecorder(broker.url(), "#")) { // what the broker retains now
                fresh.awaitQuiet(500, 5_000);
                List<MqttRecorder.Message> kept = fresh.messages();
                assertThat(kept).noneMatch(m -> m.topic().startsWith("edgewatch/ha-device/lobby/"));
                assertThat(kept).filteredOn(m -> m.topic().equals(CONFIG)).hasSize(1).allMatch(MqttRecorder.Message::retained);
                // every state topic of the entities still configured keeps its last value for Home Assistant's next start
                List<String> stillNamed = byTopic.keySet().stream().filter(t -> !t.contains("/lobby/")).toList();
                assertThat(kept).filteredOn(m -> stillNamed.contains(m.topic())).allMatch(MqttRecorder.Message::retained)
                        .extracting(MqttRecorder.Message::topic).containsExactlyInAnyOrderElementsOf(stillNamed);
            }
        }
    }

    private static MqttRecorder.Message first(List<MqttRecorder.Message> all, String topic) {
        return all.stream().filter(m -> m.topic().equals(topic)).findFirst().orElseThrow(() -> new AssertionError("nothing on " + topic));
    }

    private static List<String> payloads(Map<String, List<MqttRecorder.Message>> byTopic, String suffix) {
        return byTopic.get("edgewatch/ha-device/" + suffix).stream().map(MqttRecorder.Message::payload).toList();
    }
}
