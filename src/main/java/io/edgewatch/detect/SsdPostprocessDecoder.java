package io.edgewatch.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the four outputs of a TFLite SSD with the {@code TFLite_Detection_PostProcess} op (anchors and NMS are
 * already applied inside the graph): boxes {@code [1,N,4]} as (ymin, xmin, ymax, xmax) normalized, classes
 * {@code [1,N]} (label index as float), scores {@code [1,N]} (0..1), count {@code [1]}. Source: TFLite object
 * detection model card and {@code detection_postprocess.cc}; Coral {@code edgetpu} test data.
 */
public final class SsdPostprocessDecoder implements DetectionDecoder {
    /** The manifest's {@code decoder} name of this layout. */
    public static final String NAME = "ssd-postprocess";

    private final LabelMap labels;
    private final DetectionFilter filter;
    private float[] boxes;
    private float[] classes;
    private float[] scores;
    private final float[] count = new float[1];

    public SsdPostprocessDecoder(LabelMap labels, DetectionFilter filter) {
        this.labels = labels;
        this.filter = filter;
    }

    /**
     * A decoder for one loaded model.
     *
     * @throws io.edgewatch.inference.ModelException when the model does not have the four post-process outputs
     */
    public static SsdPostprocessDecoder forModel(io.edgewatch.inference.TfliteModel model, LabelMap labels, DetectionFilter filter) {
        if (model.outputs().size() != 4) {
            throw new io.edgewatch.inference.ModelException("model " + model.name()
                    + ": expected 4 outputs (boxes, classes, scores, count) of decoder " + NAME + ", found " + model.outputs());
        }
        SsdPostprocessDecoder d = new SsdPostprocessDecoder(labels, filter);
        d.boxes = new float[model.outputs().get(0).elementCount()];
        d.classes = new float[model.outputs().get(1).elementCount()];
        d.scores = new float[model.outputs().get(2).elementCount()];
        return d;
    }

    @Override
    public List<Detection> decode(io.edgewatch.inference.TfliteModel model) {
        if (boxes == null) {
            throw new IllegalStateException("decoder made without a model: use forModel");
        }
        model.readOutput(0, boxes);
        model.readOutput(1, classes);
        model.readOutput(2, scores);
        model.readOutput(3, count);
        return decode(boxes, classes, scores, Math.round(count[0]));
    }

    /**
     * @param boxes   {@code 4*N} floats
     * @param classes {@code N} floats
     * @param scores  {@code N} floats
     * @param count   number of valid rows (clamped to 0..N)
     * @return detections the filter grades confident or weak, boxes clamped to 0..1, in model order (score-descending)
     */
    public List<Detection> decode(float[] boxes, float[] classes, float[] scores, int count) {
        int n = Math.max(0, Math.min(count, scores.length));
        List<Detection> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double score = scores[i];
            if (!(score >= filter.lowestThreshold())) {
                continue; // also skips NaN
            }
            int cls = Math.round(classes[i]);
            BoxNorm box = new BoxNorm(boxes[4 * i + 1], boxes[4 * i], boxes[4 * i + 3], boxes[4 * i + 2]).clamped();
            if (box.area() <= 0) {
                continue;
            }
            Detection d = new Detection(cls, labels.name(cls), score, box);
            if (filter.grade(d) != DetectionFilter.Grade.REJECTED) {
                out.add(d);
            }
        }
        return out;
    }
}
