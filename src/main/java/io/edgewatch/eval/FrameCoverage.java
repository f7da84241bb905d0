package io.edgewatch.eval;

import java.util.Locale;

/**
 * Which frames were scored, so that a video and a ground truth of different lengths are reported rather than
 * silently truncated. Frames 1..{@link #scoredFrames} are scored: the frames both the ground truth and the video
 * cover. Rows of later frames are not scored and are counted here.
 *
 * @param gtLength      frames the ground truth covers (seqinfo.ini's seqLength, or the last ground-truth frame)
 * @param gtFrames      frames holding at least one ground-truth row (any flag)
 * @param videoFrames   frames the tracker processed (the video's length), -1 when not known
 * @param resultFrames  frames holding at least one result row
 * @param resultLastFrame last frame holding a result row, 0 when none
 * @param scoredFrames  frames scored: min(gtLength, videoFrames), or gtLength when videoFrames is not known
 * @param gtRowsNotScored ground-truth rows in frames after the scored ones
 * @param resultRowsNotScored result rows in frames after the scored ones
 */
public record FrameCoverage(int gtLength, int gtFrames, int videoFrames, int resultFrames, int resultLastFrame,
                            int scoredFrames, int gtRowsNotScored, int resultRowsNotScored) {

    /**
     * Frames covered by the ground truth or the video but not scored:
     * max(gtLength, videoFrames) - scoredFrames. Non-zero means the two lengths differ.
     */
    public int framesMissing() {
        return Math.max(gtLength, videoFrames) - scoredFrames;
    }

    /** Ground-truth frames the video did not reach (scored as nothing: not counted as misses). */
    public int gtFramesWithoutVideo() {
        return gtLength - scoredFrames;
    }

    /** Video frames after the ground truth ends (their results are not counted as false positives). */
    public int videoFramesWithoutGt() {
        return videoFrames < 0 ? 0 : videoFrames - scoredFrames;
    }

    /** True when every frame of the ground truth and of the video was scored and no row was left out. */
    public boolean complete() {
        return framesMissing() == 0 && gtRowsNotScored == 0 && resultRowsNotScored == 0;
    }

    /**
     * One line, e.g. {@code frames gt 71 video 70 result 68 scored 70 missing 1 (gt frames 71..71 beyond the video,
     * 5 gt rows not scored)}.
     */
    public String describe() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "frames gt %d video %s result %d scored %d missing %d",
                gtLength, videoFrames < 0 ? "unknown" : Integer.toString(videoFrames), resultFrames, scoredFrames,
                framesMissing()));
        StringBuilder why = new StringBuilder();
        if (gtFramesWithoutVideo() > 0) {
            why.append("gt frames ").append(scoredFrames + 1).append("..").append(gtLength).append(" beyond the video");
        }
        if (videoFramesWithoutGt() > 0) {
            why.append(why.isEmpty() ? "" : ", ").append("video frames ").append(scoredFrames + 1).append("..")
                    .append(videoFrames).append(" beyond the gt");
        }
        if (gtRowsNotScored > 0) {
            why.append(why.isEmpty() ? "" : ", ").append(gtRowsNotScored).append(" gt rows not scored");
        }
        if (resultRowsNotScored > 0) {
            why.append(why.isEmpty() ? "" : ", ").append(resultRowsNotScored).append(" result rows not scored");
        }
        if (!why.isEmpty()) {
            b.append(" (").append(why).append(')');
        }
        return b.toString();
    }
}
