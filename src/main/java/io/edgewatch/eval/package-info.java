/**
 * Tracking quality, scored the way the MOTChallenge benchmark scores it: pure Java, no native code.
 * <ul>
 *   <li>{@link io.edgewatch.eval.MotChallenge} reads ground truth and results in MOTChallenge text format
 *   ({@code frame,id,left,top,width,height,flag_or_score,x,y,z}, pixels, frames from 1) and writes results
 *   ({@code frame,id,left,top,width,height,score,-1,-1,-1}); {@link io.edgewatch.eval.SeqInfo} reads
 *   {@code seqinfo.ini}.</li>
 *   <li>{@link io.edgewatch.eval.MotEvaluator#evaluate} gives a {@link io.edgewatch.eval.MotScore}: CLEAR MOT
 *   (Bernardin and Stiefelhagen 2008), identity metrics (Ristani et al. 2016) and HOTA (Luiten et al. 2021), each as
 *   TrackEval (Luiten and Hoffhues, 2020, the benchmark's official evaluation code) computes it for one sequence, and the
 *   frames scored and missing.</li>
 * </ul>
 * Deliberate differences from TrackEval: a ground-truth box with flag 0 ("do not care") is handled like TrackEval's
 * distractor classes (a result box matched to it with IoU &gt;= 0.5 is removed, the box itself is not scored), also in
 * files without a class column (TrackEval's MOT15 mode removes no result boxes, and for MOT16/17/20 it only drops
 * flag-0 ground truth while removing results matched to distractor classes); classes are not read. Frames outside
 * the ground truth's or the video's length are left out and reported ({@link io.edgewatch.eval.FrameCoverage})
 * where TrackEval refuses a file with frames beyond {@code seqLength}. A sequence without ground truth boxes
 * gives MOTA = -FP (TrackEval's combined figure; its per-sequence table shows 0). Exact ties in a Hungarian
 * matching may be broken differently from scipy's {@code linear_sum_assignment}.
 */
package io.edgewatch.eval;
