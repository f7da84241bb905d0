package io.edgewatch.face;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_calib3d.RANSAC;
import static org.bytedeco.opencv.global.opencv_calib3d.estimateAffinePartial2D;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * Aligns a face to the standard ArcFace 112x112 five-point template (Deng et al. 2019, arXiv 1801.07698;
 * insightface {@code arcface_dst}) with a similarity transform (rotation, uniform scale, translation) estimated by
 * OpenCV {@code estimateAffinePartial2D} from four BlazeFace keypoints: both eyes, the nose tip and the mouth
 * centre (BlazeFace has no mouth corners, so the template's mouth corners are averaged). The template is scaled to
 * the embedder's input size. Not thread-safe (reuses buffers).
 */
public final class FaceAligner implements AutoCloseable {
    /** ArcFace template for 112x112: left eye, right eye (image left to right), nose, left and right mouth corner. */
    static final double[] ARCFACE_112 = {38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041};

    private final int width;
    private final int height;
    private final Mat dst;

    /**
     * @param width  output width, pixels (the embedder's input width; 112 for MobileFaceNet)
     * @param height output height, pixels
     */
    public FaceAligner(int width, int height) {
        this.width = width;
        this.height = height;
        double sx = width / 112.0;
        double sy = height / 112.0;
        double[] t = ARCFACE_112;
        float[] pts = {
                (float) (t[0] * sx), (float) (t[1] * sy),
                (float) (t[2] * sx), (float) (t[3] * sy),
                (float) (t[4] * sx), (float) (t[5] * sy),
                (float) ((t[6] + t[8]) / 2 * sx), (float) ((t[7] + t[9]) / 2 * sy)};
        this.dst = new Mat(4, 1, CV_32FC2);
        dst.getFloatBuffer().put(pts);
    }

    /**
     * The aligned face, {@code width x height} BGR (CV_8UC3); the caller closes it.
     *
     * @param bgr  the image the face was detected in
     * @param face detection in pixels of {@code bgr}
     * @throws IllegalArgumentException when no transform can be estimated (degenerate keypoints)
     */
    public Mat align(Mat bgr, FaceDetection face) {
        // the eye seen on the image's left goes to the template's left eye, whatever BlazeFace calls it
        int l = face.kx(FaceDetection.RIGHT_EYE) <= face.kx(FaceDetection.LEFT_EYE) ? FaceDetection.RIGHT_EYE : FaceDetection.LEFT_EYE;
        int r = l == FaceDetection.RIGHT_EYE ? FaceDetection.LEFT_EYE : FaceDetection.RIGHT_EYE;
        float[] src = {(float) face.kx(l), (float) face.ky(l), (float) face.kx(r), (float) face.ky(r),
                (float) face.kx(FaceDetection.NOSE), (float) face.ky(FaceDetection.NOSE),
                (float) face.kx(FaceDetection.MOUTH), (float) face.ky(FaceDetection.MOUTH)};
        try (Mat from = new Mat(4, 1, CV_32FC2); Mat inliers = new Mat()) {
            from.getFloatBuffer().put(src);
            // a large reprojection threshold keeps all four points as inliers: a least-squares fit, then LM refinement
            Mat m = estimateAffinePartial2D(from, dst, inliers, RANSAC, 1e4, 2000, 0.99, 10);
            if (m == null || m.empty()) {
                throw new IllegalArgumentException("face keypoints are degenerate: no similarity transform");
            }
            Mat out = new Mat();
            warpAffine(bgr, out, m, new Size(width, height), INTER_LINEAR, 0, new org.bytedeco.opencv.opencv_core.Scalar(0, 0, 0, 0));
            m.close();
            return out;
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    @Override
    public void close() {
        dst.close();
    }
}
