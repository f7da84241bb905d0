package io.edgewatch.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups the boxes where something may be (motion boxes, predicted boxes of tracks) into the few regions the
 * detector runs on, the way Frigate does: each box gets a square region of at least the model's input size in
 * source pixels, centred on it (a small object is then seen at full resolution instead of shrunk with the whole
 * frame); regions whose union still fits in a square of {@code maxDownscale x input} pixels are merged; at most
 * {@code maxRegions} remain (the closest are merged past the size bound when there are more); a region that would
 * reach past the frame is shifted inside, and one covering most of the frame ({@value #FULL_FRAME_SHARE} of its area)
 * becomes the full frame.
 *
 * <p>The full frame is itself one invoke: when the frame is no larger than {@code maxDownscale x input} pixels
 * (e.g. 768x576 for a 300x300 model and the default 2.6), merging stops at the full frame, so a busy low-resolution
 * camera costs one invoke per round, never more. A wide view (1080p, 4K, a 2x2 tiling) keeps its small people at
 * most {@code maxDownscale} times smaller than in the source. Stateless and thread-safe.
 */
public final class RegionPlanner {
    /** A region covering at least this share of the frame's area becomes the full frame. */
    static final double FULL_FRAME_SHARE = 0.8;

    private final int inputSidePx;
    private final double maxDownscale;
    private final int maxRegions;
    private final double padding;

    /**
     * @param inputSidePx  model input side, pixels (the larger of its width and height), &gt;= 16
     * @param maxDownscale largest ratio of source pixels to model pixels a merged region may reach, 1..16
     * @param maxRegions   most regions per frame, 1..32
     * @param padding      fraction of a box's size added on each side before it is placed in a region, 0..2
     * @throws IllegalArgumentException when a value is out of range (the message names the setting)
     */
    public RegionPlanner(int inputSidePx, double maxDownscale, int maxRegions, double padding) {
        if (inputSidePx < 16) {
            throw new IllegalArgumentException("model input side must be >= 16 px, was " + inputSidePx);
        }
        if (!(maxDownscale >= 1 && maxDownscale <= 16)) {
            throw new IllegalArgumentException("max-downscale must be 1..16, was " + maxDownscale);
        }
        if (maxRegions < 1 || maxRegions > 32) {
            throw new IllegalArgumentException("max-regions must be 1..32, was " + maxRegions);
        }
        if (!(padding >= 0 && padding <= 2)) {
            throw new IllegalArgumentException("region padding must be 0..2, was " + padding);
        }
        this.inputSidePx = inputSidePx;
        this.maxDownscale = maxDownscale;
        this.maxRegions = maxRegions;
        this.padding = padding;
    }

    /** Model input side, pixels. */
    public int inputSidePx() {
        return inputSidePx;
    }

    /**
     * Plans the regions of one frame.
     *
     * @param boxes       boxes to cover, normalized to the frame (empty: no region, no inference)
     * @param frameWidth  pixels
     * @param frameHeight pixels
     * @return regions covering every box (each box wholly inside at least one region unless the box itself is larger
     *         than the largest region allowed), at most {@code maxRegions}
     */
    public List<Region> plan(List<BoxNorm> boxes, int frameWidth, int frameHeight) {
        List<double[]> rs = new ArrayList<>(); // x0, y0, x1, y1 in pixels: the area to cover (not yet squared)
        for (BoxNorm b : boxes) {
            BoxNorm c = b.clamped();
            if (c.width() <= 0 && c.height() <= 0) {
                continue;
            }
            double pw = c.width() * frameWidth * padding;
            double ph = c.height() * frameHeight * padding;
            rs.add(new double[]{c.xMin() * frameWidth - pw, c.yMin() * frameHeight - ph, c.xMax() * frameWidth + pw,
                    c.yMax() * frameHeight + ph});
        }
        if (rs.isEmpty()) {
            return List.of();
        }
        double maxSide = maxDownscale * inputSidePx;
        // greedy agglomeration: merge the pair whose union is smallest while it fits the size bound, then (over the
        // region budget) regardless of it
        while (rs.size() > 1) {
            int bi = -1;
            int bj = -1;
            double best = Double.MAX_VALUE;
            for (int i = 0; i < rs.size(); i++) {
                for (int j = i + 1; j < rs.size(); j++) {
                    double side = side(union(rs.get(i), rs.get(j)));
                    if (side < best) {
                        best = side;
                        bi = i;
                        bj = j;
                    }
                }
            }
            boolean fits = best <= maxSide || fitsSquare(union(rs.get(bi), rs.get(bj)), side(rs.get(bi)), side(rs.get(bj)));
            if (!fits && rs.size() <= maxRegions) {
                break;
            }
            double[] u = union(rs.get(bi), rs.get(bj));
            rs.remove(bj);
            rs.set(bi, u);
        }
        List<Region> out = new ArrayList<>(rs.size());
        for (double[] r : rs) {
            out.add(square(r, frameWidth, frameHeight));
        }
        return dedupe(out, frameWidth, frameHeight);
    }

    /** Whether the union is no larger than the larger of the two squares it came from (merging then costs nothing). */
    private boolean fitsSquare(double[] union, double sideA, double sideB) {
        return side(union) <= Math.max(inputSidePx, Math.max(sideA, sideB));
    }

    private static double[] union(double[] a, double[] b) {
        return new double[]{Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])};
    }

    private static double side(double[] r) {
        return Math.max(r[2] - r[0], r[3] - r[1]);
    }

    /** The square of at least the input size around {@code r}, shifted inside the frame and clipped to it. */
    private Region square(double[] r, int fw, int fh) {
        double side = Math.max(inputSidePx, side(r));
        int w = (int) Math.min(fw, Math.ceil(side));
        int h = (int) Math.min(fh, Math.ceil(side));
        double cx = (r[0] + r[2]) / 2;
        double cy = (r[1] + r[3]) / 2;
        int x = (int) Math.round(cx - w / 2.0);
        int y = (int) Math.round(cy - h / 2.0);
        x = Math.max(0, Math.min(fw - w, x));
        y = Math.max(0, Math.min(fh - h, y));
        if ((w == fw && h == fh) || (double) w * h >= FULL_FRAME_SHARE * fw * fh) {
            return Region.full(fw, fh); // as good as the whole frame: take it, no cut at its edges
        }
        return new Region(x, y, w, h, false);
    }

    /** Drops regions wholly inside another (shifting into the frame can make two regions nest); the full frame wins. */
    private static List<Region> dedupe(List<Region> rs, int fw, int fh) {
        for (Region r : rs) {
            if (r.fullFrame()) {
                return List.of(Region.full(fw, fh));
            }
        }
        List<Region> out = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            Region a = rs.get(i);
            boolean inside = false;
            for (int j = 0; j < rs.size() && !inside; j++) {
                Region b = rs.get(j);
                if (i != j && b.x() <= a.x() && b.y() <= a.y() && b.x() + b.width() >= a.x() + a.width()
                        && b.y() + b.height() >= a.y() + a.height() && (j < i || !a.equals(b))) {
                    inside = true;
                }
            }
            if (!inside) {
                out.add(a);
            }
        }
        return out;
    }
}
