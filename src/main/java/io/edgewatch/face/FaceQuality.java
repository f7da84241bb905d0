package io.edgewatch.face;

import org.bytedeco.opencv.opencv_core.Mat;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

/**
 * The quality gate before embedding: minimum face size in pixels, sharpness (variance of the Laplacian of the
 * aligned grey face resampled to the face's own size in the frame, Pech-Pacheco et al. 2000), frontal pose from keypoint geometry (nose offset from the eye
 * midpoint along the eye line, divided by the eye distance: 0 frontal, about ±0.5 at a profile), and a grayscale/IR
 * flag (mean absolute difference between the colour channels of the aligned face below 2 levels). Thread-safe.
 *
 * @param minFacePx        minimum of face box width and height, pixels
 * @param minBlurVariance  minimum Laplacian variance of the aligned face (grey levels squared)
 * @param maxYaw           maximum |yaw ratio| (0..0.5)
 */
public record FaceQuality(double minFacePx, double minBlurVariance, double maxYaw) {

    /**
     * Measured quality of one face.
     *
     * @param facePx        min(box width, box height), pixels
     * @param blurVariance  Laplacian variance of the aligned grey face
     * @param yaw           nose offset ratio, signed
     * @param grayscale     true when the face has no colour (grayscale or IR frame)
     * @param passed        true when size, sharpness and pose pass
     * @param reason        why it failed, or null
     * @param weight        0..1 quality weight for ranking and for the per-track decision
     */
    public record Report(double facePx, double blurVariance, double yaw, boolean grayscale, boolean passed, String reason, double weight) { }

    /**
     * Grades a face.
     *
     * @param face    the detection (pixels)
     * @param aligned the aligned BGR face from {@link FaceAligner}
     */
    public Report assess(FaceDetection face, Mat aligned) {
        double facePx = Math.min(face.widthPx(), face.heightPx());
        double blur;
        double colour;
        try (Mat gray = new Mat(); Mat native_ = new Mat(); Mat lap = new Mat(); Mat mean = new Mat(); Mat std = new Mat()) {
            cvtColor(aligned, gray, COLOR_BGR2GRAY);
            // measured at the face's own resolution: an up-sampled small face would look blurred by construction
            int side = (int) Math.max(24, Math.min(aligned.cols(), Math.round(facePx)));
            org.bytedeco.opencv.global.opencv_imgproc.resize(gray, native_, new org.bytedeco.opencv.opencv_core.Size(side, side), 0, 0,
                    org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA);
            Laplacian(native_, lap, CV_64F);
            meanStdDev(lap, mean, std);
            double sd = std.createIndexer() instanceof org.bytedeco.javacpp.indexer.DoubleIndexer di ? di.get(0) : 0;
            blur = sd * sd;
            colour = colourfulness(aligned);
        }
        double ex = face.kx(FaceDetection.LEFT_EYE) - face.kx(FaceDetection.RIGHT_EYE);
        double ey = face.ky(FaceDetection.LEFT_EYE) - face.ky(FaceDetection.RIGHT_EYE);
        double eyeDist = Math.hypot(ex, ey);
        double mx = (face.kx(FaceDetection.LEFT_EYE) + face.kx(FaceDetection.RIGHT_EYE)) / 2;
        double my = (face.ky(FaceDetection.LEFT_EYE) + face.ky(FaceDetection.RIGHT_EYE)) / 2;
        double yaw = eyeDist < 1e-6 ? 1 : ((face.kx(FaceDetection.NOSE) - mx) * ex + (face.ky(FaceDetection.NOSE) - my) * ey) / (eyeDist * eyeDist);
        boolean grayscale = colour < 2.0;
        String reason = null;
        if (facePx < minFacePx) {
            reason = String.format("face %.0f px < %.0f px", facePx, minFacePx);
        } else if (blur < minBlurVariance) {
            reason = String.format("blurred: Laplacian variance %.0f < %.0f", blur, minBlurVariance);
        } else if (Math.abs(yaw) > maxYaw) {
            reason = String.format("not frontal: yaw ratio %.2f > %.2f", Math.abs(yaw), maxYaw);
        }
        double sizeW = Math.min(1, facePx / 112.0);
        double sharpW = Math.min(1, blur / (4 * Math.max(1, minBlurVariance)));
        double poseW = Math.max(0, 1 - Math.abs(yaw) / 0.5);
        double weight = face.score() * (0.4 + 0.6 * sizeW) * (0.5 + 0.5 * sharpW) * poseW;
        return new Report(facePx, blur, yaw, grayscale, reason == null, reason, weight);
    }

    /** Mean over pixels of (|B-G| + |G-R| + |R-B|) / 3, grey levels; 0 for a grey image. */
    static double colourfulness(Mat bgr) {
        var idx = bgr.createIndexer();
        org.bytedeco.javacpp.indexer.UByteIndexer u = (org.bytedeco.javacpp.indexer.UByteIndexer) idx;
        long rows = bgr.rows();
        long cols = bgr.cols();
        double sum = 0;
        for (long y = 0; y < rows; y++) {
            for (long x = 0; x < cols; x++) {
                int b = u.get(y, x, 0);
                int g = u.get(y, x, 1);
                int r = u.get(y, x, 2);
                sum += (Math.abs(b - g) + Math.abs(g - r) + Math.abs(r - b)) / 3.0;
            }
        }
        u.close();
        return sum / Math.max(1, rows * cols);
    }
}
