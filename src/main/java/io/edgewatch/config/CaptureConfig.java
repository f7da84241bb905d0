package io.edgewatch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Capture robustness for every live camera, prefix {@code edgewatch.capture} (README "Camera health").
 */
@ConfigMapping(prefix = "edgewatch.capture")
public interface CaptureConfig {
    /** An open live stream that delivers no frame for this long is a stall and is reopened, ms (Frigate: 20 s). */
    @WithDefault("20000")
    @Min(500) @Max(600_000)
    long stallTimeoutMs();

    /** First reconnect delay, ms (doubled per failure, +-20 % jitter). */
    @WithDefault("1000")
    @Min(10) @Max(600_000)
    long reconnectMinMs();

    /** Cap of the reconnect delay, ms. */
    @WithDefault("30000")
    @Min(100) @Max(3_600_000)
    long reconnectMaxMs();

    /**
     * Largest frame width and height a source may declare, pixels (default 4096, i.e. 4096x4096): a larger stream
     * (hostile or misconfigured, e.g. 30000x30000) is refused before a frame is decoded, naming the camera and size.
     */
    @WithDefault("4096")
    @Min(64) @Max(16384)
    int maxFramePx();

    /**
     * FFmpeg decoder threads per camera (default 2; 0 = FFmpeg's automatic choice, cores + 1 frame threads): bounded so
     * that on a many-core board each camera does not hold a decoder thread and its frames per core, and frame
     * threading adds at most one frame of delay (README "Footprint").
     */
    @WithDefault("2")
    @Min(0) @Max(16)
    int decoderThreads();
}
