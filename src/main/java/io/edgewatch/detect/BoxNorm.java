package io.edgewatch.detect;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Axis-aligned bounding box in normalized image coordinates: 0..1 of the frame width (x) and height (y), origin
 * top-left. Values are clamped to 0..1 by {@link #clamped}.
 */
@RegisterForReflection
public record BoxNorm(double xMin, double yMin, double xMax, double yMax) {

    /** Box from centre, width and height (all normalized). */
    public static BoxNorm ofCenter(double cx, double cy, double w, double h) {
        return new BoxNorm(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }

    public double width() {
        return Math.max(0, xMax - xMin);
    }

    public double height() {
        return Math.max(0, yMax - yMin);
    }

    public double area() {
        return width() * height();
    }

    public double centerX() {
        return (xMin + xMax) / 2;
    }

    public double centerY() {
        return (yMin + yMax) / 2;
    }

    /** This box clamped to the unit square. */
    public BoxNorm clamped() {
        return new BoxNorm(clamp(xMin), clamp(yMin), clamp(xMax), clamp(yMax));
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    /**
     * This box enlarged by {@code fraction} of its width and height on each side (not clamped), as the buffered IoU
     * of C-BIoU (Yang et al. 2023, arXiv 2211.14317) uses it.
     */
    public BoxNorm buffered(double fraction) {
        if (fraction == 0) {
            return this;
        }
        double bw = width() * fraction;
        double bh = height() * fraction;
        return new BoxNorm(xMin - bw, yMin - bh, xMax + bw, yMax + bh);
    }

    /**
     * Intersection over union, 0..1 (0 when either box is empty).
     */
    public double iou(BoxNorm o) {
        double ix = Math.min(xMax, o.xMax) - Math.max(xMin, o.xMin);
        double iy = Math.min(yMax, o.yMax) - Math.max(yMin, o.yMin);
        if (ix <= 0 || iy <= 0) {
            return 0;
        }
        double inter = ix * iy;
        double union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
