package io.edgewatch.pipeline;

import io.edgewatch.events.EventSink;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Command-line overrides of the configuration for one run.
 *
 * @param sources      sources replacing the configured cameras (empty: the configured cameras); one source is camera
 *                     {@code cameraId}, several are {@code <cameraId>1, <cameraId>2, ...}
 * @param cameraId     id of that single camera (its zones and detection settings apply when it is configured)
 * @param mqttUrl      broker URL replacing {@code edgewatch.mqtt.url}; the empty string forces standard output
 * @param maxFrames    stop each camera after this many frames (0 = unlimited)
 * @param replaySpeed  for file {@code sources}: 0 = every frame as fast as possible, 1 = at the file's frame rate
 * @param detectFps    detection rate for {@code sources}; empty = the camera's configured rate, or for an unconfigured
 *                     camera 0 (every frame) when the file is replayed unpaced and 5 otherwise
 * @param motionGating motion gating on or off for {@code sources}; empty = as configured (on by default)
 * @param sink         where events go instead of MQTT or standard output (benchmarks); empty = as configured
 */
public record RunRequest(List<String> sources, String cameraId, Optional<String> mqttUrl, long maxFrames, double replaySpeed,
                         OptionalDouble detectFps, Optional<Boolean> motionGating, Optional<EventSink> sink) {
    public RunRequest {
        sources = List.copyOf(sources);
    }

    /** One source (or the configured cameras), replayed as given. */
    public RunRequest(Optional<String> source, String cameraId, Optional<String> mqttUrl, long maxFrames, double replaySpeed) {
        this(source.map(List::of).orElse(List.of()), cameraId, mqttUrl, maxFrames, replaySpeed, OptionalDouble.empty(),
                Optional.empty(), Optional.empty());
    }

    /** A request without replay pacing. */
    public RunRequest(Optional<String> source, String cameraId, Optional<String> mqttUrl, long maxFrames) {
        this(source, cameraId, mqttUrl, maxFrames, 0);
    }

    /** The first source, if any. */
    public Optional<String> source() {
        return sources.isEmpty() ? Optional.empty() : Optional.of(sources.get(0));
    }

    /** Camera id of source {@code i} (0-based). */
    public String cameraId(int i) {
        return sources.size() == 1 ? cameraId : cameraId + (i + 1);
    }
}
