package io.edgewatch.capture;

/**
 * Connection quality of one camera over the last hour, graded as Frigate does (see shared/design/ANCHORS.md and
 * README "Camera health"):
 * <ul>
 *   <li>{@link #UNUSABLE}: received fps below 0.1, or more than 10 reconnects, or more than 100 stalls;</li>
 *   <li>{@link #EXCELLENT}: no reconnect, fps at least 90 % of the expected rate and fewer than 5 stalls;</li>
 *   <li>{@link #FAIR}: at most 2 reconnects and fps at least 60 % of the expected rate;</li>
 *   <li>{@link #POOR}: anything else.</li>
 * </ul>
 */
public enum ConnectionQuality {
    EXCELLENT, FAIR, POOR, UNUSABLE;

    /**
     * Grades a connection.
     *
     * @param fps               received frames per second, Hz
     * @param expectedFps       the camera's expected rate, Hz (&gt; 0)
     * @param reconnectsLastHour reconnects in the last hour
     * @param stallsLastHour    stalls in the last hour
     */
    public static ConnectionQuality grade(double fps, double expectedFps, int reconnectsLastHour, int stallsLastHour) {
        if (fps < 0.1 || reconnectsLastHour > 10 || stallsLastHour > 100) {
            return UNUSABLE;
        }
        if (reconnectsLastHour == 0 && fps >= 0.9 * expectedFps && stallsLastHour < 5) {
            return EXCELLENT;
        }
        if (reconnectsLastHour <= 2 && fps >= 0.6 * expectedFps) {
            return FAIR;
        }
        return POOR;
    }

    /** Lower-case name as shown in health and metrics. */
    public String wire() {
        return name().toLowerCase();
    }
}
