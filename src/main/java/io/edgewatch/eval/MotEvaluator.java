package io.edgewatch.eval;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Scores tracking results against MOTChallenge ground truth: CLEAR MOT ({@link ClearMot}), identity metrics
 * ({@link IdentityMetrics}) and HOTA ({@link Hota}), with TrackEval's definitions and do-not-care handling
 * ({@link EvalSequence}). Scores frames 1..min(ground-truth length, video length) and reports the rest in
 * {@link FrameCoverage}.
 */
public final class MotEvaluator {
    private MotEvaluator() {
    }

    /**
     * Scores with the ground truth's length taken as its last row's frame.
     *
     * @param gt           ground-truth rows (flag 0 = do not care)
     * @param result       result rows
     * @param iouThreshold match threshold of CLEAR MOT and identity metrics, in (0, 1] (usually 0.5)
     * @param frameCount   frames in the video the results came from, or -1 when not known
     */
    public static MotScore evaluate(List<MotRow> gt, List<MotRow> result, double iouThreshold, int frameCount) {
        int last = 0;
        for (MotRow r : gt) {
            last = Math.max(last, r.frame());
        }
        return evaluate(gt, result, iouThreshold, frameCount, last);
    }

    /**
     * Scores frames 1..min(gtLength, frameCount).
     *
     * @param gtLength frames the ground truth covers (seqinfo.ini's seqLength), &gt;= its last row's frame
     * @throws IllegalArgumentException a ground-truth row after {@code gtLength}, a threshold out of range, one id
     *                                  twice in one frame
     */
    public static MotScore evaluate(List<MotRow> gt, List<MotRow> result, double iouThreshold, int frameCount,
                                    int gtLength) {
        ClearMot.checkThreshold(iouThreshold);
        if (frameCount < -1) {
            throw new IllegalArgumentException("frameCount must be >= 0, or -1 when not known, was " + frameCount);
        }
        if (gtLength < 0) {
            throw new IllegalArgumentException("gtLength must be >= 0, was " + gtLength);
        }
        BitSet gtFrames = new BitSet();
        for (MotRow r : gt) {
            if (r.frame() > gtLength) {
                throw new IllegalArgumentException("ground truth has a row in frame " + r.frame()
                        + " after its length of " + gtLength + " frames");
            }
            gtFrames.set(r.frame());
        }
        int scored = frameCount < 0 ? gtLength : Math.min(gtLength, frameCount);
        List<MotRow> gtScored = new ArrayList<>(gt.size());
        for (MotRow r : gt) {
            if (r.frame() <= scored) {
                gtScored.add(r);
            }
        }
        BitSet resFrames = new BitSet();
        List<MotRow> resScored = new ArrayList<>(result.size());
        for (MotRow r : result) {
            resFrames.set(r.frame());
            if (r.frame() <= scored) {
                resScored.add(r);
            }
        }
        FrameCoverage coverage = new FrameCoverage(gtLength, gtFrames.cardinality(), frameCount,
                resFrames.cardinality(), Math.max(0, resFrames.length() - 1), scored, gt.size() - gtScored.size(),
                result.size() - resScored.size());
        EvalSequence seq = EvalSequence.prepare(gtScored, resScored, scored);
        return new MotScore(ClearMot.compute(seq, iouThreshold), IdentityMetrics.compute(seq, iouThreshold),
                Hota.compute(seq), coverage, iouThreshold, seq.doNotCareGtDets(), seq.removedResultDets());
    }
}
