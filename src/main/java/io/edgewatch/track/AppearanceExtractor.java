package io.edgewatch.track;

import io.edgewatch.detect.BoxNorm;
import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.ByteBuffer;

/**
 * Computes a person's {@link Appearance} from a BGR frame: the torso is the box's rows 20..50 % (below the head),
 * the legs rows 55..90 %, both over the middle 60 % of its width (less background beside the body). At most
 * {@value #SAMPLES_PER_SIDE} x {@value #SAMPLES_PER_SIDE} pixels are sampled per half, so the cost per person does not
 * grow with resolution (about 2 x 576 pixel conversions). Dark pixels (value below {@link #DARK_VALUE}) count as
 * grey whatever their hue, since their hue is noise. Each sample is also named in the {@link ClothingColour} palette.
 */
public final class AppearanceExtractor {
    /** Sampling grid per side per half. */
    public static final int SAMPLES_PER_SIDE = 24;
    /** Saturation (0..255) below which a pixel is grey: the palette's ({@link ClothingColour#GREY_SATURATION}). */
    public static final int GREY_SATURATION = ClothingColour.GREY_SATURATION;
    /** Value (0..255) below which a pixel is grey (dark). */
    public static final int DARK_VALUE = 40;
    /** Value from which a saturated pixel's hue is read: by the histogram bin (from DARK_VALUE) or by the palette. */
    private static final int HUE_MIN_VALUE = Math.min(DARK_VALUE, ClothingColour.BLACK_VALUE);
    /** A half needs at least this many pixels in the frame to be measured. */
    static final int MIN_PIXELS = 16;

    private AppearanceExtractor() {
    }

    /**
     * @param bgr 8-bit, 3-channel BGR image (CV_8UC3), continuous or not
     * @param box the person's box, normalized to the image (clamped here)
     * @return the appearance; a half outside the frame or smaller than 4x4 pixels is all zero
     * @throws IllegalArgumentException when the image is not 8-bit 3-channel
     */
    public static Appearance extract(Mat bgr, BoxNorm box) {
        return forFrame(bgr).of(box);
    }

    /**
     * The appearances of boxes in one frame: the image is checked and its pixels mapped once, then each box costs only
     * its samples (the tracker asks per detection, only when it needs one).
     *
     * @param bgr 8-bit, 3-channel BGR image (CV_8UC3), valid while the source is used
     * @throws IllegalArgumentException when the image is not 8-bit 3-channel
     */
    public static Tracker.AppearanceSource forFrame(Mat bgr) {
        if (bgr.channels() != 3 || bgr.depth() != org.bytedeco.opencv.global.opencv_core.CV_8U) {
            throw new IllegalArgumentException("appearance needs an 8-bit BGR image, got " + bgr.channels() + " channels depth " + bgr.depth());
        }
        int w = bgr.cols();
        int h = bgr.rows();
        long step = bgr.step();
        ByteBuffer buf = bgr.data().capacity(step * h).asByteBuffer();
        return box -> {
            BoxNorm b = box.clamped();
            double x0 = b.xMin() + 0.2 * b.width();
            double x1 = b.xMax() - 0.2 * b.width();
            float[] upper = new float[Appearance.BINS];
            float[] upperColours = new float[Appearance.COLOURS];
            half(buf, step, w, h, x0, x1, b.yMin() + 0.2 * b.height(), b.yMin() + 0.5 * b.height(), upper, upperColours);
            float[] lower = new float[Appearance.BINS];
            float[] lowerColours = new float[Appearance.COLOURS];
            half(buf, step, w, h, x0, x1, b.yMin() + 0.55 * b.height(), b.yMin() + 0.9 * b.height(), lower, lowerColours);
            return new Appearance(upper, lower, upperColours, lowerColours);
        };
    }

    /** Fills {@code hist} and {@code colours} (both zero on entry) from one half's samples; leaves them zero when too small. */
    private static void half(ByteBuffer buf, long step, int w, int h, double nx0, double nx1, double ny0, double ny1,
                             float[] hist, float[] colours) {
        int px0 = (int) Math.floor(nx0 * w);
        int px1 = Math.min(w, (int) Math.ceil(nx1 * w));
        int py0 = (int) Math.floor(ny0 * h);
        int py1 = Math.min(h, (int) Math.ceil(ny1 * h));
        int pw = px1 - px0;
        int ph = py1 - py0;
        if (pw * ph < MIN_PIXELS || pw < 2 || ph < 2) {
            return;
        }
        int nx = Math.min(SAMPLES_PER_SIDE, pw);
        int ny = Math.min(SAMPLES_PER_SIDE, ph);
        int n = 0;
        for (int j = 0; j < ny; j++) {
            int y = py0 + (int) ((j + 0.5) * ph / ny);
            long row = (long) y * step;
            for (int i = 0; i < nx; i++) {
                int x = px0 + (int) ((i + 0.5) * pw / nx);
                int at = (int) (row + 3L * x);
                int bl = buf.get(at) & 0xff;
                int gr = buf.get(at + 1) & 0xff;
                int rd = buf.get(at + 2) & 0xff;
                // max, saturation and hue once per pixel, for both the histogram bin and the palette colour
                int max = Math.max(rd, Math.max(gr, bl));
                int min = Math.min(rd, Math.min(gr, bl));
                int s = max == 0 ? 0 : 255 * (max - min) / max;
                double hue = s >= GREY_SATURATION && max >= HUE_MIN_VALUE ? ClothingColour.hue(rd, gr, bl, max, min) : Double.NaN;
                hist[bin(max, s, hue)]++;
                colours[ClothingColour.of(max, s, hue).ordinal()]++;
                n++;
            }
        }
        for (int k = 0; k < hist.length; k++) {
            hist[k] /= n;
        }
        // palette shares weighted by how much of the half the frame shows: a distant person (few pixels, the box
        // loose around them) counts less than a near one
        double weight = Math.min(1.0, (double) pw * ph / (SAMPLES_PER_SIDE * SAMPLES_PER_SIDE));
        for (int k = 0; k < colours.length; k++) {
            colours[k] = (float) (colours[k] * weight / n);
        }
    }

    /** The histogram bin of one RGB pixel (HSV as OpenCV defines it: V = max, S = (max - min) / max). */
    static int bin(int r, int g, int b) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        int s = max == 0 ? 0 : 255 * (max - min) / max;
        return bin(max, s, s >= GREY_SATURATION && max >= DARK_VALUE ? ClothingColour.hue(r, g, b, max, min) : Double.NaN);
    }

    /** The same from a pixel's max, saturation and hue (hue read only when {@code s >= GREY_SATURATION && max >= DARK_VALUE}). */
    private static int bin(int max, int s, double hue) {
        if (s < GREY_SATURATION || max < DARK_VALUE) {
            return Appearance.HUE_BINS * Appearance.SAT_BINS + Math.min(Appearance.GREY_BINS - 1, max * Appearance.GREY_BINS / 256);
        }
        int hb = Math.min(Appearance.HUE_BINS - 1, (int) (hue * Appearance.HUE_BINS / 360));
        int sb = Math.min(Appearance.SAT_BINS - 1, (s - GREY_SATURATION) * Appearance.SAT_BINS / (256 - GREY_SATURATION));
        return hb * Appearance.SAT_BINS + sb;
    }
}
