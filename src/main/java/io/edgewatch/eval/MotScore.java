package io.edgewatch.eval;

import java.util.List;
import java.util.Locale;

/**
 * All tracking figures of one sequence: CLEAR MOT, identity metrics, HOTA and the frame coverage.
 *
 * @param clear        CLEAR MOT at {@code iouThreshold}
 * @param identity     IDF1, IDP, IDR at {@code iouThreshold}
 * @param hota         HOTA, DetA, AssA, LocA (over alpha 0.05..0.95, no threshold)
 * @param coverage     frames scored and frames missing
 * @param iouThreshold the IoU threshold of CLEAR MOT and the identity metrics
 * @param doNotCareGtDets do-not-care ground-truth boxes left out
 * @param removedResultDets result boxes left out because they matched a do-not-care box
 */
public record MotScore(ClearMot clear, IdentityMetrics identity, Hota hota, FrameCoverage coverage,
                       double iouThreshold, int doNotCareGtDets, int removedResultDets) {

    /** {@code mota X idf1 Y hota Z idsw N}: the line scripts read; ratios with 3 decimals. */
    public String summaryLine() {
        return "mota " + fmt(clear.mota()) + " idf1 " + fmt(identity.idf1()) + " hota " + fmt(hota.hota())
                + " idsw " + clear.idSwitches();
    }

    /** A human-readable report, one line per family, the coverage, then {@link #summaryLine()} last. */
    public List<String> reportLines() {
        ClearMot c = clear;
        IdentityMetrics i = identity;
        return List.of(
                String.format(Locale.ROOT, "clear iou %s mota %s motp %s moda %s fp %d fn %d idsw %d frag %d "
                                + "matches %d gt_dets %d gt_ids %d mt %d pt %d ml %d recall %s precision %s",
                        MotChallenge.number(iouThreshold, 3), fmt(c.mota()), fmt(c.motp()), fmt(c.moda()),
                        c.falsePositives(), c.falseNegatives(), c.idSwitches(), c.fragmentations(), c.matches(),
                        c.gtDets(), c.gtIds(), c.mostlyTracked(), c.partiallyTracked(), c.mostlyLost(),
                        fmt(c.recall()), fmt(c.precision())),
                String.format(Locale.ROOT, "identity idf1 %s idp %s idr %s idtp %d idfp %d idfn %d",
                        fmt(i.idf1()), fmt(i.idp()), fmt(i.idr()), i.idtp(), i.idfp(), i.idfn()),
                String.format(Locale.ROOT, "hota hota %s deta %s assa %s loca %s hota@0.5 %s",
                        fmt(hota.hota()), fmt(hota.detA()), fmt(hota.assA()), fmt(hota.locA()), fmt(hota.hota50())),
                coverage.describe() + (doNotCareGtDets > 0 || removedResultDets > 0
                        ? " do_not_care gt " + doNotCareGtDets + " results removed " + removedResultDets : ""),
                summaryLine());
    }

    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.equals("-0.000") ? "0.000" : s;
    }
}
