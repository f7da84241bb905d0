package io.edgewatch.face;

import io.edgewatch.inference.ImageTensorWriter;
import io.edgewatch.inference.ModelException;
import io.edgewatch.inference.TensorSpec;
import io.edgewatch.inference.TfliteModel;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Finds faces with a BlazeFace model (full or short range, manifest decoder {@code blazeface}) in a region of a BGR
 * image: the region is letterboxed (scaled to fit, centred, padded black, aspect ratio kept) into the square model
 * input, decoded by {@link BlazeFaceDecoder}, and mapped back to image pixels. Not thread-safe: one per camera.
 */
public final class FaceDetector implements AutoCloseable {
    private final TfliteModel model;
    private final ImageTensorWriter writer;
    private final BlazeFaceDecoder decoder;
    private final int regressorsIndex;
    private final int logitsIndex;
    private final float[] regressors;
    private final float[] logits;
    private final Mat square;
    private final Mat scaled = new Mat();
    private double lastMs;

    /**
     * @param model    a loaded BlazeFace model
     * @param minScore minimum face score 0..1 (MediaPipe uses 0.5 short range, 0.6 full range)
     * @throws ModelException when the outputs are not {@code [1,N,16]} regressors and {@code [1,N,1]} logits
     */
    public FaceDetector(TfliteModel model, double minScore) {
        if (model.manifest() != null && !"blazeface".equals(model.manifest().decoder())) {
            throw new ModelException("model " + model.name() + ": face detector decoder must be 'blazeface', manifest says " + model.manifest().decoder());
        }
        List<TensorSpec> outs = model.outputs();
        int reg = -1;
        int log = -1;
        for (int i = 0; i < outs.size(); i++) {
            int[] s = outs.get(i).shape();
            if (s.length == 3 && s[2] == 16) {
                reg = i;
            } else if (s.length == 3 && s[2] == 1) {
                log = i;
            }
        }
        if (reg < 0 || log < 0 || outs.get(reg).shape()[1] != outs.get(log).shape()[1]) {
            throw new ModelException("model " + model.name() + ": expected outputs [1,N,16] and [1,N,1], found " + outs);
        }
        this.model = model;
        this.writer = new ImageTensorWriter(model);
        if (writer.width() != writer.height()) {
            throw new ModelException("model " + model.name() + ": BlazeFace input must be square, is " + writer.width() + "x" + writer.height());
        }
        this.regressorsIndex = reg;
        this.logitsIndex = log;
        this.decoder = BlazeFaceDecoder.forModel(model.name(), writer.width(), outs.get(reg).shape()[1], minScore);
        this.regressors = new float[outs.get(reg).elementCount()];
        this.logits = new float[outs.get(log).elementCount()];
        this.square = new Mat(writer.height(), writer.width(), CV_8UC3, new Scalar(0, 0, 0, 0));
    }

    /** Faces in the whole image, best first. */
    public List<FaceDetection> detect(Mat bgr) {
        return detect(bgr, 0, 0, bgr.cols(), bgr.rows());
    }

    /**
     * Faces inside a region of {@code bgr} (clamped to the image), best first, in pixels of {@code bgr}.
     *
     * @param x left, pixels
     * @param y top, pixels
     * @param w width, pixels
     * @param h height, pixels
     */
    public List<FaceDetection> detect(Mat bgr, int x, int y, int w, int h) {
        long t0 = System.nanoTime();
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(bgr.cols(), x + w);
        int y1 = Math.min(bgr.rows(), y + h);
        if (x1 - x0 < 8 || y1 - y0 < 8) {
            return List.of();
        }
        int side = writer.width();
        double scale = (double) side / Math.max(x1 - x0, y1 - y0);
        int sw = Math.max(1, (int) Math.round((x1 - x0) * scale));
        int sh = Math.max(1, (int) Math.round((y1 - y0) * scale));
        int offX = (side - sw) / 2;
        int offY = (side - sh) / 2;
        square.put(new Scalar(0, 0, 0, 0));
        try (Rect r = new Rect(x0, y0, x1 - x0, y1 - y0); Mat roi = new Mat(bgr, r);
             Rect dstR = new Rect(offX, offY, sw, sh); Mat dst = new Mat(square, dstR)) {
            resize(roi, scaled, new Size(sw, sh), 0, 0, scale < 1 ? INTER_AREA : INTER_LINEAR);
            scaled.copyTo(dst);
        }
        writer.write(square, 0);
        model.invoke();
        model.readOutput(regressorsIndex, regressors);
        model.readOutput(logitsIndex, logits);
        List<FaceDetection> out = new ArrayList<>();
        for (BlazeFaceDecoder.Candidate c : decoder.decode(regressors, logits)) {
            double[] b = c.box();
            double[] kp = new double[12];
            for (int k = 0; k < 6; k++) {
                kp[2 * k] = x0 + (c.keypoints()[2 * k] * side - offX) / scale;
                kp[2 * k + 1] = y0 + (c.keypoints()[2 * k + 1] * side - offY) / scale;
            }
            out.add(new FaceDetection(c.score(), x0 + (b[0] * side - offX) / scale, y0 + (b[1] * side - offY) / scale,
                    x0 + (b[2] * side - offX) / scale, y0 + (b[3] * side - offY) / scale, kp));
        }
        lastMs = (System.nanoTime() - t0) / 1e6;
        return out;
    }

    /** Wall time of the last {@link #detect} call (letterbox, invoke, decode), ms. */
    public double lastMs() {
        return lastMs;
    }

    public TfliteModel model() {
        return model;
    }

    @Override
    public void close() {
        writer.close();
        square.close();
        scaled.close();
        model.close();
    }
}
