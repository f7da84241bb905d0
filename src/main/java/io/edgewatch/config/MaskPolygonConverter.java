package io.edgewatch.config;

/**
 * A motion mask polygon ({@code edgewatch.cameras.<id>.motion.masks.<name>.polygon}): the rules of a zone polygon
 * ({@link PolygonConverter}: 3 to 64 points, normalized 0..1, enclosing an area), with messages that say "motion
 * mask" so that an error is not read as one about a zone.
 */
public final class MaskPolygonConverter extends PolygonConverter {
    public MaskPolygonConverter() {
        super("a motion mask polygon", "so it would mask nothing");
    }
}
