package io.edgewatch.homeassistant;

import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongBiFunction;

/**
 * Where one camera's Home Assistant values come from (read on the publisher's thread; each function thread-safe).
 *
 * @param cameraId          camera id (a topic level)
 * @param labels            allowed detector labels, each gets a "present" and a "count" entity
 * @param zones             zone names (occupancy count each)
 * @param lines             counting line names ({@code in} and {@code out} totals each)
 * @param tracksOfLabel     confirmed tracks of a label alive now
 * @param objectsInZone     confirmed tracks in a zone now
 * @param crossings         crossings of a line in a direction ({@code in}/{@code out}) since start
 * @param connectionQuality {@code excellent}, {@code fair}, {@code poor} or {@code unusable}
 * @param detectionFps      detector runs per second that served the camera, last window
 * @param identities        identities recognised on the camera now, sorted, or null for no identity entity (the
 *                          default: only with faces on and {@code edgewatch.homeassistant.publish-identities=true})
 */
public record CameraFeed(String cameraId, List<String> labels, List<String> zones, List<String> lines,
                         ToIntFunction<String> tracksOfLabel, ToIntFunction<String> objectsInZone,
                         ToLongBiFunction<String, String> crossings, Supplier<String> connectionQuality,
                         DoubleSupplier detectionFps, Supplier<List<String>> identities) {
    public CameraFeed {
        labels = List.copyOf(labels);
        zones = List.copyOf(zones);
        lines = List.copyOf(lines);
    }
}
