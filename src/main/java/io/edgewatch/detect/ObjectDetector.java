package io.edgewatch.detect;

import io.edgewatch.inference.ImageTensorWriter;
import io.edgewatch.inference.ModelException;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.List;

/**
 * Runs an object detector on BGR frames or regions of them: pre-process ({@link ImageTensorWriter}), invoke
 * ({@link TfliteModel}), decode (the {@link DetectionDecoder} the manifest names), keeping the three apart. Reports the time of
 * each stage of the last call. Not thread-safe: one per interpreter (the {@link DetectorService} owns them).
 */
public final class ObjectDetector implements AutoCloseable {
    private final TfliteModel model;
    private final ImageTensorWriter writer;
    private final DetectionDecoder decoder;
    private final DetectionFilter filter;
    private double preprocessMs;
    private double invokeMs;
    private double postprocessMs;

    /**
     * @param model  a loaded model whose manifest names a known decoder ({@link DetectionDecoders})
     * @param filter label allow-list and thresholds
     * @throws ModelException when the manifest names no known decoder or the outputs do not fit it
     */
    public ObjectDetector(TfliteModel model, DetectionFilter filter) {
        ModelManifest m = model.manifest();
        if (m == null) {
            throw new ModelException("model " + model.name() + ": a detector needs a manifest naming its decoder, one of " + DetectionDecoders.names());
        }
        this.model = model;
        this.writer = new ImageTensorWriter(model);
        LabelMap labels = m.labels() == null ? LabelMap.empty() : LabelMap.read(m.labelsPath(), m.labels().format());
        for (String l : filter.allowedLabels()) {
            if (!labels.contains(l)) {
                throw new ModelException("label '" + l + "' of the class allow-list is not in " + m.labelsPath());
            }
        }
        this.decoder = DetectionDecoders.create(m.decoder(), model, labels, filter);
        this.filter = filter;
    }

    /** The filter grading this detector's output. */
    public DetectionFilter filter() {
        return filter;
    }

    /** Detects objects in one BGR frame (CV_8UC3, any size); returns confident and weak detections (see {@link DetectionFilter}). */
    public List<Detection> detect(Mat bgr) {
        long t0 = System.nanoTime();
        writer.write(bgr, 0);
        return run(t0);
    }

    /**
     * Detects objects in one region of a BGR frame: the region is cropped (a view, no copy) and resized to the model
     * input. Boxes are normalized to the region; map them with {@link Region#toFrame} or {@link DetectionMerger#toFrame}.
     *
     * @throws IllegalArgumentException when the region reaches outside the frame
     */
    public List<Detection> detect(Mat bgr, Region r) {
        if (r.fullFrame() || (r.x() == 0 && r.y() == 0 && r.width() == bgr.cols() && r.height() == bgr.rows())) {
            return detect(bgr);
        }
        if (r.x() + r.width() > bgr.cols() || r.y() + r.height() > bgr.rows()) {
            throw new IllegalArgumentException("region " + r + " reaches outside the " + bgr.cols() + "x" + bgr.rows() + " frame");
        }
        long t0 = System.nanoTime();
        try (org.bytedeco.opencv.opencv_core.Rect rect = new org.bytedeco.opencv.opencv_core.Rect(r.x(), r.y(), r.width(), r.height());
             Mat roi = new Mat(bgr, rect)) {
            writer.write(roi, 0);
        }
        return run(t0);
    }

    /** Model input side, pixels (the larger of width and height). */
    public int inputSidePx() {
        return Math.max(writer.width(), writer.height());
    }

    private List<Detection> run(long t0) {
        long t1 = System.nanoTime();
        invokeMs = model.invoke();
        long t2 = System.nanoTime();
        List<Detection> d = decoder.decode(model);
        long t3 = System.nanoTime();
        preprocessMs = (t1 - t0) / 1e6;
        postprocessMs = (t3 - t2) / 1e6;
        return d;
    }

    /** Pre-processing time of the last call, ms. */
    public double preprocessMs() {
        return preprocessMs;
    }

    /** Invoke time of the last call, ms. */
    public double invokeMs() {
        return invokeMs;
    }

    /** Decoding time of the last call, ms. */
    public double postprocessMs() {
        return postprocessMs;
    }

    public TfliteModel model() {
        return model;
    }

    @Override
    public void close() {
        writer.close();
        model.close();
    }
}
