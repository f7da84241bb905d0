package io.edgewatch.eval;

import io.edgewatch.track.HungarianAssignment;

/**
 * Identity metrics (Ristani, Solera, Zou, Cucchiara and Tomasi, "Performance Measures and a Data Set for
 * Multi-Target, Multi-Camera Tracking", ECCV 2016 workshops) as TrackEval computes them
 * ({@code trackeval/metrics/identity.py}).
 * <p>
 * Whole trajectories are matched one-to-one, ground truth to result, by a global minimum-cost bipartite matching
 * (Hungarian): a ground-truth box counts as an identity true positive when, in its frame, its matched result
 * trajectory has a box with IoU &gt;= {@code threshold} with it (every such pair counts, not only a one-to-one frame
 * matching, as in TrackEval). Minimising IDFN + IDFP is the same as maximising IDTP, which is what is solved here.
 *
 * @param idf1 2 IDTP / (2 IDTP + IDFP + IDFN), in [0, 1]
 * @param idp  IDTP / (IDTP + IDFP), identity precision, in [0, 1]
 * @param idr  IDTP / (IDTP + IDFN), identity recall, in [0, 1]
 * @param idtp ground-truth boxes covered by their trajectory's matched result trajectory
 * @param idfp result boxes not covering their trajectory's matched ground truth
 * @param idfn ground-truth boxes not covered by their trajectory's matched result trajectory
 */
public record IdentityMetrics(double idf1, double idp, double idr, int idtp, int idfp, int idfn) {

    /** Scores a prepared sequence with a threshold in (0, 1] (TrackEval's default 0.5). */
    public static IdentityMetrics compute(EvalSequence s, double threshold) {
        ClearMot.checkThreshold(threshold);
        if (s.numResultDets == 0) {
            return finish(0, 0, s.numGtDets);
        }
        if (s.numGtDets == 0) {
            return finish(0, s.numResultDets, 0);
        }
        double[][] potential = new double[s.numGtIds][s.numResultIds];
        for (int t = 0; t < s.frames; t++) {
            int[] g = s.gtIds[t];
            int[] r = s.resultIds[t];
            double[][] sim = s.similarity[t];
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < r.length; j++) {
                    if (sim[i][j] >= threshold) {
                        potential[g[i]][r[j]]++;
                    }
                }
            }
        }
        double[][] cost = new double[s.numGtIds][s.numResultIds];
        for (int i = 0; i < s.numGtIds; i++) {
            for (int j = 0; j < s.numResultIds; j++) {
                cost[i][j] = -potential[i][j];
            }
        }
        int[] match = HungarianAssignment.solve(cost);
        long idtp = 0;
        for (int i = 0; i < match.length; i++) {
            if (match[i] >= 0) {
                idtp += (long) potential[i][match[i]];
            }
        }
        int tp = (int) idtp;
        return finish(tp, s.numResultDets - tp, s.numGtDets - tp);
    }

    private static IdentityMetrics finish(int idtp, int idfp, int idfn) {
        return new IdentityMetrics(idtp / Math.max(1.0, idtp + 0.5 * idfp + 0.5 * idfn),
                idtp / Math.max(1.0, idtp + idfp), idtp / Math.max(1.0, idtp + idfn), idtp, idfp, idfn);
    }
}
