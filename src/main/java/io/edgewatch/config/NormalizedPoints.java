package io.edgewatch.config;

import java.util.Arrays;

/**
 * Points in normalized image coordinates read from one configuration value {@code x0,y0,x1,y1,...} (0..1 of the
 * frame width and height, origin top-left), as converted by {@link PolygonConverter} or {@link LineConverter}.
 *
 * @param xy the coordinates, x and y alternating
 */
public record NormalizedPoints(double[] xy) {
    public NormalizedPoints {
        xy = xy.clone();
    }

    @Override
    public double[] xy() {
        return xy.clone();
    }

    /** Number of points. */
    public int size() {
        return xy.length / 2;
    }

    /**
     * Parses {@code x0,y0,x1,y1,...}; blanks around numbers are allowed.
     *
     * @param minPoints least number of points
     * @param maxPoints largest number of points
     * @throws IllegalArgumentException naming the value: not numbers, an odd count, a count outside the bounds or a
     *                                  coordinate outside 0..1
     */
    static NormalizedPoints parse(String value, int minPoints, int maxPoints, String what) {
        String v = value == null ? "" : value.strip();
        String[] parts = v.isEmpty() ? new String[0] : v.split("\\s*,\\s*");
        double[] xy = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                xy[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": '" + parts[i] + "' is not a number (expected x1,y1,x2,y2,... normalized 0..1)");
            }
            if (!(xy[i] >= 0 && xy[i] <= 1)) {
                throw new IllegalArgumentException(what + ": coordinate " + parts[i] + " is outside 0..1 (normalized to the frame width and height)");
            }
        }
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException(what + ": " + xy.length + " numbers is not a list of x,y pairs");
        }
        int n = xy.length / 2;
        if (n < minPoints || n > maxPoints) {
            String want = minPoints == maxPoints ? "exactly " + minPoints : minPoints + " to " + maxPoints;
            throw new IllegalArgumentException(what + " needs " + want + " points (x,y pairs), got " + n);
        }
        return new NormalizedPoints(xy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NormalizedPoints p && Arrays.equals(p.xy, xy);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xy);
    }

    @Override
    public String toString() {
        return Arrays.toString(xy);
    }
}
