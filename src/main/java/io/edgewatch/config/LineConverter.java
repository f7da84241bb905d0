package io.edgewatch.config;

import org.eclipse.microprofile.config.spi.Converter;

/** A counting line {@code xA,yA,xB,yB}: exactly 2 different points, normalized 0..1. */
public final class LineConverter implements Converter<NormalizedPoints> {
    @Override
    public NormalizedPoints convert(String value) {
        NormalizedPoints p = NormalizedPoints.parse(value, 2, 2, "a counting line");
        double[] xy = p.xy();
        if (xy[0] == xy[2] && xy[1] == xy[3]) {
            throw new IllegalArgumentException("a counting line: its two points are the same (" + xy[0] + "," + xy[1] + ")");
        }
        return p;
    }
}
