package io.edgewatch.zones;

import io.edgewatch.detect.BoxNorm;

/**
 * The point of a bounding box that decides zone membership and line crossings.
 */
public enum ZoneAnchor {
    /** Middle of the bottom edge: where a standing person or a vehicle touches the ground (Frigate's choice too). */
    BOTTOM_CENTER,
    /** Centre of the box: for cameras looking straight down. */
    CENTER;

    /** The anchor point of a box, normalized {@code [x, y]}. */
    public double[] point(BoxNorm b) {
        return this == CENTER ? new double[]{b.centerX(), b.centerY()} : new double[]{b.centerX(), b.yMax()};
    }

    /**
     * @param value {@code bottom-center} or {@code center}
     * @throws IllegalArgumentException for any other value
     */
    public static ZoneAnchor parse(String value) {
        return switch (value) {
            case "bottom-center" -> BOTTOM_CENTER;
            case "center" -> CENTER;
            default -> throw new IllegalArgumentException("zone anchor must be bottom-center or center, was '" + value + "'");
        };
    }
}
