package io.edgewatch.homeassistant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The entities the agent offers Home Assistant and their state topics.
 * <ul>
 *   <li>Per camera ({@code <topic-prefix>/<device>/<camera>/state/...}): {@code <label>/present} (binary sensor,
 *   occupancy) and {@code <label>/count} per allowed label, {@code connection-quality} (enum sensor),
 *   {@code detection-fps}, {@code zone/<zone>/count} per zone, {@code line/<line>/in} and {@code .../out} per
 *   counting line ({@code total_increasing}); {@code identities} (people recognised now) only when face identities
 *   are published.</li>
 *   <li>Per device ({@code <topic-prefix>/<device>/state/...}): {@code spool-depth}, {@code broker-connected}
 *   (binary sensor, connectivity), {@code models} (what the models run on).</li>
 * </ul>
 * Object ids are {@code <camera>__<key>} for camera entities and {@code device__<key>} for the device's.
 */
public final class EntityCatalog {
    private EntityCatalog() {
    }

    /** Quality grades of the connection-quality sensor, best first. */
    public static final List<String> QUALITY_GRADES = List.of("excellent", "fair", "poor", "unusable");

    /** Entities of one camera; {@code base} is {@code <topic-prefix>/<device>}. */
    public static List<Entity> camera(String base, CameraFeed f) {
        String cam = f.cameraId();
        String st = base + "/" + cam + "/state/";
        List<Entity> out = new ArrayList<>();
        for (String label : f.labels()) {
            String l = slug(label);
            out.add(new Entity(cam + "__" + l + "_present", Entity.BINARY_SENSOR, cam + " " + label + " present", st + l + "/present",
                    opts("device_class", "occupancy"), () -> f.tracksOfLabel().applyAsInt(label) > 0 ? "ON" : "OFF"));
            out.add(new Entity(cam + "__" + l + "_count", Entity.SENSOR, cam + " " + label + " count", st + l + "/count",
                    opts("state_class", "measurement", "icon", "mdi:account-multiple"),
                    () -> Integer.toString(f.tracksOfLabel().applyAsInt(label))));
        }
        for (String z : f.zones()) {
            out.add(new Entity(cam + "__zone_" + z + "_count", Entity.SENSOR, cam + " zone " + z + " occupancy", st + "zone/" + z + "/count",
                    opts("state_class", "measurement", "icon", "mdi:vector-polygon"), () -> Integer.toString(f.objectsInZone().applyAsInt(z))));
        }
        for (String line : f.lines()) {
            for (String dir : List.of("in", "out")) {
                out.add(new Entity(cam + "__line_" + line + "_" + dir, Entity.SENSOR, cam + " line " + line + " " + dir,
                        st + "line/" + line + "/" + dir, opts("state_class", "total_increasing", "icon", "mdi:transit-transfer"),
                        () -> Long.toString(f.crossings().applyAsLong(line, dir))));
            }
        }
        if (f.identities() != null) {
            out.add(new Entity(cam + "__identities", Entity.SENSOR, cam + " people identified", st + "identities",
                    opts("icon", "mdi:account-check"), () -> identitiesValue(f.identities().get())));
        }
        out.add(new Entity(cam + "__connection_quality", Entity.SENSOR, cam + " connection quality", st + "connection-quality",
                opts("device_class", "enum", "options", QUALITY_GRADES, "entity_category", "diagnostic"), f.connectionQuality()));
        out.add(new Entity(cam + "__detection_fps", Entity.SENSOR, cam + " detection fps", st + "detection-fps",
                opts("state_class", "measurement", "unit_of_measurement", "fps", "suggested_display_precision", 1, "entity_category", "diagnostic"),
                () -> String.format(Locale.ROOT, "%.1f", f.detectionFps().getAsDouble())));
        return out;
    }

    /** The device's entities; {@code base} is {@code <topic-prefix>/<device>}. */
    public static List<Entity> device(String base, DeviceFeed f) {
        String st = base + "/state/";
        return List.of(
                new Entity("device__spool_depth", Entity.SENSOR, "spool depth", st + "spool-depth",
                        opts("state_class", "measurement", "unit_of_measurement", "events", "entity_category", "diagnostic", "icon", "mdi:tray-full"),
                        () -> Long.toString(f.spoolDepth().getAsLong())),
                new Entity("device__broker_connected", Entity.BINARY_SENSOR, "broker connected", st + "broker-connected",
                        opts("device_class", "connectivity", "entity_category", "diagnostic"), () -> f.brokerConnected().getAsBoolean() ? "ON" : "OFF"),
                new Entity("device__models", Entity.SENSOR, "models running on", st + "models",
                        opts("entity_category", "diagnostic", "icon", "mdi:chip"), f.modelsRunOn()));
    }

    /** Identities as a sensor state: comma-separated, {@code none} when nobody, at most 255 characters. */
    static String identitiesValue(List<String> ids) {
        if (ids.isEmpty()) {
            return "none";
        }
        String v = String.join(", ", ids);
        return v.length() <= 255 ? v : v.substring(0, 252) + "...";
    }

    private static String slug(String label) {
        return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
    }

    private static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
