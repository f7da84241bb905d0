package io.edgewatch.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** Track life-cycle event types, as in Frigate's {@code new/update/end}. */
public enum EventType {
    /** The track was confirmed (first publication). */
    NEW,
    /** Periodic or material change of a confirmed track. */
    UPDATE,
    /** The track was lost or the stream ended; carries the consolidated summary. */
    END;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }
}
