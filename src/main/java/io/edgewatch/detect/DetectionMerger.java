package io.edgewatch.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merges the detections of one frame's regions into one list (non-maximum suppression across regions). A person
 * on the border between two regions is seen whole in one and cut in the other; the cut box touches an inner edge
 * of its region (an edge that is not the frame's). Boxes are ranked whole-before-cut, then by score; a box is
 * suppressed when it overlaps a kept box of the same label by IoU &gt;= {@code iou}, or when one of the two is cut
 * and lies mostly ({@code containment} of its area) inside the other. Stateless.
 */
public final class DetectionMerger {
    /** Overlap (IoU) at which two boxes of one label are the same object; 0.5 as in the detector's own NMS. */
    public static final double IOU = 0.5;
    /** Share of a cut box's area inside another box at which it is a part of that object. */
    public static final double CONTAINMENT = 0.7;
    /** How close to an inner region edge (fraction of the region side) a box counts as cut. */
    private static final double EDGE = 0.01;
    /** Boxes inside another that make it a group box. */
    static final int GROUP_MEMBERS = 2;
    /** Largest share of a group box's area one member may have. */
    static final double GROUP_MEMBER_AREA = 0.15;

    private DetectionMerger() {
    }

    /** A detection in frame coordinates and whether its region cut it. */
    public record Candidate(Detection detection, boolean cut) { }

    /**
     * Maps a detection of a region crop to the frame.
     *
     * @param inRegion detection with its box normalized to the region
     */
    public static Candidate toFrame(Detection inRegion, Region r, int frameWidth, int frameHeight) {
        BoxNorm b = inRegion.box();
        boolean cut = !r.fullFrame() && ((b.xMin() <= EDGE && r.x() > 0) || (b.yMin() <= EDGE && r.y() > 0)
                || (b.xMax() >= 1 - EDGE && r.x() + r.width() < frameWidth) || (b.yMax() >= 1 - EDGE && r.y() + r.height() < frameHeight));
        Detection d = new Detection(inRegion.labelIndex(), inRegion.label(), inRegion.score(),
                r.toFrame(b, frameWidth, frameHeight).clamped());
        return new Candidate(d, cut);
    }

    /** The merged detections, best first. */
    public static List<Detection> merge(List<Candidate> candidates) {
        if (candidates.size() <= 1) {
            return candidates.stream().map(Candidate::detection).toList();
        }
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparing((Candidate c) -> c.cut()).thenComparing(c -> -c.detection().score()));
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : sorted) {
            boolean suppressed = false;
            for (Candidate k : kept) {
                if (!k.detection().label().equals(c.detection().label())) {
                    continue;
                }
                BoxNorm a = c.detection().box();
                BoxNorm b = k.detection().box();
                if (a.iou(b) >= IOU) {
                    suppressed = true;
                } else if ((c.cut() || k.cut()) && inside(c.cut() ? a : b, c.cut() ? b : a) >= CONTAINMENT) {
                    suppressed = true;
                }
                if (suppressed) {
                    break;
                }
            }
            if (!suppressed) {
                kept.add(c);
            }
        }
        List<Detection> out = new ArrayList<>(kept.size());
        for (Candidate k : kept) {
            if (!groupBox(k.detection(), kept)) {
                out.add(k.detection());
            }
        }
        out.sort(Comparator.comparingDouble(d -> -d.score()));
        return out;
    }

    /**
     * Whether {@code d} is a box around a group rather than one object: at least {@value #GROUP_MEMBERS} other kept
     * boxes of its label, each at most {@value #GROUP_MEMBER_AREA} of its area, lie mostly ({@code containment}) inside
     * it. SSD models fire such boxes on crowds seen small (a wide view shrunk into the model input); one of them
     * becomes a frame-sized track whose box pulls every region into one full-frame region at the worst resolution
     * (measured on a 2x2 tiling of TUD-Stadtmitte: 117 of 179 frames full-frame, recall 0.58 against 0.76 untiled;
     * without group boxes 0.72). Boxes larger than 0.15 of its area are not members, so a near person overlapping
     * the people beside them is kept (TUD-Campus and TUD-Stadtmitte untiled score the same with and without the
     * rule; it never fired on vtest.avi).
     */
    static boolean groupBox(Detection d, List<Candidate> kept) {
        BoxNorm box = d.box();
        int members = 0;
        for (Candidate o : kept) {
            Detection od = o.detection();
            if (od != d && od.label().equals(d.label()) && od.box().area() <= GROUP_MEMBER_AREA * box.area()
                    && inside(od.box(), box) >= CONTAINMENT && ++members >= GROUP_MEMBERS) {
                return true;
            }
        }
        return false;
    }

    /** Share of {@code a}'s area inside {@code b}, 0..1. */
    static double inside(BoxNorm a, BoxNorm b) {
        double ix = Math.min(a.xMax(), b.xMax()) - Math.max(a.xMin(), b.xMin());
        double iy = Math.min(a.yMax(), b.yMax()) - Math.max(a.yMin(), b.yMin());
        if (ix <= 0 || iy <= 0 || a.area() <= 0) {
            return 0;
        }
        return ix * iy / a.area();
    }
}
