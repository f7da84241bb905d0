package io.edgewatch.homeassistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The device discovery document: documented keys only, every entity with platform, unique id and state topic. */
class DiscoveryDocumentTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static CameraFeed feed(String camera, List<String> zones, List<String> lines) {
        return new CameraFeed(camera, List.of("person"), zones, lines, label -> 2, zone -> 1, (line, dir) -> dir.equals("in") ? 5 : 3,
                () -> "excellent", () -> 4.96, null);
    }

    static List<Entity> entities() {
        List<Entity> e = new ArrayList<>(EntityCatalog.camera("edgewatch/gate-01", feed("front", List.of("door"), List.of("entrance"))));
        e.addAll(EntityCatalog.device("edgewatch/gate-01", new DeviceFeed(() -> 7, () -> true, () -> "ssd-mobilenet-v2-coco: XNNPACK")));
        return e;
    }

    @Test
    void documentUsesTheDocumentedKeys() {
        ObjectNode doc = DiscoveryDocument.build(MAPPER, new DeviceInfo("gate-01", "0.1.0", "edgewatch/gate-01/availability"), entities(), Map.of());
        assertThat(HomeAssistantKeys.violations(doc)).isEmpty();
        assertThat(doc.at("/dev/ids/0").asText()).isEqualTo("edgewatch_gate-01");
        assertThat(doc.at("/o/name").asText()).isEqualTo("edgewatch");
        assertThat(doc.get("availability_topic").asText()).isEqualTo("edgewatch/gate-01/availability");
        JsonNode cmps = doc.get("cmps");
        List<String> ids = new ArrayList<>();
        cmps.fieldNames().forEachRemaining(ids::add);
        assertThat(ids).containsExactly("front__person_present", "front__person_count", "front__zone_door_count",
                "front__line_entrance_in", "front__line_entrance_out", "front__connection_quality", "front__detection_fps",
                "device__spool_depth", "device__broker_connected", "device__models");
        assertThat(cmps.at("/front__person_present/p").asText()).isEqualTo("binary_sensor");
        assertThat(cmps.at("/front__person_present/device_class").asText()).isEqualTo("occupancy");
        assertThat(cmps.at("/front__person_present/state_topic").asText()).isEqualTo("edgewatch/gate-01/front/state/person/present");
        assertThat(cmps.at("/front__line_entrance_in/state_class").asText()).isEqualTo("total_increasing");
        assertThat(cmps.at("/front__line_entrance_out/state_topic").asText()).isEqualTo("edgewatch/gate-01/front/state/line/entrance/out");
        assertThat(cmps.at("/front__zone_door_count/state_topic").asText()).isEqualTo("edgewatch/gate-01/front/state/zone/door/count");
        assertThat(cmps.at("/front__connection_quality/options").toString()).isEqualTo("[\"excellent\",\"fair\",\"poor\",\"unusable\"]");
        assertThat(cmps.at("/device__broker_connected/device_class").asText()).isEqualTo("connectivity");
        assertThat(cmps.at("/device__spool_depth/state_topic").asText()).isEqualTo("edgewatch/gate-01/state/spool-depth");
        assertThat(cmps.at("/front__person_count/unique_id").asText()).isEqualTo("edgewatch_gate-01_front__person_count");
    }

    @Test
    void valuesComeFromTheFeeds() {
        Map<String, String> byTopic = new java.util.LinkedHashMap<>();
        entities().forEach(e -> byTopic.put(e.stateTopic(), e.value().get()));
        assertThat(byTopic).containsEntry("edgewatch/gate-01/front/state/person/present", "ON")
                .containsEntry("edgewatch/gate-01/front/state/person/count", "2")
                .containsEntry("edgewatch/gate-01/front/state/zone/door/count", "1")
                .containsEntry("edgewatch/gate-01/front/state/line/entrance/in", "5")
                .containsEntry("edgewatch/gate-01/front/state/line/entrance/out", "3")
                .containsEntry("edgewatch/gate-01/front/state/connection-quality", "excellent")
                .containsEntry("edgewatch/gate-01/front/state/detection-fps", "5.0")
                .containsEntry("edgewatch/gate-01/state/spool-depth", "7")
                .containsEntry("edgewatch/gate-01/state/broker-connected", "ON")
                .containsEntry("edgewatch/gate-01/state/models", "ssd-mobilenet-v2-coco: XNNPACK");
    }

    @Test
    void removedComponentsGoOutWithOnlyTheirPlatformAndAreReadBack() throws Exception {
        DeviceInfo dev = new DeviceInfo("gate-01", "0.1.0", "edgewatch/gate-01/availability");
        List<Entity> both = new ArrayList<>(entities());
        both.addAll(EntityCatalog.camera("edgewatch/gate-01", feed("yard", List.of(), List.of())));
        byte[] before = MAPPER.writeValueAsBytes(DiscoveryDocument.build(MAPPER, dev, both, Map.of()));
        Map<String, DiscoveryDocument.Component> old = DiscoveryDocument.components(MAPPER, before);
        assertThat(old).containsKeys("yard__person_present", "yard__detection_fps").hasSize(both.size());
        assertThat(old.get("yard__person_count")).isEqualTo(new DiscoveryDocument.Component("sensor",
                "edgewatch/gate-01/yard/state/person/count", false));

        ObjectNode after = DiscoveryDocument.build(MAPPER, dev, entities(), Map.of("yard__person_count", "sensor"));
        assertThat(after.at("/cmps/yard__person_count").toString()).isEqualTo("{\"p\":\"sensor\"}");
        assertThat(HomeAssistantKeys.violations(after)).isEmpty();
        assertThat(DiscoveryDocument.components(MAPPER, MAPPER.writeValueAsBytes(after)).get("yard__person_count").stub()).isTrue();
        assertThat(DiscoveryDocument.components(MAPPER, new byte[0])).isEmpty();
        assertThat(DiscoveryDocument.components(MAPPER, "not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void aKeyHomeAssistantDoesNotDocumentIsFound() {
        ObjectNode doc = DiscoveryDocument.build(MAPPER, new DeviceInfo("d", "1", "edgewatch/d/availability"), entities(), Map.of());
        ((ObjectNode) doc.at("/cmps/front__person_count")).put("stat_class", "measurement");
        ((ObjectNode) doc.at("/cmps/front__person_present")).put("device_class", "people");
        assertThat(HomeAssistantKeys.violations(doc)).containsExactlyInAnyOrder(
                "cmps.front__person_count: key stat_class is not documented for sensor",
                "cmps.front__person_present: device_class people is not a binary_sensor device class");
    }

    @Test
    void identitiesOnlyWhenAskedFor() {
        assertThat(entities()).noneMatch(e -> e.stateTopic().endsWith("/identities") || e.name().contains("identified"));
        java.util.concurrent.atomic.AtomicReference<List<String>> now = new java.util.concurrent.atomic.AtomicReference<>(List.of());
        CameraFeed withIds = new CameraFeed("door", List.of("person"), List.of(), List.of(), l -> 1, z -> 0, (l, d) -> 0L,
                () -> "fair", () -> 1.0, now::get);
        Entity ids = EntityCatalog.camera("edgewatch/gate-01", withIds).stream().filter(e -> e.objectId().equals("door__identities"))
                .findFirst().orElseThrow();
        assertThat(ids.stateTopic()).isEqualTo("edgewatch/gate-01/door/state/identities");
        assertThat(ids.value().get()).isEqualTo("none");
        now.set(List.of("alice", "bob"));
        assertThat(ids.value().get()).isEqualTo("alice, bob");
        now.set(java.util.Collections.nCopies(40, "someone-long"));
        assertThat(ids.value().get()).hasSize(255).endsWith("...");
        ObjectNode doc = DiscoveryDocument.build(MAPPER, new DeviceInfo("gate-01", "1", "edgewatch/gate-01/availability"),
                EntityCatalog.camera("edgewatch/gate-01", withIds), Map.of());
        assertThat(HomeAssistantKeys.violations(doc)).isEmpty();
    }

    @Test
    void duplicateObjectIdsAreRefused() {
        List<Entity> twice = new ArrayList<>(entities());
        twice.addAll(entities());
        assertThatThrownBy(() -> DiscoveryDocument.build(MAPPER, new DeviceInfo("d", "1", "a"), twice, Map.of()))
                .hasMessageContaining("two Home Assistant entities with object id front__person_present");
        assertThat(Set.of(DiscoveryDocument.topic("homeassistant", "gate-01"))).containsExactly("homeassistant/device/gate-01/config");
    }
}
