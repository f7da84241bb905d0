package io.edgewatch.mqtt;

import java.nio.file.Path;

/**
 * Store-and-forward settings of MQTT delivery.
 *
 * @param dir            directory of the spool file {@code events.mv.db}
 * @param maxBytes       size bound of the pending events (topic + payload + 10 bytes each), bytes, &gt; 0
 * @param maxAgeMs       pending events older than this are dropped, ms, &gt; 0
 * @param fsync          force every append to the storage device (survives power loss; default only the process
 *                       being killed)
 * @param inflightWindow QoS 1 publishes awaiting PUBACK at once, 1..65535 (also capped by the broker's Receive
 *                       Maximum)
 * @param reconnectMinMs first delay after a failed connect, ms (doubled per failure, +-20 % jitter)
 * @param reconnectMaxMs cap of the connect delay, ms
 */
public record SpoolSettings(Path dir, long maxBytes, long maxAgeMs, boolean fsync, int inflightWindow,
                            long reconnectMinMs, long reconnectMaxMs) {
    public SpoolSettings {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("edgewatch.spool.max-bytes must be > 0, was " + maxBytes);
        }
        if (maxAgeMs <= 0) {
            throw new IllegalArgumentException("edgewatch.spool.max-age-s must be > 0, was " + maxAgeMs / 1000);
        }
        if (inflightWindow < 1 || inflightWindow > 65535) {
            throw new IllegalArgumentException("edgewatch.spool.inflight-window must be 1..65535, was " + inflightWindow);
        }
        if (reconnectMinMs < 1 || reconnectMaxMs < reconnectMinMs) {
            throw new IllegalArgumentException("edgewatch.spool.reconnect-min-ms must be >= 1 and <= reconnect-max-ms, was "
                    + reconnectMinMs + " / " + reconnectMaxMs);
        }
    }

    /** 64 MiB, 7 days, no fsync, window 16, reconnect 0.5..30 s. */
    public static SpoolSettings defaults(Path dir) {
        return new SpoolSettings(dir, 64L << 20, 7L * 24 * 3600 * 1000, false, 16, 500, 30_000);
    }
}
