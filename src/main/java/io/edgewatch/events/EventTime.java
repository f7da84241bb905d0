package io.edgewatch.events;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** RFC 3339 UTC timestamps with millisecond precision, e.g. {@code 2026-11-29T16:02:03.045Z}. */
public final class EventTime {
    private static final DateTimeFormatter FMT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private EventTime() {
    }

    /** Formats epoch ms. */
    public static String format(long epochMs) {
        return FMT.format(Instant.ofEpochMilli(epochMs));
    }

    /** Parses a timestamp written by {@link #format}. */
    public static long parse(String rfc3339) {
        return Instant.parse(rfc3339).toEpochMilli();
    }
}
