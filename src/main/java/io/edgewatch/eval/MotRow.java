package io.edgewatch.eval;

/**
 * One row of a MOTChallenge text file: {@code frame,id,left,top,width,height,flag_or_score,x,y,z}.
 * Boxes are in pixels, {@code left,top} the top-left corner; frames count from 1.
 * <p>
 * In ground truth, column 7 is the evaluation flag: a flag that truncates to 0 (as TrackEval's {@code astype(int)})
 * marks a "do not care" box (see {@link #doNotCare()}); MOT15-style files carry 1 there for every box. In results,
 * column 7 is the detection score. {@code x,y,z} are world coordinates in MOT15 ground truth and -1 otherwise; they
 * are carried but never scored.
 *
 * @param frame  frame number, from 1
 * @param id     track or object identity
 * @param left   left edge, pixels
 * @param top    top edge, pixels
 * @param width  box width, pixels, &gt;= 0
 * @param height box height, pixels, &gt;= 0
 * @param flagOrScore ground truth: the evaluation flag; result: the score
 * @param x      world x or -1
 * @param y      world y or -1
 * @param z      world z or -1
 */
public record MotRow(int frame, int id, double left, double top, double width, double height, double flagOrScore,
                     double x, double y, double z) {

    /** Validates frame &gt;= 1, finite values and non-negative sizes. */
    public MotRow {
        if (frame < 1) {
            throw new IllegalArgumentException("frame must be >= 1, was " + frame);
        }
        if (!finite(left) || !finite(top) || !finite(width) || !finite(height) || !finite(flagOrScore)
                || !finite(x) || !finite(y) || !finite(z)) {
            throw new IllegalArgumentException("values must be finite: frame " + frame + " id " + id);
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("width and height must be >= 0: frame " + frame + " id " + id);
        }
    }

    /** A result row {@code frame,id,left,top,width,height,score,-1,-1,-1}. */
    public static MotRow result(int frame, int id, double left, double top, double width, double height,
                                double score) {
        return new MotRow(frame, id, left, top, width, height, score, -1, -1, -1);
    }

    /** A ground-truth row to be scored (flag 1), world coordinates -1. */
    public static MotRow gt(int frame, int id, double left, double top, double width, double height) {
        return new MotRow(frame, id, left, top, width, height, 1, -1, -1, -1);
    }

    /** A "do not care" ground-truth row (flag 0), world coordinates -1. */
    public static MotRow doNotCare(int frame, int id, double left, double top, double width, double height) {
        return new MotRow(frame, id, left, top, width, height, 0, -1, -1, -1);
    }

    /**
     * For ground truth: whether the box is "do not care", i.e. the flag truncates to 0 as in TrackEval
     * ({@code -1 < flag < 1}). Meaningless for result rows, whose column 7 is a score.
     */
    public boolean doNotCare() {
        return (long) flagOrScore == 0;
    }

    /** Right edge, {@code left + width}. */
    public double right() {
        return left + width;
    }

    /** Bottom edge, {@code top + height}. */
    public double bottom() {
        return top + height;
    }

    private static boolean finite(double v) {
        return Double.isFinite(v);
    }
}
