package io.edgewatch.homeassistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant's device-based MQTT discovery document: one retained JSON message on
 * {@code <discovery-prefix>/device/<device-id>/config} with the device ({@code dev}), the origin ({@code o}), the
 * availability shared by all components and the components ({@code cmps}, keyed by object id, each with its platform
 * {@code p} and {@code unique_id}). Keys as documented on https://www.home-assistant.io/integrations/mqtt/ (sections
 * "Device discovery payload", "Using availability topics") and the sensor / binary sensor pages. A component to be
 * removed is sent with only its platform ({@code {"p": "sensor"}}), which is how Home Assistant's documentation
 * removes a component from a device.
 */
public final class DiscoveryDocument {
    /** Manufacturer and origin name. */
    public static final String ORIGIN = "edgewatch";

    private DiscoveryDocument() {
    }

    /** {@code <prefix>/device/<deviceId>/config}. */
    public static String topic(String discoveryPrefix, String deviceId) {
        return discoveryPrefix + "/device/" + deviceId + "/config";
    }

    /** {@code edgewatch_<device>_<objectId>}, the entity's unique id. */
    public static String uniqueId(String deviceId, String objectId) {
        return "edgewatch_" + deviceId + "_" + objectId;
    }

    /**
     * Builds the document.
     *
     * @param entities the entities to set up (object ids unique)
     * @param removed  object id to platform of components to remove (sent with only {@code p})
     * @throws IllegalArgumentException when two entities share an object id
     */
    public static ObjectNode build(ObjectMapper mapper, DeviceInfo device, List<Entity> entities, Map<String, String> removed) {
        ObjectNode doc = mapper.createObjectNode();
        ObjectNode dev = doc.putObject("dev");
        dev.putArray("ids").add("edgewatch_" + device.deviceId());
        dev.put("name", "edgewatch " + device.deviceId());
        dev.put("mf", ORIGIN);
        dev.put("mdl", "edgewatch video analytics agent");
        dev.put("sw", device.swVersion());
        ObjectNode o = doc.putObject("o");
        o.put("name", ORIGIN);
        o.put("sw", device.swVersion());
        doc.put("availability_topic", device.availabilityTopic());
        doc.put("payload_available", "online");
        doc.put("payload_not_available", "offline");
        doc.put("qos", 1);
        ObjectNode cmps = doc.putObject("cmps");
        for (Entity e : entities) {
            if (cmps.has(e.objectId())) {
                throw new IllegalArgumentException("two Home Assistant entities with object id " + e.objectId());
            }
            ObjectNode c = cmps.putObject(e.objectId());
            c.put("p", e.platform());
            c.put("name", e.name());
            c.put("unique_id", uniqueId(device.deviceId(), e.objectId()));
            c.put("state_topic", e.stateTopic());
            e.options().forEach((k, v) -> c.set(k, mapper.valueToTree(v)));
        }
        removed.forEach((id, platform) -> {
            if (!cmps.has(id)) {
                cmps.putObject(id).put("p", platform);
            }
        });
        return doc;
    }

    /** A component found in a published document. */
    public record Component(String platform, String stateTopic, boolean stub) {
    }

    /**
     * The components of a document read back from the broker, by object id; a component with only {@code p} is a
     * removal stub. Nothing for an empty payload or one that is not such a document.
     */
    public static Map<String, Component> components(ObjectMapper mapper, byte[] payload) {
        Map<String, Component> out = new LinkedHashMap<>();
        if (payload == null || payload.length == 0) {
            return out;
        }
        JsonNode doc;
        try {
            doc = mapper.readTree(payload);
        } catch (java.io.IOException e) {
            return out;
        }
        JsonNode cmps = doc == null ? null : doc.get("cmps");
        if (cmps == null || !cmps.isObject()) {
            return out;
        }
        cmps.properties().forEach(en -> {
            JsonNode c = en.getValue();
            if (c.isObject() && c.path("p").isTextual()) {
                JsonNode st = c.get("state_topic");
                out.put(en.getKey(), new Component(c.get("p").asText(), st != null && st.isTextual() ? st.asText() : null, c.size() == 1));
            }
        });
        return out;
    }
}
