package io.edgewatch.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * A zone polygon {@code x0,y0,x1,y1,x2,y2,...}: 3 to 64 points, normalized 0..1, listed in order around it (no two
 * edges cross, as in a bow-tie, where inside and outside would be ambiguous), enclosing an area of at least
 * 1e-6 of the frame (shoelace formula; points on one straight line enclose nothing and no object could ever be in
 * the zone). {@link MaskPolygonConverter} reads motion masks by the same rules in their own words.
 */
public class PolygonConverter implements Converter<NormalizedPoints> {
    /** Smallest enclosed area accepted, fraction of the frame (about 0.6 x 0.6 pixels of a 768x576 frame). */
    static final double MIN_AREA = 1e-6;

    private final String what;
    private final String noArea;

    public PolygonConverter() {
        this("a zone polygon", "so nothing could ever be in it");
    }

    /**
     * @param what   what the value is, starting the messages ({@code a zone polygon})
     * @param noArea why an area-less polygon is refused, ending that message
     */
    protected PolygonConverter(String what, String noArea) {
        this.what = what;
        this.noArea = noArea;
    }

    @Override
    public NormalizedPoints convert(String value) {
        NormalizedPoints p = NormalizedPoints.parse(value, 3, 64, what);
        double[] xy = p.xy();
        int n = p.size();
        int[] crossing = crossingEdges(xy, n);
        if (crossing != null) {
            throw new IllegalArgumentException(what + " has edges that cross (edge " + (crossing[0] + 1) + " and edge " + (crossing[1] + 1)
                    + " of " + n + ", like a bow-tie), so which side is inside is ambiguous; list the points in order around the area");
        }
        double twiceArea = 0;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            twiceArea += xy[2 * j] * xy[2 * i + 1] - xy[2 * i] * xy[2 * j + 1];
        }
        if (Math.abs(twiceArea) / 2 < MIN_AREA) {
            throw new IllegalArgumentException(what + " encloses no area (its points lie on one line or repeat), " + noArea);
        }
        return p;
    }

    /**
     * The first pair of non-adjacent edges that cross (edge k runs from point k to point k+1, the last back to point 0),
     * as 0-based edge indexes, or null. Edges that only touch or overlap along a line are not counted.
     */
    static int[] crossingEdges(double[] xy, int n) {
        for (int a = 0; a < n; a++) {
            for (int b = a + 2; b < n; b++) {
                if (a == 0 && b == n - 1) {
                    continue; // the last edge ends where the first begins
                }
                if (cross(xy, a, (a + 1) % n, b, (b + 1) % n)) {
                    return new int[]{a, b};
                }
            }
        }
        return null;
    }

    private static boolean cross(double[] xy, int p, int q, int r, int s) {
        double d1 = orient(xy, r, s, p);
        double d2 = orient(xy, r, s, q);
        double d3 = orient(xy, p, q, r);
        double d4 = orient(xy, p, q, s);
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
    }

    /** Twice the signed area of the triangle a, b, c: its sign says on which side of a-b the point c lies. */
    private static double orient(double[] xy, int a, int b, int c) {
        return (xy[2 * b] - xy[2 * a]) * (xy[2 * c + 1] - xy[2 * a + 1]) - (xy[2 * b + 1] - xy[2 * a + 1]) * (xy[2 * c] - xy[2 * a]);
    }
}
