package io.edgewatch.motion;

import io.edgewatch.config.NormalizedPoints;
import io.edgewatch.detect.BoxNorm;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.BORDER_DEFAULT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.contourArea;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.fillPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

/**
 * Motion detection on a small grayscale copy of each frame, after Frigate's {@code ImprovedMotionDetector}
 * (frigate/motion/improved_motion.py): the frame is shrunk to {@link MotionSettings#frameWidthPx} wide (bilinear to
 * twice that, then area averaging, which also averages sensor noise away) and converted to grey, blurred with a 3x3
 * Gaussian (sigma 1), and compared with a running-average background ({@code accumulateWeighted}, 32-bit float; the
 * background's grey levels are rounded to 8 bits for the difference); pixels that differ by
 * more than {@link MotionSettings#threshold} grey levels and lie outside the masks are dilated, and the bounding boxes
 * of the external contours of at least {@link MotionSettings#contourAreaPx} become motion boxes, merged where they
 * overlap or touch, normalized to the frame.
 *
 * <p>Background learning, as in Frigate: the first frame (and the first after a frame-size change) becomes the
 * background and the next {@link MotionSettings#warmupFrames} frames are learned at rate 0.2 without reporting motion
 * (Frigate's "calibrating"). When at least {@link MotionSettings#lightningThreshold} of the frame changes at once the
 * background is reset to that frame ({@link MotionResult#relearned()}) and the warm-up starts again. Otherwise the
 * background follows each frame at {@link MotionSettings#frameAlpha}, except while motion is seen: then the frame is
 * averaged in only once the motion has lasted {@value #PERSIST_FRAMES} frames, so a passing person does not leave a
 * trail in the background but a parked car is absorbed eventually. The same rule makes a lasting change below the
 * lightning threshold (a lamp lighting half the room, the people in the very first frame once they walk away) show as
 * motion for about {@code PERSIST_FRAMES + ln(largest difference / threshold) / frameAlpha} frames (about 110 at
 * the defaults and a difference of 80 grey levels). Unlike Frigate there is no contrast stretching: it amplifies sensor
 * noise in dark scenes.
 *
 * <p>One per camera; not thread-safe. Its buffers are sized for the small frame and reused from frame to frame (only
 * contour lists and the result are allocated per frame); a frame of another size re-initializes them and restarts the
 * learning. {@link #close()} frees them.
 */
public final class MotionDetector implements AutoCloseable {
    /** Background rate during the warm-up (Frigate's calibration rate). */
    static final double WARMUP_ALPHA = 0.2;
    /** Frames of continuous motion after which the frame is averaged into the background again (Frigate's 10). */
    static final int PERSIST_FRAMES = 10;

    private final MotionSettings settings;
    private final Mat doubleBgr = new Mat();
    private final Mat doubleGray = new Mat();
    private final Mat gray = new Mat();
    private final Mat blurred = new Mat();
    private final Mat background = new Mat();
    private final Mat background8 = new Mat();
    private final Mat delta = new Mat();
    private final Mat changed = new Mat();
    private final Mat dilated = new Mat();
    private final Mat hierarchy = new Mat();
    private final Mat kernel = new Mat(); // empty: OpenCV's 3x3 rectangle
    private final MatVector contours = new MatVector();
    private final Size blurSize = new Size(3, 3);
    private final Point anchor = new Point(-1, -1);
    private final Scalar borderValue = new Scalar(0);
    private Mat allowed; // CV_8UC1, 255 where motion counts; null without masks
    private Size smallSize;
    private Size doubleSize; // null when the frame is at most twice the working size
    private int frameWidth = -1;
    private int frameHeight = -1;
    private int width;
    private int height;
    private long allowedPixels;
    private boolean learned;
    private int warmupLeft;
    private int motionFrames;
    private long lastDetectNanos;
    private boolean closed;

    public MotionDetector(MotionSettings settings) {
        this.settings = settings;
    }

    public MotionSettings settings() {
        return settings;
    }

    /**
     * Analyses one frame.
     *
     * @param frame a full-resolution frame, 8-bit BGR (CV_8UC3; BGRA and grey also accepted), any size
     * @return the motion boxes and changed fraction of this frame
     * @throws IllegalArgumentException for an empty frame or another pixel type
     * @throws IllegalStateException    after {@link #close()}
     */
    public MotionResult detect(Mat frame) {
        return detect(frame, null);
    }

    /**
     * Analyses one frame, given with a small grey copy made elsewhere (the capture scales the decoder's luma plane
     * straight to the working size, which costs a fraction of shrinking the BGR frame).
     *
     * @param frame a full-resolution frame, 8-bit BGR (CV_8UC3; BGRA and grey also accepted), any size
     * @param grey  null, or the frame in full-range 8-bit grey (CV_8UC1) at the working size ({@link #workingSize()}
     *              for this frame size: {@code frame-width} pixels wide at most, the height in proportion); a copy of
     *              another size or type is ignored and the frame shrunk instead
     * @return the motion boxes and changed fraction of this frame
     * @throws IllegalArgumentException for an empty frame or another pixel type
     * @throws IllegalStateException    after {@link #close()}
     */
    public MotionResult detect(Mat frame, Mat grey) {
        long t0 = System.nanoTime();
        if (closed) {
            throw new IllegalStateException("motion detector is closed");
        }
        if (frame == null || frame.empty() || frame.depth() != CV_8U
                || (frame.channels() != 3 && frame.channels() != 1 && frame.channels() != 4)) {
            throw new IllegalArgumentException("motion detection needs an 8-bit BGR frame, got "
                    + (frame == null || frame.empty() ? "an empty one" : "depth " + frame.depth() + " with " + frame.channels() + " channels"));
        }
        if (frame.cols() != frameWidth || frame.rows() != frameHeight) {
            init(frame.cols(), frame.rows());
        }
        if (grey != null && grey.cols() == width && grey.rows() == height && grey.type() == CV_8UC1) {
            GaussianBlur(grey, blurred, blurSize, 1.0, 1.0, BORDER_DEFAULT, 0);
        } else {
            shrink(frame);
        }
        MotionResult r = analyse();
        lastDetectNanos = System.nanoTime() - t0;
        return r;
    }

    private MotionResult analyse() {
        if (!learned) {
            relearn();
            learned = true;
            return new MotionResult(List.of(), 0, false);
        }
        background.convertTo(background8, CV_8U);
        absdiff(blurred, background8, delta);
        threshold(delta, changed, settings.threshold(), 255, THRESH_BINARY);
        if (allowed != null) {
            bitwise_and(changed, allowed, changed);
        }
        double fraction = allowedPixels == 0 ? 0 : (double) countNonZero(changed) / allowedPixels;
        if (fraction >= settings.lightningThreshold()) {
            relearn();
            return new MotionResult(List.of(), fraction, true);
        }
        if (warmupLeft > 0) {
            warmupLeft--;
            accumulateWeighted(blurred, background, WARMUP_ALPHA);
            return new MotionResult(List.of(), fraction, false);
        }
        List<BoxNorm> boxes = fraction == 0 ? List.of() : boxes();
        if (boxes.isEmpty()) {
            motionFrames = 0;
            accumulateWeighted(blurred, background, settings.frameAlpha());
        } else if (++motionFrames >= PERSIST_FRAMES) {
            accumulateWeighted(blurred, background, settings.frameAlpha());
        }
        return new MotionResult(boxes, fraction, false);
    }

    private List<BoxNorm> boxes() {
        Mat m = changed;
        if (settings.dilateIterations() > 0) {
            dilate(changed, dilated, kernel, anchor, settings.dilateIterations(), BORDER_CONSTANT, borderValue);
            if (allowed != null) {
                bitwise_and(dilated, allowed, dilated);
            }
            m = dilated;
        }
        findContours(m, contours, hierarchy, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
        List<int[]> rects = new ArrayList<>();
        for (long i = 0; i < contours.size(); i++) {
            try (Mat c = contours.get(i)) {
                if (contourArea(c) >= settings.contourAreaPx()) {
                    try (Rect r = boundingRect(c)) {
                        rects.add(new int[]{r.x(), r.y(), r.x() + r.width(), r.y() + r.height()});
                    }
                }
            }
        }
        List<int[]> merged = merge(rects);
        List<BoxNorm> out = new ArrayList<>(merged.size());
        for (int[] r : merged) {
            out.add(new BoxNorm((double) r[0] / width, (double) r[1] / height, (double) r[2] / width, (double) r[3] / height));
        }
        return out;
    }

    /**
     * Merges rectangles {@code {x0, y0, x1, y1}} (end exclusive) that overlap or touch into their union until none
     * do. Quadratic per pass; the contour-area filter keeps the count small.
     */
    static List<int[]> merge(List<int[]> rects) {
        List<int[]> out = new ArrayList<>(rects.size());
        for (int[] r : rects) {
            out.add(r.clone());
        }
        boolean changedAny = true;
        while (changedAny) {
            changedAny = false;
            for (int i = 0; i < out.size(); i++) {
                int[] a = out.get(i);
                for (int j = out.size() - 1; j > i; j--) {
                    int[] b = out.get(j);
                    if (a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]) {
                        a[0] = Math.min(a[0], b[0]);
                        a[1] = Math.min(a[1], b[1]);
                        a[2] = Math.max(a[2], b[2]);
                        a[3] = Math.max(a[3], b[3]);
                        out.remove(j);
                        changedAny = true;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Frame to small grey copy in two steps: bilinear to twice the working size (cost bounded by the output, whatever
     * the frame size), then area averaging by exactly 2 (fast in OpenCV, and every small pixel averages 4 samples
     * spread over its source area). A direct area resize by a non-integer factor took 1.6 ms at 768x576 and 5.8 ms
     * at 1536x1152 on the project's 2-core machine, the two steps 0.6-0.9 ms at either size. Frames at most twice the
     * working size are converted to grey and area-resized directly.
     */
    private void shrink(Mat frame) {
        Mat src = frame;
        if (doubleSize != null) {
            resize(frame, doubleBgr, doubleSize, 0, 0, INTER_LINEAR);
            src = doubleBgr;
        }
        if (src.channels() == 1) {
            resize(src, gray, smallSize, 0, 0, INTER_AREA);
        } else {
            cvtColor(src, doubleGray, src.channels() == 3 ? COLOR_BGR2GRAY : COLOR_BGRA2GRAY);
            resize(doubleGray, gray, smallSize, 0, 0, INTER_AREA);
        }
        GaussianBlur(gray, blurred, blurSize, 1.0, 1.0, BORDER_DEFAULT, 0);
    }

    private void relearn() {
        blurred.convertTo(background, CV_32F);
        warmupLeft = settings.warmupFrames();
        motionFrames = 0;
    }

    private void init(int w, int h) {
        frameWidth = w;
        frameHeight = h;
        width = Math.min(settings.frameWidthPx(), w);
        height = Math.max(1, (int) Math.round((double) h * width / w));
        if (smallSize != null) {
            smallSize.close();
        }
        smallSize = new Size(width, height);
        if (doubleSize != null) {
            doubleSize.close();
            doubleSize = null;
        }
        if (w > 2 * width && h > 2 * height) {
            doubleSize = new Size(2 * width, 2 * height);
        }
        if (allowed != null) {
            allowed.close();
            allowed = null;
        }
        allowedPixels = (long) width * height;
        if (!settings.masks().isEmpty()) {
            allowed = new Mat(height, width, CV_8UC1, new Scalar(255));
            try (MatVector polys = new MatVector(); Scalar black = new Scalar(0)) {
                for (NormalizedPoints p : settings.masks()) {
                    double[] xy = p.xy();
                    Mat pts = new Mat(xy.length / 2, 1, CV_32SC2);
                    try (IntIndexer ix = pts.createIndexer()) {
                        for (int i = 0; i < xy.length / 2; i++) {
                            ix.put(i, 0, 0, (int) Math.round(xy[2 * i] * width));
                            ix.put(i, 0, 1, (int) Math.round(xy[2 * i + 1] * height));
                        }
                    }
                    polys.push_back(pts);
                    pts.close();
                }
                fillPoly(allowed, polys, black);
            }
            allowedPixels = countNonZero(allowed);
        }
        learned = false;
    }

    /** Width x height of the small working frame, pixels ({@code {-1, -1}} before the first frame). */
    public int[] workingSize() {
        return frameWidth < 0 ? new int[]{-1, -1} : new int[]{width, height};
    }

    /**
     * Whether the next frame will only be learned (no motion reported): before the first frame and during the warm-up
     * after it or after a re-learn.
     */
    public boolean learning() {
        return !learned || warmupLeft > 0;
    }

    /** Wall time the last {@link #detect} took, nanoseconds (0 before the first). */
    public long lastDetectNanos() {
        return lastDetectNanos;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Mat m : new Mat[]{doubleBgr, doubleGray, gray, blurred, background, background8, delta, changed, dilated, hierarchy, kernel, allowed}) {
            if (m != null) {
                m.close();
            }
        }
        contours.close();
        blurSize.close();
        anchor.close();
        borderValue.close();
        if (smallSize != null) {
            smallSize.close();
        }
        if (doubleSize != null) {
            doubleSize.close();
        }
    }
}
