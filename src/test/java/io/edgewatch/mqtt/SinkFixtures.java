package io.edgewatch.mqtt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Spool settings and minimal events shared by the broker tests (failover, fleet ACL). */
final class SinkFixtures {
    private SinkFixtures() {
    }

    /** A 10 MB, one-hour spool in {@code dir}, no fsync, in-flight window 4, reconnect 100 ms to 1 s. */
    static SpoolSettings spool(Path dir) {
        return new SpoolSettings(dir, 10_000_000, 3_600_000, false, 4, 100, 1_000);
    }

    /** The smallest event the sink accepts: schema, type and {@code seq}. */
    static byte[] event(long seq) {
        return ("{\"schema\":\"edgewatch.event/1\",\"type\":\"enter\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
    }
}
