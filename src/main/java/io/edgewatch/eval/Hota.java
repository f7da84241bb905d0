package io.edgewatch.eval;

import io.edgewatch.track.HungarianAssignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HOTA, Higher Order Tracking Accuracy (Luiten, Osep, Dendorfer, Torr, Geiger, Leal-Taixé and Leibe, "HOTA: A
 * Higher Order Metric for Evaluating Multi-Object Tracking", IJCV 2021) as TrackEval computes it
 * ({@code trackeval/metrics/hota.py}).
 * <p>
 * For each localisation threshold alpha in 0.05, 0.10, ..., 0.95 boxes are matched per frame by the Hungarian
 * method maximising IoU weighted by the global alignment of the two trajectories, and pairs with IoU &gt;= alpha
 * are true positives. Then DetA = TP / (TP + FN + FP), AssA = mean over TP of
 * TPA / (TPA + FNA + FPA) of its pair of trajectories, HOTA = sqrt(DetA * AssA), LocA = mean IoU of the TPs. The
 * figures of this record are the means over the 19 alphas (TrackEval's summary); {@link #perAlpha()} has each.
 * All are in [0, 1].
 *
 * @param hota     HOTA, mean over alpha
 * @param detA     detection accuracy, mean over alpha
 * @param assA     association accuracy, mean over alpha
 * @param locA     localisation accuracy, mean over alpha
 * @param detRe    detection recall, mean over alpha
 * @param detPr    detection precision, mean over alpha
 * @param assRe    association recall, mean over alpha
 * @param assPr    association precision, mean over alpha
 * @param perAlpha the figures at each alpha, in ascending order of alpha
 */
public record Hota(double hota, double detA, double assA, double locA, double detRe, double detPr, double assRe,
                   double assPr, List<AtAlpha> perAlpha) {

    /** Number of alpha thresholds, 19. */
    public static final int ALPHAS = 19;

    /** Copies the list. */
    public Hota {
        perAlpha = List.copyOf(perAlpha);
    }

    /**
     * The figures at one alpha.
     *
     * @param alpha IoU threshold
     * @param hota  sqrt(detA * assA)
     * @param detA  TP / (TP + FN + FP)
     * @param assA  association accuracy
     * @param locA  mean IoU of the TPs (1 when there are none, as TrackEval)
     * @param detRe TP / (TP + FN)
     * @param detPr TP / (TP + FP)
     * @param assRe association recall
     * @param assPr association precision
     * @param tp    true positives
     * @param fn    false negatives
     * @param fp    false positives
     */
    public record AtAlpha(double alpha, double hota, double detA, double assA, double locA, double detRe,
                          double detPr, double assRe, double assPr, int tp, int fn, int fp) {
    }

    /** The alpha of index {@code a}: 0.05 + 0.05 a, as numpy's {@code arange(0.05, 0.99, 0.05)}. */
    public static double alpha(int a) {
        return 0.05 + a * 0.05;
    }

    /** HOTA at alpha 0.5. */
    public double hota50() {
        return perAlpha.get(9).hota();
    }

    /** Scores a prepared sequence. */
    public static Hota compute(EvalSequence s) {
        final double eps = EvalSequence.EPS;
        int[] tp = new int[ALPHAS];
        int[] fn = new int[ALPHAS];
        int[] fp = new int[ALPHAS];
        double[] locSum = new double[ALPHAS];
        double[] assA = new double[ALPHAS];
        double[] assRe = new double[ALPHAS];
        double[] assPr = new double[ALPHAS];
        if (s.numResultDets == 0 || s.numGtDets == 0) {
            // TrackEval returns early: all zero except LocA = 1, as below with no TP
            for (int a = 0; a < ALPHAS; a++) {
                fn[a] = s.numGtDets;
                fp[a] = s.numResultDets;
            }
            return finish(tp, fn, fp, locSum, assA, assRe, assPr);
        }
        int nG = s.numGtIds;
        int nR = s.numResultIds;
        double[][] potential = new double[nG][nR];
        int[] gtCount = new int[nG];
        int[] resCount = new int[nR];
        for (int t = 0; t < s.frames; t++) {
            int[] g = s.gtIds[t];
            int[] r = s.resultIds[t];
            double[][] sim = s.similarity[t];
            double[] rowSum = new double[g.length];
            double[] colSum = new double[r.length];
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < r.length; j++) {
                    rowSum[i] += sim[i][j];
                    colSum[j] += sim[i][j];
                }
            }
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < r.length; j++) {
                    double denom = colSum[j] + rowSum[i] - sim[i][j];
                    if (denom > eps) {
                        potential[g[i]][r[j]] += sim[i][j] / denom;
                    }
                }
            }
            for (int id : g) {
                gtCount[id]++;
            }
            for (int id : r) {
                resCount[id]++;
            }
        }
        double[][] alignment = new double[nG][nR];
        for (int i = 0; i < nG; i++) {
            for (int j = 0; j < nR; j++) {
                alignment[i][j] = potential[i][j] / (gtCount[i] + resCount[j] - potential[i][j]);
            }
        }
        // per (gt id, result id) pair that ever matched: its match count at each alpha
        Map<Long, int[]> matches = new HashMap<>();
        for (int t = 0; t < s.frames; t++) {
            int[] g = s.gtIds[t];
            int[] r = s.resultIds[t];
            if (g.length == 0 || r.length == 0) {
                for (int a = 0; a < ALPHAS; a++) {
                    fp[a] += r.length;
                    fn[a] += g.length;
                }
                continue;
            }
            double[][] sim = s.similarity[t];
            double[][] cost = new double[g.length][r.length];
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < r.length; j++) {
                    cost[i][j] = -alignment[g[i]][r[j]] * sim[i][j];
                }
            }
            int[] match = HungarianAssignment.solve(cost);
            int[] m = new int[ALPHAS];
            double[] loc = new double[ALPHAS];
            for (int i = 0; i < g.length; i++) {
                int j = match[i];
                if (j < 0 || sim[i][j] < alpha(0) - eps) {
                    continue;
                }
                double v = sim[i][j];
                int[] counts = matches.computeIfAbsent(((long) g[i] << 32) | r[j], k -> new int[ALPHAS]);
                for (int a = 0; a < ALPHAS && v >= alpha(a) - eps; a++) {
                    m[a]++;
                    loc[a] += v;
                    counts[a]++;
                }
            }
            for (int a = 0; a < ALPHAS; a++) {
                tp[a] += m[a];
                fn[a] += g.length - m[a];
                fp[a] += r.length - m[a];
                locSum[a] += loc[a];
            }
        }
        double[] sumA = new double[ALPHAS];
        double[] sumRe = new double[ALPHAS];
        double[] sumPr = new double[ALPHAS];
        for (Map.Entry<Long, int[]> e : matches.entrySet()) {
            int i = (int) (e.getKey() >>> 32);
            int j = (int) (long) e.getKey();
            int[] counts = e.getValue();
            for (int a = 0; a < ALPHAS; a++) {
                int c = counts[a];
                if (c > 0) {
                    sumA[a] += c * (c / Math.max(1.0, gtCount[i] + resCount[j] - c));
                    sumRe[a] += c * (c / Math.max(1.0, gtCount[i]));
                    sumPr[a] += c * (c / Math.max(1.0, resCount[j]));
                }
            }
        }
        for (int a = 0; a < ALPHAS; a++) {
            double div = Math.max(1.0, tp[a]);
            assA[a] = sumA[a] / div;
            assRe[a] = sumRe[a] / div;
            assPr[a] = sumPr[a] / div;
        }
        return finish(tp, fn, fp, locSum, assA, assRe, assPr);
    }

    private static Hota finish(int[] tp, int[] fn, int[] fp, double[] locSum, double[] assA, double[] assRe,
                               double[] assPr) {
        List<AtAlpha> per = new ArrayList<>(ALPHAS);
        double[] mean = new double[8];
        for (int a = 0; a < ALPHAS; a++) {
            double detRe = tp[a] / Math.max(1.0, tp[a] + fn[a]);
            double detPr = tp[a] / Math.max(1.0, tp[a] + fp[a]);
            double detA = tp[a] / Math.max(1.0, tp[a] + fn[a] + fp[a]);
            // TrackEval: 1 where nothing matched (1e-10 / 1e-10), which the mean over alpha includes
            double locA = Math.max(1e-10, locSum[a]) / Math.max(1e-10, tp[a]);
            double hota = Math.sqrt(detA * assA[a]);
            AtAlpha at = new AtAlpha(alpha(a), hota, detA, assA[a], locA, detRe, detPr, assRe[a], assPr[a], tp[a],
                    fn[a], fp[a]);
            per.add(at);
            double[] v = {hota, detA, assA[a], locA, detRe, detPr, assRe[a], assPr[a]};
            for (int k = 0; k < 8; k++) {
                mean[k] += v[k];
            }
        }
        for (int k = 0; k < 8; k++) {
            mean[k] /= ALPHAS;
        }
        return new Hota(mean[0], mean[1], mean[2], mean[3], mean[4], mean[5], mean[6], mean[7], per);
    }
}
