package io.edgewatch.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A video and a ground truth of different lengths are reported, never silently truncated. */
class CoverageTest {

    /** Object 1 in every frame 1..n, result id 1 on it exactly in frames 1..m. */
    private static List<MotRow> track(int n, boolean result) {
        List<MotRow> rows = new ArrayList<>();
        for (int f = 1; f <= n; f++) {
            rows.add(result ? MotRow.result(f, 1, 0, 0, 50, 100, 1) : MotRow.gt(f, 1, 0, 0, 50, 100));
        }
        return rows;
    }

    @Test
    void videoShorterThanGroundTruth() {
        // GT 71 frames, video 70 decoded: frames 1..70 scored (all TP), frame 71 and its GT row reported
        MotScore s = MotEvaluator.evaluate(track(71, false), track(70, true), 0.5, 70, 71);
        FrameCoverage c = s.coverage();
        assertThat(c.scoredFrames()).isEqualTo(70);
        assertThat(c.framesMissing()).isEqualTo(1);
        assertThat(c.gtFramesWithoutVideo()).isEqualTo(1);
        assertThat(c.videoFramesWithoutGt()).isZero();
        assertThat(c.gtRowsNotScored()).isEqualTo(1);
        assertThat(c.complete()).isFalse();
        assertThat(c.describe()).isEqualTo(
                "frames gt 71 video 70 result 70 scored 70 missing 1 (gt frames 71..71 beyond the video, "
                        + "1 gt rows not scored)");
        assertThat(s.clear().gtDets()).isEqualTo(70);
        assertThat(s.clear().mota()).isEqualTo(1.0);
    }

    @Test
    void videoLongerThanGroundTruth() {
        // seqLength 71, last GT row in frame 60 (nobody in 61..71), video 80 frames with results to 75
        MotScore s = MotEvaluator.evaluate(track(60, false), track(75, true), 0.5, 80, 71);
        FrameCoverage c = s.coverage();
        assertThat(c.scoredFrames()).isEqualTo(71);
        assertThat(c.gtFrames()).isEqualTo(60);
        assertThat(c.resultFrames()).isEqualTo(75);
        assertThat(c.resultLastFrame()).isEqualTo(75);
        assertThat(c.videoFramesWithoutGt()).isEqualTo(9);
        assertThat(c.resultRowsNotScored()).isEqualTo(4);
        assertThat(c.describe()).isEqualTo("frames gt 71 video 80 result 75 scored 71 missing 9 "
                + "(video frames 72..80 beyond the gt, 4 result rows not scored)");
        // results in 61..71 are scored against the empty ground truth: 11 FP
        assertThat(s.clear().falsePositives()).isEqualTo(11);
    }

    @Test
    void unknownVideoLengthScoresTheGroundTruthLength() {
        MotScore s = MotEvaluator.evaluate(track(10, false), track(12, true), 0.5, -1);
        FrameCoverage c = s.coverage();
        assertThat(c.gtLength()).isEqualTo(10);
        assertThat(c.scoredFrames()).isEqualTo(10);
        assertThat(c.framesMissing()).isZero();
        assertThat(c.resultRowsNotScored()).isEqualTo(2);
        assertThat(c.complete()).isFalse();
        assertThat(c.describe()).isEqualTo("frames gt 10 video unknown result 12 scored 10 missing 0 "
                + "(2 result rows not scored)");
    }

    @Test
    void groundTruthRowBeyondItsStatedLengthIsAnError() {
        assertThatThrownBy(() -> MotEvaluator.evaluate(track(10, false), List.of(), 0.5, 10, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ground truth has a row in frame 10 after its length of 9 frames");
    }
}
