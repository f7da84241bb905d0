package io.edgewatch.detect;

/**
 * A rectangle of a frame that goes to the detector on its own: cropped from the full-resolution frame and resized
 * to the model input. Pixels, origin top-left, inside the frame.
 *
 * @param x         left, pixels, 0..frameWidth-1
 * @param y         top, pixels, 0..frameHeight-1
 * @param width     pixels, &gt;= 1
 * @param height    pixels, &gt;= 1
 * @param fullFrame true when the region is the whole frame
 */
public record Region(int x, int y, int width, int height, boolean fullFrame) {
    public Region {
        if (x < 0 || y < 0 || width < 1 || height < 1) {
            throw new IllegalArgumentException("region " + x + "," + y + " " + width + "x" + height + " is not inside a frame");
        }
    }

    /** The whole frame of {@code width x height} pixels. */
    public static Region full(int width, int height) {
        return new Region(0, 0, width, height, true);
    }

    /** This region in normalized frame coordinates. */
    public BoxNorm boxNorm(int frameWidth, int frameHeight) {
        return new BoxNorm((double) x / frameWidth, (double) y / frameHeight, (double) (x + width) / frameWidth,
                (double) (y + height) / frameHeight);
    }

    /**
     * Maps a box normalized to this region (what the detector returns for the crop) to the frame, normalized.
     */
    public BoxNorm toFrame(BoxNorm inRegion, int frameWidth, int frameHeight) {
        return new BoxNorm((x + inRegion.xMin() * width) / frameWidth, (y + inRegion.yMin() * height) / frameHeight,
                (x + inRegion.xMax() * width) / frameWidth, (y + inRegion.yMax() * height) / frameHeight);
    }

    /** Whether the point (normalized frame coordinates) lies inside this region. */
    public boolean contains(double xNorm, double yNorm, int frameWidth, int frameHeight) {
        double px = xNorm * frameWidth;
        double py = yNorm * frameHeight;
        return px >= x && px <= x + width && py >= y && py <= y + height;
    }

    /** Source pixels per model pixel along the longer side, for a model input of {@code inputSidePx}. */
    public double downscale(int inputSidePx) {
        return Math.max(width, height) / (double) inputSidePx;
    }
}
