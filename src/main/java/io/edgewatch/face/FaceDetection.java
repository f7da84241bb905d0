package io.edgewatch.face;

/**
 * One face found by {@link FaceDetector}, in pixels of the frame (or photo) it was found in.
 *
 * @param score       detection score 0..1 (sigmoid of the BlazeFace logit)
 * @param xMin        left edge, pixels
 * @param yMin        top edge, pixels
 * @param xMax        right edge, pixels
 * @param yMax        bottom edge, pixels
 * @param keypointsPx six keypoints as 12 values {@code x0,y0,...,x5,y5} in pixels, in BlazeFace order: right eye,
 *                    left eye, nose tip, mouth centre, right ear tragion, left ear tragion (the subject's right and
 *                    left, model card "MediaPipe BlazeFace")
 */
public record FaceDetection(double score, double xMin, double yMin, double xMax, double yMax, double[] keypointsPx) {

    /** Keypoint indices into {@link #keypointsPx} pairs. */
    public static final int RIGHT_EYE = 0, LEFT_EYE = 1, NOSE = 2, MOUTH = 3, RIGHT_EAR = 4, LEFT_EAR = 5;

    /** Box width, pixels. */
    public double widthPx() {
        return Math.max(0, xMax - xMin);
    }

    /** Box height, pixels. */
    public double heightPx() {
        return Math.max(0, yMax - yMin);
    }

    /** x of keypoint {@code k}, pixels. */
    public double kx(int k) {
        return keypointsPx[2 * k];
    }

    /** y of keypoint {@code k}, pixels. */
    public double ky(int k) {
        return keypointsPx[2 * k + 1];
    }

    /** Centre x, pixels. */
    public double centerX() {
        return (xMin + xMax) / 2;
    }

    /** Centre y, pixels. */
    public double centerY() {
        return (yMin + yMax) / 2;
    }
}
