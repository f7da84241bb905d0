package io.edgewatch.eval;

import io.edgewatch.track.HungarianAssignment;

import java.util.Arrays;

/**
 * CLEAR MOT metrics (Bernardin and Stiefelhagen, "Evaluating Multiple Object Tracking Performance: The CLEAR MOT
 * Metrics", EURASIP JIVP 2008) as TrackEval computes them ({@code trackeval/metrics/clear.py}).
 * <p>
 * In each frame ground truth and results are matched one-to-one by the Hungarian method, only pairs with
 * IoU &gt;= {@code threshold} being eligible, maximising first the number of pairs that continue a match of the
 * previous frame and then the total IoU. An ID switch is a matched ground-truth object whose result id differs from
 * the one it was last matched to (any number of frames earlier). A fragmentation is each time after the first that
 * an object becomes matched while it was not matched in the previous frame; as in TrackEval a frame without any
 * ground truth or without any result does not interrupt that "previous frame".
 *
 * @param mota        1 - (FN + FP + IDSW) / GT dets, in (-inf, 1]
 * @param motp        mean IoU of the matched pairs, in [0, 1] (TrackEval's form; the paper's is a distance)
 * @param moda        1 - (FN + FP) / GT dets
 * @param recall      matches / GT dets
 * @param precision   matches / (matches + FP)
 * @param matches     matched pairs (CLR_TP)
 * @param falsePositives result boxes not matched
 * @param falseNegatives ground-truth boxes not matched
 * @param idSwitches  ID switches
 * @param fragmentations fragmentations (TrackEval's Frag)
 * @param gtDets      ground-truth boxes scored (matches + FN)
 * @param gtIds       distinct ground-truth objects
 * @param mostlyTracked objects matched in more than 80% of their frames
 * @param partiallyTracked objects matched in 20% to 80% of their frames
 * @param mostlyLost  objects matched in less than 20% of their frames
 * @param frames      frames scored
 */
public record ClearMot(double mota, double motp, double moda, double recall, double precision, int matches,
                       int falsePositives, int falseNegatives, int idSwitches, int fragmentations, int gtDets,
                       int gtIds, int mostlyTracked, int partiallyTracked, int mostlyLost, int frames) {

    /** The default IoU threshold, 0.5. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    /** Scores a prepared sequence with a match threshold in (0, 1]. */
    public static ClearMot compute(EvalSequence s, double threshold) {
        checkThreshold(threshold);
        final double eps = EvalSequence.EPS;
        if (s.numResultDets == 0) {
            return finish(0, 0, 0, s.numGtDets, 0, 0, s.numGtIds, 0, 0, s.numGtIds, s.frames);
        }
        if (s.numGtDets == 0) {
            return finish(0, 0, s.numResultDets, 0, 0, 0, s.numGtIds, 0, 0, 0, s.frames);
        }
        int n = s.numGtIds;
        int[] gtCount = new int[n];
        int[] gtMatched = new int[n];
        int[] fragCount = new int[n];
        int[] prevId = new int[n];          // last result id matched to each object, -1 = never
        int[] prevStepId = new int[n];      // result id matched in the previous (processed) frame, -1 = none
        Arrays.fill(prevId, -1);
        Arrays.fill(prevStepId, -1);
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int idsw = 0;
        double motpSum = 0;
        for (int t = 0; t < s.frames; t++) {
            int[] g = s.gtIds[t];
            int[] r = s.resultIds[t];
            if (g.length == 0) {
                fp += r.length;
                continue;
            }
            if (r.length == 0) {
                fn += g.length;
                for (int id : g) {
                    gtCount[id]++;
                }
                continue;
            }
            double[][] sim = s.similarity[t];
            double[][] score = new double[g.length][r.length];
            double[][] cost = new double[g.length][r.length];
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < r.length; j++) {
                    double v = sim[i][j] < threshold - eps ? 0 : (prevStepId[g[i]] == r[j] ? 1000 : 0) + sim[i][j];
                    score[i][j] = v;
                    cost[i][j] = -v;
                }
            }
            int[] match = HungarianAssignment.solve(cost);
            int[] matchedResult = new int[g.length];
            Arrays.fill(matchedResult, -1);
            int matchesNow = 0;
            for (int i = 0; i < g.length; i++) {
                int j = match[i];
                if (j >= 0 && score[i][j] > eps) {
                    matchedResult[i] = r[j];
                    matchesNow++;
                    motpSum += sim[i][j];
                    int gid = g[i];
                    if (prevId[gid] >= 0 && prevId[gid] != r[j]) {
                        idsw++;
                    }
                }
            }
            boolean[] notPrevTracked = new boolean[n];
            for (int k = 0; k < n; k++) {
                notPrevTracked[k] = prevStepId[k] < 0;
            }
            Arrays.fill(prevStepId, -1);
            for (int i = 0; i < g.length; i++) {
                int gid = g[i];
                gtCount[gid]++;
                if (matchedResult[i] >= 0) {
                    gtMatched[gid]++;
                    prevId[gid] = matchedResult[i];
                    prevStepId[gid] = matchedResult[i];
                    if (notPrevTracked[gid]) {
                        fragCount[gid]++;
                    }
                }
            }
            tp += matchesNow;
            fn += g.length - matchesNow;
            fp += r.length - matchesNow;
        }
        int mt = 0;
        int ptOrMore = 0;
        int frag = 0;
        for (int k = 0; k < n; k++) {
            if (gtCount[k] > 0) {
                double ratio = (double) gtMatched[k] / gtCount[k];
                if (ratio > 0.8) {
                    mt++;
                }
                if (ratio >= 0.2) {
                    ptOrMore++;
                }
            }
            if (fragCount[k] > 0) {
                frag += fragCount[k] - 1;
            }
        }
        return finish(tp, motpSum, fp, fn, idsw, frag, n, mt, ptOrMore - mt, n - ptOrMore, s.frames);
    }

    private static ClearMot finish(int tp, double motpSum, int fp, int fn, int idsw, int frag, int gtIds, int mt,
                                   int pt, int ml, int frames) {
        double gt = Math.max(1.0, tp + fn);
        return new ClearMot((tp - fp - idsw) / gt, motpSum / Math.max(1.0, tp), (tp - fp) / gt, tp / gt,
                tp / Math.max(1.0, tp + fp), tp, fp, fn, idsw, frag, tp + fn, gtIds, mt, pt, ml, frames);
    }

    static void checkThreshold(double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("IoU threshold must be in (0, 1], was " + threshold);
        }
    }
}
