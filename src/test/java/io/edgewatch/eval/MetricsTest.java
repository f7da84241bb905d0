package io.edgewatch.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Hand-computed cases. Every box is 100 x 100 pixels at top 0; a box shifted by d pixels sideways from another has
 * IoU (100 - d) / (100 + d): d = 20 gives 2/3, d = 30 gives 7/13 = 0.5385, d = 50 gives 1/3.
 */
class MetricsTest {
    private static final double E = 1e-9;

    private static MotRow g(int frame, int id, double x) {
        return MotRow.gt(frame, id, x, 0, 100, 100);
    }

    private static MotRow dnc(int frame, int id, double x) {
        return MotRow.doNotCare(frame, id, x, 0, 100, 100);
    }

    private static MotRow r(int frame, int id, double x) {
        return MotRow.result(frame, id, x, 0, 100, 100, 0.9);
    }

    private static MotScore score(List<MotRow> gt, List<MotRow> res, int frames) {
        return MotEvaluator.evaluate(gt, res, 0.5, frames);
    }

    @Test
    void perfectTrack() {
        // object 1 in frames 1..3, result id 7 on it exactly: TP 3, nothing else; every figure 1
        List<MotRow> gt = List.of(g(1, 1, 0), g(2, 1, 10), g(3, 1, 20));
        List<MotRow> res = List.of(r(1, 7, 0), r(2, 7, 10), r(3, 7, 20));
        MotScore s = score(gt, res, 3);
        ClearMot c = s.clear();
        assertThat(c.matches()).isEqualTo(3);
        assertThat(c.falsePositives() + c.falseNegatives() + c.idSwitches() + c.fragmentations()).isZero();
        assertThat(c.mota()).isEqualTo(1.0);
        assertThat(c.motp()).isEqualTo(1.0);
        assertThat(c.gtDets()).isEqualTo(3);
        assertThat(c.gtIds()).isEqualTo(1);
        assertThat(c.mostlyTracked()).isEqualTo(1);
        assertThat(s.identity()).isEqualTo(new IdentityMetrics(1, 1, 1, 3, 0, 0));
        assertThat(s.hota().hota()).isEqualTo(1.0);
        assertThat(s.hota().detA()).isEqualTo(1.0);
        assertThat(s.hota().assA()).isEqualTo(1.0);
        assertThat(s.hota().locA()).isEqualTo(1.0);
        assertThat(s.hota().hota50()).isEqualTo(1.0);
        assertThat(s.summaryLine()).isEqualTo("mota 1.000 idf1 1.000 hota 1.000 idsw 0");
        assertThat(s.coverage().complete()).isTrue();
        assertThat(s.reportLines()).last().isEqualTo(s.summaryLine());
    }

    @Test
    void idSwitch() {
        // object 1 in frames 1..4; result id 1 on it in frames 1-2, id 2 in frames 3-4.
        // CLEAR: TP 4, IDSW 1 (frame 3), MOTA = (4 - 0 - 1) / 4 = 0.75; matched every frame: Frag 0.
        // Identity: object 1 pairs with id 1 or id 2 for 2 frames: IDTP 2, IDFN 2, IDFP 2, IDF1 = 2 / (2 + 1 + 1) = 0.5.
        // HOTA (all IoU 1, so every alpha alike): DetA = 4 / 4 = 1; each pair (1,1), (1,2) has 2 matches,
        // 4 + 2 - 2 = 4 in its union: A = 0.5; AssA = (2 * 0.5 + 2 * 0.5) / 4 = 0.5; HOTA = sqrt(0.5).
        List<MotRow> gt = List.of(g(1, 1, 0), g(2, 1, 0), g(3, 1, 0), g(4, 1, 0));
        List<MotRow> res = List.of(r(1, 1, 0), r(2, 1, 0), r(3, 2, 0), r(4, 2, 0));
        MotScore s = score(gt, res, 4);
        assertThat(s.clear().idSwitches()).isEqualTo(1);
        assertThat(s.clear().fragmentations()).isZero();
        assertThat(s.clear().mota()).isEqualTo(0.75);
        assertThat(s.identity()).isEqualTo(new IdentityMetrics(0.5, 0.5, 0.5, 2, 2, 2));
        assertThat(s.hota().detA()).isEqualTo(1.0);
        assertThat(s.hota().assA()).isCloseTo(0.5, within(E));
        assertThat(s.hota().hota()).isCloseTo(Math.sqrt(0.5), within(E));
        assertThat(s.hota().locA()).isEqualTo(1.0);
        assertThat(s.summaryLine()).isEqualTo("mota 0.750 idf1 0.500 hota 0.707 idsw 1");
    }

    @Test
    void fragmentation() {
        // object 1 in frames 1..5, result id 1 on it except in frame 3, where its only box (id 9) is far away.
        // CLEAR: TP 4, FN 1, FP 1, IDSW 0 (same id after the gap), tracked again in frame 4: Frag 1;
        // MOTA = (4 - 1 - 0) / 5 = 0.6.
        // Identity: (1, id 1) 4 frames: IDTP 4, IDFN 1, IDFP 1 (id 9), IDF1 = 4 / (4 + 0.5 + 0.5) = 0.8.
        List<MotRow> gt = List.of(g(1, 1, 0), g(2, 1, 0), g(3, 1, 0), g(4, 1, 0), g(5, 1, 0));
        List<MotRow> res = List.of(r(1, 1, 0), r(2, 1, 0), r(3, 9, 500), r(4, 1, 0), r(5, 1, 0));
        MotScore s = score(gt, res, 5);
        ClearMot c = s.clear();
        assertThat(c.fragmentations()).isEqualTo(1);
        assertThat(c.idSwitches()).isZero();
        assertThat(c.matches()).isEqualTo(4);
        assertThat(c.falseNegatives()).isEqualTo(1);
        assertThat(c.falsePositives()).isEqualTo(1);
        assertThat(c.mota()).isCloseTo(0.6, within(E));
        assertThat(s.identity()).isEqualTo(new IdentityMetrics(0.8, 0.8, 0.8, 4, 1, 1));
    }

    @Test
    void aFrameWithoutAnyResultDoesNotFragmentAsInTrackEval() {
        // TrackEval skips a frame that has no result box at all before it resets "tracked in the previous frame",
        // so the same gap as above without the far box is a miss but no fragmentation: TP 4, FN 1, Frag 0,
        // MOTA = 4 / 5 = 0.8.
        List<MotRow> gt = List.of(g(1, 1, 0), g(2, 1, 0), g(3, 1, 0), g(4, 1, 0), g(5, 1, 0));
        List<MotRow> res = List.of(r(1, 1, 0), r(2, 1, 0), r(4, 1, 0), r(5, 1, 0));
        ClearMot c = score(gt, res, 5).clear();
        assertThat(c.fragmentations()).isZero();
        assertThat(c.falseNegatives()).isEqualTo(1);
        assertThat(c.mota()).isCloseTo(0.8, within(E));
    }

    @Test
    void doNotCareBox() {
        // frame 1: object 1 at 0 (scored), do-not-care box 2 at 300. Results: id 1 at 0 (TP), id 2 at 300
        // (IoU 1 with the do-not-care box: removed), id 3 at 600 (FP).
        // frame 2: object 1 at 0 with id 1 (TP); do-not-care box 2 at 300 and result id 4 at 350: IoU 1/3 < 0.5,
        // not removed, a FP. Do-not-care boxes are never FN: GT dets 2.
        // TP 2, FP 2, FN 0, MOTA = (2 - 2) / 2 = 0; identity: IDTP 2, IDFP 2 (ids 3, 4), IDF1 = 2 / 3.
        List<MotRow> gt = List.of(g(1, 1, 0), dnc(1, 2, 300), g(2, 1, 0), dnc(2, 2, 300));
        List<MotRow> res = List.of(r(1, 1, 0), r(1, 2, 300), r(1, 3, 600), r(2, 1, 0), r(2, 4, 350));
        MotScore s = score(gt, res, 2);
        ClearMot c = s.clear();
        assertThat(c.gtDets()).isEqualTo(2);
        assertThat(c.gtIds()).isEqualTo(1);
        assertThat(c.matches()).isEqualTo(2);
        assertThat(c.falsePositives()).isEqualTo(2);
        assertThat(c.falseNegatives()).isZero();
        assertThat(c.mota()).isEqualTo(0.0);
        assertThat(s.doNotCareGtDets()).isEqualTo(2);
        assertThat(s.removedResultDets()).isEqualTo(1);
        assertThat(s.identity().idtp()).isEqualTo(2);
        assertThat(s.identity().idfp()).isEqualTo(2);
        assertThat(s.identity().idf1()).isCloseTo(2.0 / 3, within(E));
    }

    @Test
    void doNotCareRemovalUsesTheOneToOneMatching() {
        // Result 5 at 10 overlaps the scored object 1 at 0 and the do-not-care box at 20 alike (IoU 90/110 = 0.818
        // each); result 6 at 20 lies on the do-not-care box (IoU 1) and overlaps object 1 with IoU 80/120 = 0.667.
        // The maximum-IoU one-to-one matching, (1, 5) + (dnc, 6) = 1.818 against (1, 6) + (dnc, 5) = 1.485,
        // removes only result 6; result 5 is then a TP of object 1. TP 1, FP 0, FN 0, MOTA 1.
        List<MotRow> gt = List.of(g(1, 1, 0), dnc(1, 2, 20));
        List<MotRow> res = List.of(r(1, 5, 10), r(1, 6, 20));
        MotScore s = score(gt, res, 1);
        assertThat(s.removedResultDets()).isEqualTo(1);
        assertThat(s.clear().matches()).isEqualTo(1);
        assertThat(s.clear().falsePositives()).isZero();
        assertThat(s.clear().mota()).isEqualTo(1.0);
    }

    @Test
    void falsePositive() {
        // object 1 in frames 1-2 tracked exactly by id 1; extra id 2 far away in frame 2.
        // CLEAR: TP 2, FP 1, MOTA = (2 - 1) / 2 = 0.5, MOTP 1, precision 2/3.
        // Identity: IDTP 2, IDFP 1, IDFN 0: IDF1 = 2 / 2.5 = 0.8, IDP 2/3, IDR 1.
        // HOTA: DetA = 2 / (2 + 0 + 1) = 2/3, AssA 1 (pair (1,1): 2 / (2 + 2 - 2)), HOTA = sqrt(2/3) = 0.816.
        List<MotRow> gt = List.of(g(1, 1, 0), g(2, 1, 0));
        List<MotRow> res = List.of(r(1, 1, 0), r(2, 1, 0), r(2, 2, 400));
        MotScore s = score(gt, res, 2);
        assertThat(s.clear().falsePositives()).isEqualTo(1);
        assertThat(s.clear().mota()).isEqualTo(0.5);
        assertThat(s.clear().precision()).isCloseTo(2.0 / 3, within(E));
        assertThat(s.identity().idf1()).isCloseTo(0.8, within(E));
        assertThat(s.identity().idp()).isCloseTo(2.0 / 3, within(E));
        assertThat(s.identity().idr()).isEqualTo(1.0);
        assertThat(s.hota().detA()).isCloseTo(2.0 / 3, within(E));
        assertThat(s.hota().assA()).isCloseTo(1.0, within(E));
        assertThat(s.hota().hota()).isCloseTo(Math.sqrt(2.0 / 3), within(E));
        assertThat(s.summaryLine()).isEqualTo("mota 0.500 idf1 0.800 hota 0.816 idsw 0");
    }

    @Test
    void missedFrame() {
        // object 1 in frames 1..4, result id 1 in frames 1..3 only (a 4-frame video).
        // CLEAR: TP 3, FN 1, MOTA 0.75. Identity: IDTP 3, IDFN 1, IDF1 = 3 / 3.5 = 6/7.
        // HOTA: DetA = 3 / 4; pair (1,1): 3 matches, union 4 + 3 - 3 = 4: AssA 0.75; HOTA = 0.75.
        List<MotRow> gt = List.of(g(1, 1, 0), g(2, 1, 0), g(3, 1, 0), g(4, 1, 0));
        List<MotRow> res = List.of(r(1, 1, 0), r(2, 1, 0), r(3, 1, 0));
        MotScore s = score(gt, res, 4);
        assertThat(s.clear().falseNegatives()).isEqualTo(1);
        assertThat(s.clear().mota()).isEqualTo(0.75);
        assertThat(s.identity().idf1()).isCloseTo(6.0 / 7, within(E));
        assertThat(s.hota().detA()).isCloseTo(0.75, within(E));
        assertThat(s.hota().assA()).isCloseTo(0.75, within(E));
        assertThat(s.hota().hota()).isCloseTo(0.75, within(E));
        assertThat(s.coverage().complete()).isTrue();
        assertThat(s.coverage().resultFrames()).isEqualTo(3);
    }

    @Test
    void identitySwap() {
        // objects A (id 1 at 0) and B (id 2 at 300) in frames 1..4. Result id 10 is on A in frames 1-2 and on B
        // in 3-4, id 20 the other way round.
        // CLEAR: in frame 3 the previous pairs (A,10), (B,20) have IoU 0, so A-20 and B-10 match: IDSW 2,
        // MOTA = (8 - 0 - 2) / 8 = 0.75, Frag 0.
        // Identity: each of the 4 (object, id) pairs covers 2 frames; the best one-to-one trajectory matching
        // covers 4 of 8: IDTP 4, IDFP 4, IDFN 4, IDF1 0.5.
        // HOTA: DetA 1; each pair has 2 matches in a union of 4 + 4 - 2 = 6: A = 1/3, AssA = 8 * (1/3) / 8 = 1/3,
        // HOTA = sqrt(1/3) = 0.577.
        List<MotRow> gt = new ArrayList<>();
        List<MotRow> res = new ArrayList<>();
        for (int f = 1; f <= 4; f++) {
            gt.add(g(f, 1, 0));
            gt.add(g(f, 2, 300));
            res.add(r(f, 10, f <= 2 ? 0 : 300));
            res.add(r(f, 20, f <= 2 ? 300 : 0));
        }
        MotScore s = score(gt, res, 4);
        assertThat(s.clear().idSwitches()).isEqualTo(2);
        assertThat(s.clear().fragmentations()).isZero();
        assertThat(s.clear().mota()).isEqualTo(0.75);
        assertThat(s.identity()).isEqualTo(new IdentityMetrics(0.5, 0.5, 0.5, 4, 4, 4));
        assertThat(s.hota().detA()).isEqualTo(1.0);
        assertThat(s.hota().assA()).isCloseTo(1.0 / 3, within(E));
        assertThat(s.hota().hota()).isCloseTo(Math.sqrt(1.0 / 3), within(E));
        assertThat(s.summaryLine()).isEqualTo("mota 0.750 idf1 0.500 hota 0.577 idsw 2");
    }

    @Test
    void matchingPrefersToKeepThePreviousMatch() {
        // frame 1: object 1 at 0, id 10 at 0. frame 2: id 10 at 20 (IoU 2/3) and id 11 at 0 (IoU 1).
        // Continuing (1, 10) outranks the better IoU: no IDSW, id 11 is a FP. TP 2, FP 1,
        // MOTP = (1 + 2/3) / 2 = 5/6, MOTA = (2 - 1 - 0) / 2 = 0.5.
        List<MotRow> gt = List.of(g(1, 1, 0), g(2, 1, 0));
        List<MotRow> res = List.of(r(1, 10, 0), r(2, 10, 20), r(2, 11, 0));
        ClearMot c = score(gt, res, 2).clear();
        assertThat(c.idSwitches()).isZero();
        assertThat(c.falsePositives()).isEqualTo(1);
        assertThat(c.motp()).isCloseTo(5.0 / 6, within(E));
        assertThat(c.mota()).isEqualTo(0.5);
    }

    @Test
    void hotaAveragesOverAlphaIncludingLocA() {
        // object 1 in frames 1-2, id 1 shifted by 30 px: IoU 7/13 = 0.538 every frame, CLEAR MOTA 1, MOTP 0.538.
        // HOTA: at the 10 alphas 0.05..0.50 both boxes match: DetA 1, AssA 1, HOTA 1, LocA 7/13; at the 9 alphas
        // 0.55..0.95 none do: DetA 0, AssA 0, HOTA 0 and, as in TrackEval, LocA = 1e-10 / 1e-10 = 1.
        // Means: HOTA = DetA = AssA = 10/19 = 0.526; LocA = (10 * 7/13 + 9) / 19 = 0.757.
        List<MotRow> gt = List.of(g(1, 1, 0), g(2, 1, 0));
        List<MotRow> res = List.of(r(1, 1, 30), r(2, 1, 30));
        MotScore s = score(gt, res, 2);
        assertThat(s.clear().mota()).isEqualTo(1.0);
        assertThat(s.clear().motp()).isCloseTo(7.0 / 13, within(E));
        Hota h = s.hota();
        assertThat(h.hota()).isCloseTo(10.0 / 19, within(E));
        assertThat(h.detA()).isCloseTo(10.0 / 19, within(E));
        assertThat(h.assA()).isCloseTo(10.0 / 19, within(E));
        assertThat(h.locA()).isCloseTo((10 * 7.0 / 13 + 9) / 19, within(E));
        assertThat(h.perAlpha()).hasSize(19);
        assertThat(h.perAlpha().get(9).alpha()).isCloseTo(0.5, within(E));
        assertThat(h.hota50()).isEqualTo(1.0);
        assertThat(h.perAlpha().get(10).hota()).isZero();
        assertThat(h.perAlpha().get(9).locA()).isCloseTo(7.0 / 13, within(E));
    }

    @Test
    void emptyResultAndEmptyGroundTruth() {
        // no results: FN = every GT box, MOTA 0, IDF1 0, HOTA 0 (TrackEval: LocA 1)
        MotScore none = score(List.of(g(1, 1, 0), g(2, 1, 0)), List.of(), 2);
        assertThat(none.clear().falseNegatives()).isEqualTo(2);
        assertThat(none.clear().mostlyLost()).isEqualTo(1);
        assertThat(none.summaryLine()).isEqualTo("mota 0.000 idf1 0.000 hota 0.000 idsw 0");
        assertThat(none.hota().locA()).isEqualTo(1.0);
        // no ground truth in the 2 frames: every result box a FP, MOTA = -FP / max(1, 0) = -2
        MotScore fp = MotEvaluator.evaluate(List.of(), List.of(r(1, 1, 0), r(2, 1, 0)), 0.5, 2, 2);
        assertThat(fp.clear().falsePositives()).isEqualTo(2);
        assertThat(fp.summaryLine()).isEqualTo("mota -2.000 idf1 0.000 hota 0.000 idsw 0");
    }

    @Test
    void iouThresholdIsHonoured() {
        // IoU 2/3: a match at 0.5, a miss and a FP at 0.7 (MOTA = (0 - 1) / 1 = -1)
        List<MotRow> gt = List.of(g(1, 1, 0));
        List<MotRow> res = List.of(r(1, 1, 20));
        assertThat(MotEvaluator.evaluate(gt, res, 0.5, 1).clear().mota()).isEqualTo(1.0);
        MotScore strict = MotEvaluator.evaluate(gt, res, 0.7, 1);
        assertThat(strict.clear().mota()).isEqualTo(-1.0);
        assertThat(strict.identity().idtp()).isZero();
        assertThatThrownBy(() -> MotEvaluator.evaluate(gt, res, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MotEvaluator.evaluate(gt, res, 1.5, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void duplicateIdInAFrameIsRejected() {
        assertThatThrownBy(() -> score(List.of(g(1, 1, 0)), List.of(r(1, 4, 0), r(1, 4, 200)), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("result has id 4 twice in frame 1");
    }

    @Test
    void iou() {
        assertThat(EvalSequence.iou(0, 0, 100, 100, 20, 0, 100, 100)).isCloseTo(2.0 / 3, within(E));
        assertThat(EvalSequence.iou(0, 0, 10, 10, 5, 5, 10, 10)).isCloseTo(25.0 / 175, within(E));
        assertThat(EvalSequence.iou(0, 0, 10, 10, 10, 0, 10, 10)).isZero();
        assertThat(EvalSequence.iou(0, 0, 0, 10, 0, 0, 0, 10)).isZero();
    }
}
