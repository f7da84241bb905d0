package io.edgewatch.homeassistant;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The keys Home Assistant documents for a device discovery document, written down from its documentation
 * (2026-12-03):
 * <ul>
 *   <li>https://www.home-assistant.io/integrations/mqtt/ : "Device discovery payload" (shared root options
 *   {@code dev}/{@code device}, {@code o}/{@code origin} (both required), {@code cmps}/{@code components},
 *   {@code state_topic}, {@code command_topic}, {@code qos}, {@code encoding} and the availability options),
 *   "Using availability topics", the device mapping ({@code ids}, {@code name}, {@code mf}, {@code mdl},
 *   {@code sw}, ...) and "Adding information about the origin of a discovery message" ({@code name} required,
 *   {@code sw}, {@code url}); a component needs {@code p} (platform) and, for an entity, {@code unique_id}; a
 *   component sent with only {@code p} is removed.</li>
 *   <li>https://www.home-assistant.io/integrations/sensor.mqtt/ and
 *   https://www.home-assistant.io/integrations/binary_sensor.mqtt/ : the options of each platform.</li>
 *   <li>https://www.home-assistant.io/integrations/binary_sensor/ and https://www.home-assistant.io/integrations/sensor/ :
 *   device classes and state classes ({@code enum} sensors take {@code options} and no state class or unit).</li>
 * </ul>
 */
public final class HomeAssistantKeys {
    private HomeAssistantKeys() {
    }

    static final Set<String> AVAILABILITY = Set.of("availability", "availability_topic", "avty_t", "availability_mode", "avty_mode",
            "availability_template", "avty_tpl", "payload_available", "pl_avail", "payload_not_available", "pl_not_avail");
    static final Set<String> ROOT = union(AVAILABILITY, Set.of("dev", "device", "o", "origin", "cmps", "components", "state_topic",
            "stat_t", "command_topic", "cmd_t", "qos", "encoding", "e"));
    static final Set<String> DEVICE = Set.of("ids", "identifiers", "cns", "connections", "name", "mf", "manufacturer", "mdl", "model",
            "mdl_id", "model_id", "sw", "sw_version", "hw", "hw_version", "sn", "serial_number", "sa", "suggested_area", "via_device",
            "cu", "configuration_url");
    static final Set<String> ORIGIN = Set.of("name", "sw", "sw_version", "url", "support_url");
    static final Set<String> COMMON = union(AVAILABILITY, Set.of("p", "platform", "name", "unique_id", "uniq_id", "state_topic", "stat_t",
            "device_class", "dev_cla", "value_template", "val_tpl", "entity_category", "ent_cat", "icon", "ic", "enabled_by_default",
            "en", "expire_after", "exp_aft", "force_update", "frc_upd", "json_attributes_topic", "json_attr_t",
            "json_attributes_template", "json_attr_tpl", "object_id", "default_entity_id", "qos", "encoding", "e", "entity_picture"));
    static final Set<String> SENSOR = union(COMMON, Set.of("state_class", "stat_cla", "unit_of_measurement", "unit_of_meas",
            "suggested_display_precision", "sug_dsp_prc", "options", "ops", "last_reset_value_template", "lrst_val_tpl"));
    static final Set<String> BINARY_SENSOR = union(COMMON, Set.of("payload_on", "pl_on", "payload_off", "pl_off", "off_delay"));
    static final Set<String> BINARY_CLASSES = Set.of("battery", "battery_charging", "carbon_monoxide", "cold", "connectivity", "door",
            "garage_door", "gas", "heat", "light", "lock", "moisture", "motion", "moving", "occupancy", "opening", "plug", "power",
            "presence", "problem", "running", "safety", "smoke", "sound", "tamper", "update", "vibration", "window");
    static final Set<String> SENSOR_CLASSES = Set.of("apparent_power", "aqi", "area", "atmospheric_pressure", "battery", "blood_glucose_concentration",
            "carbon_dioxide", "carbon_monoxide", "conductivity", "current", "data_rate", "data_size", "date", "distance", "duration",
            "energy", "energy_storage", "enum", "frequency", "gas", "humidity", "illuminance", "irradiance", "moisture", "monetary",
            "nitrogen_dioxide", "nitrogen_monoxide", "nitrous_oxide", "ozone", "ph", "pm1", "pm25", "pm10", "power", "power_factor",
            "precipitation", "precipitation_intensity", "pressure", "reactive_power", "signal_strength", "sound_pressure", "speed",
            "sulphur_dioxide", "temperature", "timestamp", "volatile_organic_compounds", "volatile_organic_compounds_parts", "voltage",
            "volume", "volume_storage", "volume_flow_rate", "water", "weight", "wind_direction", "wind_speed");
    static final Set<String> STATE_CLASSES = Set.of("measurement", "measurement_angle", "total", "total_increasing");

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    /** What in {@code doc} Home Assistant does not document (empty when the document is valid). */
    public static List<String> violations(JsonNode doc) {
        List<String> out = new ArrayList<>();
        keys(doc, ROOT, "root", out);
        for (String required : List.of("dev", "o", "cmps")) {
            if (!doc.has(required)) {
                out.add("root: " + required + " missing");
            }
        }
        keys(doc.path("dev"), DEVICE, "dev", out);
        if (!doc.path("dev").has("ids")) {
            out.add("dev: ids missing");
        }
        keys(doc.path("o"), ORIGIN, "o", out);
        if (!doc.path("o").path("name").isTextual()) {
            out.add("o: name missing");
        }
        if (doc.has("availability_topic") && (!doc.path("payload_available").isTextual() || !doc.path("payload_not_available").isTextual())) {
            out.add("root: availability payloads missing");
        }
        doc.path("cmps").properties().forEach(en -> {
            String where = "cmps." + en.getKey();
            JsonNode c = en.getValue();
            String p = c.path("p").asText();
            Set<String> allowed = switch (p) {
                case "sensor" -> SENSOR;
                case "binary_sensor" -> BINARY_SENSOR;
                default -> null;
            };
            if (allowed == null) {
                out.add(where + ": platform '" + p + "' is not sensor or binary_sensor");
                return;
            }
            if (c.size() == 1) {
                return; // removal: only the platform
            }
            c.fieldNames().forEachRemaining(k -> {
                if (!allowed.contains(k)) {
                    out.add(where + ": key " + k + " is not documented for " + p);
                }
            });
            for (String required : List.of("unique_id", "state_topic", "name")) {
                if (!c.path(required).isTextual()) {
                    out.add(where + ": " + required + " missing");
                }
            }
            String dc = c.path("device_class").asText(null);
            if (dc != null && !(p.equals("sensor") ? SENSOR_CLASSES : BINARY_CLASSES).contains(dc)) {
                out.add(where + ": device_class " + dc + " is not a " + p + " device class");
            }
            String sc = c.path("state_class").asText(null);
            if (sc != null && !STATE_CLASSES.contains(sc)) {
                out.add(where + ": state_class " + sc + " is not documented");
            }
            if ("enum".equals(dc) && (!c.path("options").isArray() || c.path("options").isEmpty() || c.has("state_class")
                    || c.has("unit_of_measurement"))) {
                out.add(where + ": an enum sensor needs options and takes no state_class or unit");
            }
            String cat = c.path("entity_category").asText(null);
            if (cat != null && !cat.equals("diagnostic")) {
                out.add(where + ": entity_category " + cat + " (sensors take only diagnostic)");
            }
        });
        return out;
    }

    private static void keys(JsonNode n, Set<String> allowed, String where, List<String> out) {
        n.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                out.add(where + ": key " + k + " is not documented");
            }
        });
    }
}
