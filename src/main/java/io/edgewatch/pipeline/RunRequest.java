package io.edgewatch.pipeline;

import java.util.Optional;

/**
 * Command-line overrides of the configuration for one run.
 *
 * @param source    a single source replacing the configured cameras
 * @param cameraId  id of that single camera
 * @param mqttUrl   broker URL replacing {@code edgewatch.mqtt.url}; the empty string forces standard output
 * @param maxFrames stop each camera after this many frames (0 = unlimited)
 * @param replaySpeed for a file {@code source}: 0 = every frame as fast as possible, 1 = at the file's frame rate
 */
public record RunRequest(Optional<String> source, String cameraId, Optional<String> mqttUrl, long maxFrames, double replaySpeed) {
    /** A request without replay pacing. */
    public RunRequest(Optional<String> source, String cameraId, Optional<String> mqttUrl, long maxFrames) {
        this(source, cameraId, mqttUrl, maxFrames, 0);
    }
}
