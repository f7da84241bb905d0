package io.edgewatch.face;

import io.edgewatch.inference.ModelException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes BlazeFace outputs (Bazarevsky et al. 2019, "BlazeFace: Sub-millisecond Neural Face Detection on Mobile
 * GPUs", arXiv 1907.05047; MediaPipe {@code SsdAnchorsCalculator} + {@code TensorsToDetectionsCalculator}) into
 * faces with six keypoints, with weighted non-maximum suppression (the paper's "blending" NMS: overlapping
 * candidates are averaged, weighted by score, instead of being dropped).
 *
 * <p>Anchors use a fixed anchor size (w = h = 1) and the centre of each grid cell. Consecutive layers with the same
 * stride share one grid, so their anchors are grouped per cell:
 * <ul>
 *   <li>full range: input 192, one layer of stride 4 (48x48 grid), one anchor per cell: 2304 anchors;</li>
 *   <li>short range: input 128, strides 8,16,16,16, two anchors per layer and cell: 16x16x2 + 8x8x6 = 896.</li>
 * </ul>
 * Regressor rows are {@code dx, dy, w, h, kx0, ky0, ..., kx5, ky5} in input pixels; {@code dx, dy} and the keypoints
 * are relative to the anchor centre. Immutable and thread-safe.
 */
public final class BlazeFaceDecoder {
    private final int inputSize;
    private final float[] anchors; // cx, cy pairs, normalized 0..1
    private final double minScore;
    private final double nmsIou;

    /**
     * @param inputSize input side, pixels (192 or 128)
     * @param strides   layer strides
     * @param anchorsPerLayerCell anchors per layer and grid cell
     * @param minScore  minimum score 0..1 of a candidate
     * @param nmsIou    IoU above which candidates are blended, 0..1
     */
    public BlazeFaceDecoder(int inputSize, int[] strides, int anchorsPerLayerCell, double minScore, double nmsIou) {
        this.inputSize = inputSize;
        this.anchors = anchors(inputSize, strides, anchorsPerLayerCell);
        this.minScore = minScore;
        this.nmsIou = nmsIou;
    }

    /**
     * The decoder for a BlazeFace model with the given input side and anchor count.
     *
     * @throws ModelException when the combination is neither full range (192, 2304) nor short range (128, 896)
     */
    public static BlazeFaceDecoder forModel(String modelName, int inputSize, int anchorCount, double minScore) {
        if (inputSize == 192 && anchorCount == 2304) {
            return new BlazeFaceDecoder(192, new int[]{4}, 1, minScore, 0.3);
        }
        if (inputSize == 128 && anchorCount == 896) {
            return new BlazeFaceDecoder(128, new int[]{8, 16, 16, 16}, 2, minScore, 0.3);
        }
        throw new ModelException("model " + modelName + ": input " + inputSize + "x" + inputSize + " with " + anchorCount
                + " anchors is neither BlazeFace full range (192, 2304) nor short range (128, 896)");
    }

    static float[] anchors(int inputSize, int[] strides, int perLayerCell) {
        List<float[]> out = new ArrayList<>();
        int layer = 0;
        while (layer < strides.length) {
            int last = layer;
            while (last + 1 < strides.length && strides[last + 1] == strides[layer]) {
                last++;
            }
            int perCell = (last - layer + 1) * perLayerCell;
            int grid = (int) Math.ceil((double) inputSize / strides[layer]);
            for (int y = 0; y < grid; y++) {
                for (int x = 0; x < grid; x++) {
                    for (int a = 0; a < perCell; a++) {
                        out.add(new float[]{(x + 0.5f) / grid, (y + 0.5f) / grid});
                    }
                }
            }
            layer = last + 1;
        }
        float[] flat = new float[out.size() * 2];
        for (int i = 0; i < out.size(); i++) {
            flat[2 * i] = out.get(i)[0];
            flat[2 * i + 1] = out.get(i)[1];
        }
        return flat;
    }

    /** Number of anchors. */
    public int anchorCount() {
        return anchors.length / 2;
    }

    /** Input side, pixels. */
    public int inputSize() {
        return inputSize;
    }

    /**
     * A decoded face in normalized input coordinates (0..1 of the square input).
     *
     * @param score     0..1
     * @param box       {@code xMin, yMin, xMax, yMax}
     * @param keypoints 12 values, x/y pairs
     */
    public record Candidate(double score, double[] box, double[] keypoints) { }

    /**
     * Decodes one inference.
     *
     * @param regressors {@code anchorCount x 16} floats
     * @param logits     {@code anchorCount} floats
     * @return faces after weighted NMS, best first
     */
    public List<Candidate> decode(float[] regressors, float[] logits) {
        int n = anchorCount();
        double s = inputSize;
        List<Candidate> raw = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double logit = Math.max(-100, Math.min(100, logits[i]));
            double score = 1 / (1 + Math.exp(-logit));
            if (score < minScore) {
                continue;
            }
            int o = i * 16;
            double ax = anchors[2 * i];
            double ay = anchors[2 * i + 1];
            double cx = regressors[o] / s + ax;
            double cy = regressors[o + 1] / s + ay;
            double w = regressors[o + 2] / s;
            double h = regressors[o + 3] / s;
            double[] kp = new double[12];
            for (int k = 0; k < 6; k++) {
                kp[2 * k] = regressors[o + 4 + 2 * k] / s + ax;
                kp[2 * k + 1] = regressors[o + 5 + 2 * k] / s + ay;
            }
            raw.add(new Candidate(score, new double[]{cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2}, kp));
        }
        return weightedNms(raw, nmsIou);
    }

    /** MediaPipe's WEIGHTED non-maximum suppression: each cluster becomes its score-weighted average. */
    static List<Candidate> weightedNms(List<Candidate> in, double iouThreshold) {
        List<Candidate> rest = new ArrayList<>(in);
        rest.sort((a, b) -> Double.compare(b.score(), a.score()));
        List<Candidate> out = new ArrayList<>();
        while (!rest.isEmpty()) {
            Candidate top = rest.get(0);
            double[] box = new double[4];
            double[] kp = new double[12];
            double total = 0;
            List<Candidate> keep = new ArrayList<>();
            for (Candidate c : rest) {
                if (c == top || iou(top.box(), c.box()) > iouThreshold) {
                    total += c.score();
                    for (int k = 0; k < 4; k++) {
                        box[k] += c.box()[k] * c.score();
                    }
                    for (int k = 0; k < 12; k++) {
                        kp[k] += c.keypoints()[k] * c.score();
                    }
                } else {
                    keep.add(c);
                }
            }
            for (int k = 0; k < 4; k++) {
                box[k] /= total;
            }
            for (int k = 0; k < 12; k++) {
                kp[k] /= total;
            }
            out.add(new Candidate(top.score(), box, kp));
            rest = keep;
        }
        return out;
    }

    static double iou(double[] a, double[] b) {
        double ix = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double iy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (ix <= 0 || iy <= 0) {
            return 0;
        }
        double inter = ix * iy;
        double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    @Override
    public String toString() {
        return "BlazeFaceDecoder[" + inputSize + ", " + anchorCount() + " anchors, min score " + minScore + ", NMS " + nmsIou + ", "
                + Arrays.toString(Arrays.copyOf(anchors, 4)) + "...]";
    }
}
