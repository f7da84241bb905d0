package io.edgewatch.zones;

/**
 * The time one track spends in one zone, in frame time: the epoch-ms timestamps of the frames the tracker and the
 * zone monitor saw (not the wall clock, not frame counts), so a dwell means the same at any detect rate and on a file
 * analysed faster than real time.
 *
 * <p>A stay runs from its first frame inside (for an entry confirmed after the zone inertia, the first frame of that
 * run; for a track already inside when it was confirmed, that frame) to its last frame inside. Frames in which the
 * track's state is still "inside" but its anchor was not seen inside (a frame or two out of the polygon that did not
 * add up to an exit, a coasting or missing track that is re-identified) count as inside once the track is seen inside
 * again; when the exit is confirmed the stay ends at its last frame inside, and a track that ends while inside ends
 * its stay there too, so a gap is never counted after the last sighting. The dwell alert fires once per stay, on the
 * first frame inside at which the stay has lasted {@code alertMs}; a new stay after an exit can fire again.
 *
 * <p>Not thread-safe (one per track and zone, on the camera's pipeline thread).
 */
final class ZoneDwell {
    private final long alertMs;
    private long closedMs;
    private int stays;
    private boolean inStay;
    private boolean alerted;
    private long startMs;
    private long lastMs;

    /**
     * @param alertMs length of a stay that raises the dwell alert, ms (&gt; 0); 0 = no alert
     * @throws IllegalArgumentException for a negative {@code alertMs}
     */
    ZoneDwell(long alertMs) {
        if (alertMs < 0) {
            throw new IllegalArgumentException("dwell alert must be >= 0 ms, was " + alertMs);
        }
        this.alertMs = alertMs;
    }

    /**
     * Starts a stay (ends a stay still open first).
     *
     * @param sinceMs frame time of the stay's first frame inside, epoch ms
     * @param nowMs   frame time of this frame (the entry was decided now, the track is inside), epoch ms, &gt;= sinceMs
     * @return the stay's length in ms when the alert fires now, else -1
     */
    long enter(long sinceMs, long nowMs) {
        leave();
        inStay = true;
        alerted = false;
        stays++;
        startMs = sinceMs;
        lastMs = sinceMs;
        return inside(nowMs);
    }

    /**
     * The track was seen inside in a frame of the open stay (no effect outside a stay).
     *
     * @param nowMs frame time, epoch ms (not before the previous one)
     * @return the stay's length in ms when the alert fires now (once per stay), else -1
     */
    long inside(long nowMs) {
        if (!inStay) {
            return -1;
        }
        lastMs = Math.max(lastMs, nowMs);
        long stayMs = lastMs - startMs;
        if (alertMs > 0 && !alerted && stayMs >= alertMs) {
            alerted = true;
            return stayMs;
        }
        return -1;
    }

    /** Ends the open stay at its last frame inside (no effect outside a stay). */
    void leave() {
        if (inStay) {
            closedMs += lastMs - startMs;
            inStay = false;
        }
    }

    /** Time in the zone over all stays so far, the open one up to its last frame inside, ms. */
    long totalMs() {
        return closedMs + (inStay ? lastMs - startMs : 0);
    }

    /** Stays so far, the open one included. */
    int stays() {
        return stays;
    }

    /** Whether a stay is open. */
    boolean inStay() {
        return inStay;
    }
}
