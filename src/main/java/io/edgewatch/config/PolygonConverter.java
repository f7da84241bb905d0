package io.edgewatch.config;

import org.eclipse.microprofile.config.spi.Converter;

/** A zone polygon {@code x0,y0,x1,y1,x2,y2,...}: 3 to 64 points, normalized 0..1. */
public final class PolygonConverter implements Converter<NormalizedPoints> {
    @Override
    public NormalizedPoints convert(String value) {
        return NormalizedPoints.parse(value, 3, 64, "a zone polygon");
    }
}
