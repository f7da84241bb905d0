package io.edgewatch.eval;

import io.edgewatch.track.HungarianAssignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One sequence prepared for scoring, as TrackEval's MOTChallenge preprocessing leaves it (Luiten and Hoffhues,
 * TrackEval, 2020, {@code MotChallenge2DBox.get_preprocessed_seq_data}): per frame the ground-truth and result
 * ids (relabelled to 0..n-1 in ascending order of the original ids) and the IoU of every ground-truth box with
 * every result box.
 * <p>
 * "Do not care" ground truth (flag 0): in each frame the result boxes are matched to all ground-truth boxes
 * (Hungarian, maximum total IoU among pairs with IoU &gt;= 0.5); a result box matched to a do-not-care box is
 * removed, then the do-not-care boxes are removed. Neither counts anywhere.
 */
public final class EvalSequence {
    /** IoU at or above which a result box matched to a do-not-care box is removed (TrackEval's fixed 0.5). */
    public static final double DO_NOT_CARE_IOU = 0.5;
    /** numpy's {@code np.finfo('float').eps}, used by TrackEval in its threshold comparisons. */
    static final double EPS = Math.ulp(1.0);

    final int frames;
    final int[][] gtIds;
    final int[][] resultIds;
    /** [frame][gt][result] IoU. */
    final double[][][] similarity;
    final int numGtIds;
    final int numResultIds;
    final int numGtDets;
    final int numResultDets;
    final int doNotCareGtDets;
    final int removedResultDets;

    private EvalSequence(int frames, int[][] gtIds, int[][] resultIds, double[][][] similarity, int numGtIds,
                         int numResultIds, int numGtDets, int numResultDets, int doNotCareGtDets,
                         int removedResultDets) {
        this.frames = frames;
        this.gtIds = gtIds;
        this.resultIds = resultIds;
        this.similarity = similarity;
        this.numGtIds = numGtIds;
        this.numResultIds = numResultIds;
        this.numGtDets = numGtDets;
        this.numResultDets = numResultDets;
        this.doNotCareGtDets = doNotCareGtDets;
        this.removedResultDets = removedResultDets;
    }

    /**
     * Prepares frames 1..{@code frames}; rows of later frames must have been left out by the caller (see
     * {@link MotEvaluator}, which reports them).
     *
     * @throws IllegalArgumentException a row beyond {@code frames}, or one id twice in one frame of a file
     */
    public static EvalSequence prepare(List<MotRow> gt, List<MotRow> result, int frames) {
        if (frames < 0) {
            throw new IllegalArgumentException("frames must be >= 0, was " + frames);
        }
        List<List<MotRow>> gtByFrame = byFrame(gt, frames, "ground truth");
        List<List<MotRow>> resByFrame = byFrame(result, frames, "result");
        TreeSet<Integer> gtIdSet = new TreeSet<>();
        TreeSet<Integer> resIdSet = new TreeSet<>();
        List<MotRow[]> keptGt = new ArrayList<>(frames);
        List<MotRow[]> keptRes = new ArrayList<>(frames);
        int dncGt = 0;
        int removed = 0;
        for (int t = 0; t < frames; t++) {
            List<MotRow> g = gtByFrame.get(t);
            List<MotRow> r = resByFrame.get(t);
            boolean anyDnc = false;
            for (MotRow row : g) {
                anyDnc |= row.doNotCare();
            }
            boolean[] drop = new boolean[r.size()];
            if (anyDnc && !r.isEmpty()) {
                double[][] cost = new double[g.size()][r.size()];
                double[][] sim = new double[g.size()][r.size()];
                for (int i = 0; i < g.size(); i++) {
                    for (int j = 0; j < r.size(); j++) {
                        double s = iou(g.get(i), r.get(j));
                        sim[i][j] = s < DO_NOT_CARE_IOU - EPS ? 0 : s;
                        cost[i][j] = -sim[i][j];
                    }
                }
                int[] match = HungarianAssignment.solve(cost);
                for (int i = 0; i < match.length; i++) {
                    int j = match[i];
                    if (j >= 0 && sim[i][j] > EPS && g.get(i).doNotCare()) {
                        drop[j] = true;
                        removed++;
                    }
                }
            }
            List<MotRow> gk = new ArrayList<>(g.size());
            for (MotRow row : g) {
                if (row.doNotCare()) {
                    dncGt++;
                } else {
                    gk.add(row);
                    gtIdSet.add(row.id());
                }
            }
            List<MotRow> rk = new ArrayList<>(r.size());
            for (int j = 0; j < r.size(); j++) {
                if (!drop[j]) {
                    rk.add(r.get(j));
                    resIdSet.add(r.get(j).id());
                }
            }
            keptGt.add(gk.toArray(MotRow[]::new));
            keptRes.add(rk.toArray(MotRow[]::new));
        }
        int[] gtMap = sortedIds(gtIdSet);
        int[] resMap = sortedIds(resIdSet);
        int[][] gtIds = new int[frames][];
        int[][] resIds = new int[frames][];
        double[][][] sim = new double[frames][][];
        int nGt = 0;
        int nRes = 0;
        for (int t = 0; t < frames; t++) {
            MotRow[] g = keptGt.get(t);
            MotRow[] r = keptRes.get(t);
            gtIds[t] = new int[g.length];
            resIds[t] = new int[r.length];
            for (int i = 0; i < g.length; i++) {
                gtIds[t][i] = Arrays.binarySearch(gtMap, g[i].id());
            }
            for (int j = 0; j < r.length; j++) {
                resIds[t][j] = Arrays.binarySearch(resMap, r[j].id());
            }
            sim[t] = new double[g.length][r.length];
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < r.length; j++) {
                    sim[t][i][j] = iou(g[i], r[j]);
                }
            }
            nGt += g.length;
            nRes += r.length;
        }
        return new EvalSequence(frames, gtIds, resIds, sim, gtMap.length, resMap.length, nGt, nRes, dncGt, removed);
    }

    private static List<List<MotRow>> byFrame(List<MotRow> rows, int frames, String what) {
        List<List<MotRow>> out = new ArrayList<>(frames);
        for (int t = 0; t < frames; t++) {
            out.add(new ArrayList<>(4));
        }
        List<Set<Integer>> seen = new ArrayList<>(frames);
        for (int t = 0; t < frames; t++) {
            seen.add(new HashSet<>());
        }
        for (MotRow row : rows) {
            if (row.frame() > frames) {
                throw new IllegalArgumentException(what + " row in frame " + row.frame() + " beyond the " + frames
                        + " frames scored");
            }
            int t = row.frame() - 1;
            if (!seen.get(t).add(row.id())) {
                throw new IllegalArgumentException(what + " has id " + row.id() + " twice in frame " + row.frame());
            }
            out.get(t).add(row);
        }
        return out;
    }

    private static int[] sortedIds(TreeSet<Integer> ids) {
        int[] a = new int[ids.size()];
        int k = 0;
        for (int id : ids) {
            a[k++] = id;
        }
        return a;
    }

    static double iou(MotRow a, MotRow b) {
        return iou(a.left(), a.top(), a.width(), a.height(), b.left(), b.top(), b.width(), b.height());
    }

    /**
     * Intersection over union of two boxes given as left, top, width, height (pixels, no +1), in [0, 1]; 0 when
     * either box has no area, as TrackEval's {@code _calculate_box_ious}.
     */
    public static double iou(double l1, double t1, double w1, double h1, double l2, double t2, double w2, double h2) {
        double iw = Math.max(Math.min(l1 + w1, l2 + w2) - Math.max(l1, l2), 0);
        double ih = Math.max(Math.min(t1 + h1, t2 + h2) - Math.max(t1, t2), 0);
        double inter = iw * ih;
        double a1 = w1 * h1;
        double a2 = w2 * h2;
        double union = a1 + a2 - inter;
        if (a1 <= EPS || a2 <= EPS || union <= EPS) {
            return 0;
        }
        return inter / union;
    }

    /** Frames scored. */
    public int frames() {
        return frames;
    }

    /** Ground-truth boxes scored (do-not-care boxes excluded). */
    public int gtDets() {
        return numGtDets;
    }

    /** Distinct ground-truth ids scored. */
    public int gtIds() {
        return numGtIds;
    }

    /** Result boxes scored (those matched to do-not-care boxes excluded). */
    public int resultDets() {
        return numResultDets;
    }

    /** Distinct result ids scored. */
    public int resultIds() {
        return numResultIds;
    }

    /** Do-not-care ground-truth boxes left out. */
    public int doNotCareGtDets() {
        return doNotCareGtDets;
    }

    /** Result boxes left out because they matched a do-not-care box. */
    public int removedResultDets() {
        return removedResultDets;
    }
}
