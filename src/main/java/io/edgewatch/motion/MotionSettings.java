package io.edgewatch.motion;

import io.edgewatch.config.NormalizedPoints;

import java.util.List;

/**
 * Settings of one camera's {@link MotionDetector}, modelled on Frigate's motion configuration (threshold,
 * contour_area, frame_alpha, lightning_threshold, motion masks). Frigate sizes its motion frame by height (100 px);
 * this detector by width, so the small frame of a 16:9 camera at the default 320 px is 320x180 and of a 4:3 one
 * 320x240.
 *
 * <p>Validation messages name the setting in configuration spelling ({@code frame-width}, {@code threshold},
 * {@code contour-area}, {@code frame-alpha}, {@code lightning-threshold}, {@code dilate-iterations},
 * {@code warmup-frames}, {@code masks}); the configuration layer prefixes the camera's key.
 *
 * @param frameWidthPx       width of the small grayscale working copy, pixels, 16..1920 (default 320); the height
 *                           follows from the frame's aspect ratio. A frame narrower than this is used at its own width
 *                           (never enlarged).
 * @param threshold          grey levels, 1..254 (default 30, Frigate's): a pixel whose blurred value differs from the
 *                           background by more than this counts as changed
 * @param contourAreaPx      least area of a changed region (contour of the dilated change mask, {@code cv::contourArea}
 *                           through the boundary pixels' centres, in pixels of the small frame), 0..100000 (default 25):
 *                           smaller regions are ignored. With two dilations a lone changed pixel grows to 5x5 (area 16,
 *                           dropped) and a 2x2 change to 6x6 (area 25, kept: about 5x5 px of a 768 px wide frame;
 *                           measured, a dark 4x4 px square appearing in vtest.avi's scene is seen, a 3x3 one is not).
 *                           Frigate's 10 with one dilation in its 100 px high frame needs a 3x3 change there (about 17 px
 *                           of a 576 px high frame); this detector is more sensitive because wide views put people at a
 *                           few small-frame pixels, and the blur and threshold already keep sensor noise out (the noise
 *                           tests).
 * @param frameAlpha         background running-average rate per analysed frame, {@code (0, 1]} (default 0.01, Frigate's):
 *                           the background follows a change with a time constant of {@code 1 / (frameAlpha * fps)}
 *                           seconds (10 s at 10 fps)
 * @param lightningThreshold fraction of the unmasked small frame, {@code (0, 1]} (default 0.8, Frigate's): when at least
 *                           this much changes at once (lights, IR switch, auto exposure, a camera moved) the background is
 *                           re-learned from the frame and no motion is reported
 * @param dilateIterations   3x3 dilations of the change mask before contours are found, 0..10 (default 2; Frigate 1):
 *                           joins the fragments of one person (limbs, a shirt the colour of the background)
 * @param warmupFrames       frames after the first frame and after each re-learn during which the background adapts fast
 *                           (rate 0.2, Frigate's calibration rate) and no motion is reported, 0..1000 (default 5)
 * @param masks              motion masks, normalized polygons (0..1 of the frame, at least 3 points each): pixels inside
 *                           any of them never count as motion (trees, clocks, timestamps); empty = none
 */
public record MotionSettings(int frameWidthPx, int threshold, int contourAreaPx, double frameAlpha,
                             double lightningThreshold, int dilateIterations, int warmupFrames,
                             List<NormalizedPoints> masks) {

    public static final int DEFAULT_FRAME_WIDTH_PX = 320;
    public static final int DEFAULT_THRESHOLD = 30;
    public static final int DEFAULT_CONTOUR_AREA_PX = 25;
    public static final double DEFAULT_FRAME_ALPHA = 0.01;
    public static final double DEFAULT_LIGHTNING_THRESHOLD = 0.8;
    public static final int DEFAULT_DILATE_ITERATIONS = 2;
    public static final int DEFAULT_WARMUP_FRAMES = 5;

    /**
     * @throws IllegalArgumentException naming the setting when a value is out of range or a mask is not a polygon
     */
    public MotionSettings {
        if (frameWidthPx < 16 || frameWidthPx > 1920) {
            throw new IllegalArgumentException("frame-width must be 16..1920 pixels, got " + frameWidthPx);
        }
        if (threshold < 1 || threshold > 254) {
            throw new IllegalArgumentException("threshold must be 1..254 grey levels, got " + threshold);
        }
        if (contourAreaPx < 0 || contourAreaPx > 100_000) {
            throw new IllegalArgumentException("contour-area must be 0..100000 pixels of the motion frame, got " + contourAreaPx);
        }
        if (!(frameAlpha > 0 && frameAlpha <= 1)) {
            throw new IllegalArgumentException("frame-alpha must be above 0 and at most 1, got " + frameAlpha);
        }
        if (!(lightningThreshold > 0 && lightningThreshold <= 1)) {
            throw new IllegalArgumentException("lightning-threshold must be above 0 and at most 1 (fraction of the frame), got " + lightningThreshold);
        }
        if (dilateIterations < 0 || dilateIterations > 10) {
            throw new IllegalArgumentException("dilate-iterations must be 0..10, got " + dilateIterations);
        }
        if (warmupFrames < 0 || warmupFrames > 1000) {
            throw new IllegalArgumentException("warmup-frames must be 0..1000, got " + warmupFrames);
        }
        if (masks == null) {
            throw new IllegalArgumentException("masks must be a list (empty for none), got null");
        }
        for (int i = 0; i < masks.size(); i++) {
            NormalizedPoints m = masks.get(i);
            double[] xy = m == null ? null : m.xy();
            if (xy == null || xy.length % 2 != 0 || xy.length < 6) {
                throw new IllegalArgumentException("masks[" + i + "]: a mask polygon needs at least 3 points (x,y pairs), got " + m);
            }
            for (double v : xy) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("masks[" + i + "]: coordinate " + v + " is outside 0..1 (normalized to the frame)");
                }
            }
        }
        masks = List.copyOf(masks);
    }

    /** The defaults described on the components, without masks. */
    public static MotionSettings defaults() {
        return new MotionSettings(DEFAULT_FRAME_WIDTH_PX, DEFAULT_THRESHOLD, DEFAULT_CONTOUR_AREA_PX, DEFAULT_FRAME_ALPHA,
                DEFAULT_LIGHTNING_THRESHOLD, DEFAULT_DILATE_ITERATIONS, DEFAULT_WARMUP_FRAMES, List.of());
    }

    /** These settings with other masks. */
    public MotionSettings withMasks(List<NormalizedPoints> newMasks) {
        return new MotionSettings(frameWidthPx, threshold, contourAreaPx, frameAlpha, lightningThreshold,
                dilateIterations, warmupFrames, newMasks);
    }
}
