package io.edgewatch.pipeline;

import java.util.Optional;

/**
 * Command-line overrides of the configuration for one run.
 *
 * @param source    a single source replacing the configured cameras
 * @param cameraId  id of that single camera
 * @param mqttUrl   broker URL replacing {@code edgewatch.mqtt.url}; the empty string forces standard output
 * @param maxFrames stop each camera after this many frames (0 = unlimited)
 */
public record RunRequest(Optional<String> source, String cameraId, Optional<String> mqttUrl, long maxFrames) { }
