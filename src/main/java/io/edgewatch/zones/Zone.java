package io.edgewatch.zones;

import java.util.Arrays;

/**
 * A named polygon zone of one camera, in normalized image coordinates (0..1 of the frame width and height, origin
 * top-left). An object is inside when its anchor point ({@link ZoneAnchor}) is inside the polygon (even-odd rule, so
 * concave polygons work; a point exactly on an edge may count either way).
 *
 * @param name        zone name, 1..64 letters, digits, '-' or '_' (it appears in events and metric tags)
 * @param polygonXy   vertices as {@code x0, y0, x1, y1, ...}, at least 3 vertices, each coordinate 0..1
 * @param dwellAlertS a track that stays in the zone this long (seconds of frame time, Frigate's
 *                    {@code loitering_time}) gets an immediate {@code update} with {@code track.dwell}, once per
 *                    stay; 0 = no dwell alert (time in the zone is still summed for the {@code end} summary)
 */
public record Zone(String name, double[] polygonXy, double dwellAlertS) {
    /**
     * @throws IllegalArgumentException for a bad name, fewer than 3 vertices, an odd coordinate count, a
     *                                  coordinate outside 0..1 or a dwell alert that is negative or not finite
     */
    public Zone {
        ZoneSettings.checkName("zone", name);
        if (!(dwellAlertS >= 0 && dwellAlertS < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("zone " + name + ": dwell alert must be a finite number of seconds >= 0 (0 = none), was " + dwellAlertS);
        }
        if (polygonXy == null || polygonXy.length % 2 != 0 || polygonXy.length < 6) {
            throw new IllegalArgumentException("zone " + name + ": a polygon needs at least 3 points (x,y pairs), got "
                    + (polygonXy == null ? "none" : Arrays.toString(polygonXy)));
        }
        for (double v : polygonXy) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("zone " + name + ": coordinate " + v + " is outside 0..1 (normalized to the frame)");
            }
        }
        polygonXy = polygonXy.clone();
    }

    /** A zone without a dwell alert. */
    public Zone(String name, double[] polygonXy) {
        this(name, polygonXy, 0);
    }

    /** The dwell alert in whole ms, at least 1 when one is set; 0 = none. */
    public long dwellAlertMs() {
        return dwellAlertS == 0 ? 0 : Math.max(1, Math.round(dwellAlertS * 1000));
    }

    /** Number of vertices. */
    public int vertices() {
        return polygonXy.length / 2;
    }

    /**
     * Whether a point is inside the polygon (even-odd ray casting, W. R. Franklin's PNPOLY).
     *
     * @param x normalized 0..1
     * @param y normalized 0..1
     */
    public boolean contains(double x, double y) {
        boolean inside = false;
        int n = vertices();
        for (int i = 0, j = n - 1; i < n; j = i++) {
            double xi = polygonXy[2 * i], yi = polygonXy[2 * i + 1];
            double xj = polygonXy[2 * j], yj = polygonXy[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                inside = !inside;
            }
        }
        return inside;
    }

    @Override
    public double[] polygonXy() {
        return polygonXy.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Zone z && z.name.equals(name) && Arrays.equals(z.polygonXy, polygonXy)
                && Double.compare(z.dwellAlertS, dwellAlertS) == 0;
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Arrays.hashCode(polygonXy)) * 31 + Double.hashCode(dwellAlertS);
    }

    @Override
    public String toString() {
        return "Zone[" + name + " " + Arrays.toString(polygonXy) + (dwellAlertS > 0 ? " dwell-alert " + dwellAlertS + " s" : "") + "]";
    }
}
