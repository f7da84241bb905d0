package io.edgewatch.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * A zone polygon {@code x0,y0,x1,y1,x2,y2,...}: 3 to 64 points, normalized 0..1, enclosing an area of at least
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
        double twiceArea = 0;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            twiceArea += xy[2 * j] * xy[2 * i + 1] - xy[2 * i] * xy[2 * j + 1];
        }
        if (Math.abs(twiceArea) / 2 < MIN_AREA) {
            throw new IllegalArgumentException(what + " encloses no area (its points lie on one line or repeat), " + noArea);
        }
        return p;
    }
}
