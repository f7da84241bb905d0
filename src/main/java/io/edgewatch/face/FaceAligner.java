package io.edgewatch.face;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * Aligns a face to the standard ArcFace 112x112 five-point template (Deng et al. 2019, arXiv 1801.07698;
 * insightface {@code arcface_dst}) with a similarity transform (rotation, uniform scale, translation) fitted by least
 * squares to four BlazeFace keypoints: both eyes, the nose tip and the mouth centre (BlazeFace has no mouth corners,
 * so the template's mouth corners are averaged), then OpenCV {@code warpAffine}. The template is scaled to the
 * embedder's input size. Not thread-safe.
 *
 * <p>Why not OpenCV {@code estimateAffinePartial2D}: it lives in the calib3d module, whose Bytedeco preset loads
 * highgui, whose native library links GTK 2 ({@code libgtk-x11-2.0.so.0}) on linux-x86_64 and linux-arm64. An edge
 * box or the Docker image has no GTK, and face processing failed there with an {@code UnsatisfiedLinkError} (found
 * by the arm64 proof). With all points inliers, as here, that function's result is the least-squares similarity,
 * which has a closed form (Umeyama 1991, IEEE TPAMI 13(4)): {@link #similarity}.
 */
public final class FaceAligner implements AutoCloseable {
    /** ArcFace template for 112x112: left eye, right eye (image left to right), nose, left and right mouth corner. */
    static final double[] ARCFACE_112 = {38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041};

    private final int width;
    private final int height;
    private final double[] dst;

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
        this.dst = new double[]{
                t[0] * sx, t[1] * sy,
                t[2] * sx, t[3] * sy,
                t[4] * sx, t[5] * sy,
                (t[6] + t[8]) / 2 * sx, (t[7] + t[9]) / 2 * sy};
    }

    /**
     * Least-squares similarity transform from {@code src} to {@code dst} points: minimises
     * {@code sum |s R p_i + t - q_i|^2} over scale s, rotation R and translation t (Umeyama 1991, 2-D closed form).
     *
     * @param src n points {@code x0,y0,x1,y1,...} (n >= 2), any unit
     * @param dst n points, same length
     * @return the 2x3 matrix row-major {@code {a, -b, tx, b, a, ty}} with {@code a = s cos(theta)}, {@code b = s sin(theta)}
     * @throws IllegalArgumentException when the lengths differ or are odd or below 4, or the source points coincide
     */
    static double[] similarity(double[] src, double[] dst) {
        if (src.length != dst.length || src.length < 4 || src.length % 2 != 0) {
            throw new IllegalArgumentException("similarity needs two equal lists of at least 2 points, got " + src.length + " and " + dst.length + " values");
        }
        int n = src.length / 2;
        double msx = 0, msy = 0, mdx = 0, mdy = 0;
        for (int i = 0; i < n; i++) {
            msx += src[2 * i];
            msy += src[2 * i + 1];
            mdx += dst[2 * i];
            mdy += dst[2 * i + 1];
        }
        msx /= n;
        msy /= n;
        mdx /= n;
        mdy /= n;
        double ss = 0, p = 0, q = 0;
        for (int i = 0; i < n; i++) {
            double xs = src[2 * i] - msx, ys = src[2 * i + 1] - msy;
            double xd = dst[2 * i] - mdx, yd = dst[2 * i + 1] - mdy;
            ss += xs * xs + ys * ys;
            p += xs * xd + ys * yd;
            q += xs * yd - ys * xd;
        }
        if (!(ss > 1e-9)) {
            throw new IllegalArgumentException("face keypoints are degenerate (they coincide): no similarity transform");
        }
        double a = p / ss, b = q / ss;
        return new double[]{a, -b, mdx - (a * msx - b * msy), b, a, mdy - (b * msx + a * msy)};
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
        double[] src = {face.kx(l), face.ky(l), face.kx(r), face.ky(r),
                face.kx(FaceDetection.NOSE), face.ky(FaceDetection.NOSE), face.kx(FaceDetection.MOUTH), face.ky(FaceDetection.MOUTH)};
        double[] m = similarity(src, dst);
        if (!Double.isFinite(m[0]) || !Double.isFinite(m[3])) {
            throw new IllegalArgumentException("face keypoints are degenerate: no similarity transform");
        }
        try (Mat affine = new Mat(2, 3, CV_64F)) {
            affine.getDoubleBuffer().put(m);
            Mat out = new Mat();
            warpAffine(bgr, out, affine, new Size(width, height), INTER_LINEAR, 0, new org.bytedeco.opencv.opencv_core.Scalar(0, 0, 0, 0));
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
        // nothing native is held; kept AutoCloseable for the analyzer's resource handling
    }
}
