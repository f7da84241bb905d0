package io.edgewatch.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the four outputs of a TFLite SSD with the {@code TFLite_Detection_PostProcess} op (anchors and NMS are
 * already applied inside the graph): boxes {@code [1,N,4]} as (ymin, xmin, ymax, xmax) normalized, classes
 * {@code [1,N]} (label index as float), scores {@code [1,N]} (0..1), count {@code [1]}. Source: TFLite object
 * detection model card and {@code detection_postprocess.cc}; Coral {@code edgetpu} test data.
 */
public final class SsdPostprocessDecoder {
    private final LabelMap labels;
    private final DetectionFilter filter;

    public SsdPostprocessDecoder(LabelMap labels, DetectionFilter filter) {
        this.labels = labels;
        this.filter = filter;
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
