package io.edgewatch.zones;

/**
 * A named counting line (tripwire) of one camera, from point A to point B in normalized image coordinates (0..1,
 * origin top-left, y down). Crossing it towards the right-hand side of the direction A to B is {@code in}, towards
 * the left-hand side {@code out}. Example: a line from (0, 0.6) to (1, 0.6) drawn left to right across the frame
 * counts an object moving down the image as {@code in}. Only crossings of the segment itself count, never of its
 * extension beyond A or B.
 *
 * @param name line name, 1..64 letters, digits, '-' or '_'
 * @param ax   point A, x
 * @param ay   point A, y
 * @param bx   point B, x
 * @param by   point B, y
 */
public record CrossingLine(String name, double ax, double ay, double bx, double by) {
    /** Direction of a crossing towards the right-hand side of A to B. */
    public static final String IN = "in";
    /** Direction of a crossing towards the left-hand side of A to B. */
    public static final String OUT = "out";

    /**
     * @throws IllegalArgumentException for a bad name, a coordinate outside 0..1 or A equal to B
     */
    public CrossingLine {
        ZoneSettings.checkName("line", name);
        for (double v : new double[]{ax, ay, bx, by}) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("line " + name + ": coordinate " + v + " is outside 0..1 (normalized to the frame)");
            }
        }
        if (ax == bx && ay == by) {
            throw new IllegalArgumentException("line " + name + ": its two points are the same (" + ax + "," + ay + ")");
        }
    }

    /**
     * Which side of the line a point is on: +1 right-hand side of A to B (image coordinates, y down), -1 left-hand
     * side, 0 on the line.
     */
    public int side(double x, double y) {
        double cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
        return cross > 0 ? 1 : cross < 0 ? -1 : 0;
    }

    /**
     * Whether the movement from (x0, y0) to (x1, y1) crosses the segment A-B: the two points are on opposite sides of
     * the line and A and B are on opposite sides (or an end) of the movement.
     */
    public boolean crossedBy(double x0, double y0, double x1, double y1) {
        int s0 = side(x0, y0);
        int s1 = side(x1, y1);
        if (s0 == 0 || s1 == 0 || s0 == s1) {
            return false;
        }
        double ca = (x1 - x0) * (ay - y0) - (y1 - y0) * (ax - x0);
        double cb = (x1 - x0) * (by - y0) - (y1 - y0) * (bx - x0);
        return ca == 0 || cb == 0 || (ca > 0) != (cb > 0);
    }

    /** {@link #IN} for a move to the right-hand side (+1), {@link #OUT} for one to the left-hand side. */
    public static String direction(int newSide) {
        return newSide > 0 ? IN : OUT;
    }
}
