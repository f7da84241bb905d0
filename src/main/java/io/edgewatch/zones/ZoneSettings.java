package io.edgewatch.zones;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Zones and counting lines of one camera.
 *
 * @param zones         polygon zones (may be empty)
 * @param lines         counting lines (may be empty)
 * @param anchor        the box point that decides membership and crossings
 * @param inertiaFrames consecutive frames (in which the object was detected) an anchor must stay on the new side of
 *                      a zone edge or line before an entry, exit or crossing counts, 1..100; 3 (Frigate's
 *                      default) suppresses the jitter of a box standing on an edge
 */
public record ZoneSettings(List<Zone> zones, List<CrossingLine> lines, ZoneAnchor anchor, int inertiaFrames) {
    /**
     * @throws IllegalArgumentException for inertia outside 1..100 or a name used twice
     */
    public ZoneSettings {
        zones = List.copyOf(zones);
        lines = List.copyOf(lines);
        if (inertiaFrames < 1 || inertiaFrames > 100) {
            throw new IllegalArgumentException("zone inertia must be 1..100 frames, was " + inertiaFrames);
        }
        Set<String> names = new HashSet<>();
        for (Zone z : zones) {
            if (!names.add(z.name())) {
                throw new IllegalArgumentException("zone name " + z.name() + " is used twice");
            }
        }
        names.clear();
        for (CrossingLine l : lines) {
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("line name " + l.name() + " is used twice");
            }
        }
    }

    /** No zone and no line. */
    public static ZoneSettings none() {
        return new ZoneSettings(List.of(), List.of(), ZoneAnchor.BOTTOM_CENTER, 3);
    }

    /** Whether there is nothing to monitor. */
    public boolean isEmpty() {
        return zones.isEmpty() && lines.isEmpty();
    }

    static void checkName(String what, String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException(what + " name '" + name + "' must be 1..64 letters, digits, '-' or '_'");
        }
    }
}
