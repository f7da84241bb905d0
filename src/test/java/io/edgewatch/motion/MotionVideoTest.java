package io.edgewatch.motion;

import io.edgewatch.config.NormalizedPoints;
import io.edgewatch.detect.BoxNorm;
import io.edgewatch.testsupport.TestPaths;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_core.vconcat;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The detector on real video: people walking in vtest.avi, MOTChallenge ground truth of the TUD sequences, a global
 * brightness step, a mask over moving people, and the cost per frame.
 */
class MotionVideoTest {
    private static final int WARMUP = MotionSettings.DEFAULT_WARMUP_FRAMES + 1;

    @Test
    void peopleWalkingGiveMotionOnMostFrames() throws Exception {
        int[] motion = new int[1];
        int[] boxes = new int[1];
        double[] area = new double[1];
        int n;
        try (MotionDetector d = new MotionDetector(MotionSettings.defaults())) {
            n = MotionMedia.forEachFrame(TestPaths.vtest(), Integer.MAX_VALUE, (i, f) -> {
                MotionResult r = d.detect(f);
                assertThat(r.relearned()).as("frame %d", i).isFalse();
                if (i >= WARMUP) {
                    motion[0] += r.hasMotion() ? 1 : 0;
                    boxes[0] += r.boxes().size();
                    area[0] += r.boxes().stream().mapToDouble(BoxNorm::area).sum();
                }
            });
        }
        double frac = (double) motion[0] / (n - WARMUP);
        System.out.printf("vtest.avi: motion on %d of %d frames (%.3f), %.2f boxes per frame, boxes cover %.3f of the frame on average%n",
                motion[0], n - WARMUP, frac, (double) boxes[0] / (n - WARMUP), area[0] / (n - WARMUP));
        assertThat(frac).isGreaterThan(0.9);
        assertThat(area[0] / (n - WARMUP)).as("motion boxes are regions, not the whole frame").isLessThan(0.5);
    }

    /**
     * Fraction of ground-truth person boxes (after the warm-up) that a motion box covers: by centre (the centre is
     * inside a motion box) and by overlap (a motion box covers at least a quarter of the person's box). The people in
     * the first frame are part of the learned background, so one standing still stays invisible to motion until they
     * move (the figure may be below 1 by design); their ghosts once they walk away show as motion for a while, which is
     * why much of the motion boxes' area is outside the person boxes (printed).
     */
    @ParameterizedTest(name = "{0}, capture's grey copy {2}")
    @CsvSource({"TUD-Campus,0.95,false", "TUD-Stadtmitte,0.95,false", "TUD-Campus,0.95,true", "TUD-Stadtmitte,0.95,true"})
    void motionBoxesCoverTheMovingPeople(String seq, double bound, boolean greyCopy) throws Exception {
        Path video = TestPaths.sharedMedia("tracking/" + seq + "/" + seq + ".mp4");
        Map<Integer, List<BoxNorm>> gt = MotionMedia.groundTruth(TestPaths.sharedMedia("tracking/" + seq + "/gt.txt"), 640, 480);
        int[] counts = new int[3]; // gt boxes, centre covered, overlap covered
        double[] motionArea = new double[2]; // motion box area summed over frames, of it inside some ground-truth box
        try (MotionDetector d = new MotionDetector(MotionSettings.defaults())) {
            MotionMedia.forEachFrame(video, Integer.MAX_VALUE, greyCopy ? d.settings().frameWidthPx() : 0, (i, f, small) -> {
                if (greyCopy) {
                    assertThat(small).isNotNull();
                }
                MotionResult r = d.detect(f, small);
                if (i < WARMUP) {
                    return;
                }
                for (BoxNorm m : r.boxes()) {
                    motionArea[0] += m.area();
                    motionArea[1] += gt.getOrDefault(i, List.of()).stream().mapToDouble(g -> intersection(g, m)).max().orElse(0);
                }
                for (BoxNorm g : gt.getOrDefault(i, List.of())) {
                    counts[0]++;
                    boolean centre = false;
                    double covered = 0;
                    for (BoxNorm m : r.boxes()) {
                        centre |= g.centerX() >= m.xMin() && g.centerX() <= m.xMax() && g.centerY() >= m.yMin() && g.centerY() <= m.yMax();
                        covered = Math.max(covered, intersection(g, m) / g.area());
                    }
                    counts[1] += centre ? 1 : 0;
                    counts[2] += covered >= 0.25 ? 1 : 0;
                }
            });
        }
        double byCentre = (double) counts[1] / counts[0];
        double byOverlap = (double) counts[2] / counts[0];
        int frames = gt.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1 - WARMUP;
        System.out.printf("%s (grey copy %s): %d ground-truth boxes after the warm-up; centre in a motion box %.3f, a quarter or more covered %.3f;"
                        + " motion boxes cover %.3f of the frame on average, %.3f of their area inside a person box%n",
                seq, greyCopy, counts[0], byCentre, byOverlap, motionArea[0] / frames, motionArea[1] / motionArea[0]);
        assertThat(counts[0]).isGreaterThan(200);
        assertThat(byOverlap).isGreaterThanOrEqualTo(bound);
    }

    /**
     * A wide view: TUD-Stadtmitte tiled 2x2 into one 1280x960 frame (each person at half the relative size, about 12x41 px
     * of the small frame on average), ground truth offset into the four tiles: the coverage of the untiled clip is kept.
     */
    @Test
    void aTiledWideViewKeepsTheCoverage() throws Exception {
        String seq = "TUD-Stadtmitte";
        Path video = TestPaths.sharedMedia("tracking/" + seq + "/" + seq + ".mp4");
        Map<Integer, List<BoxNorm>> gt = MotionMedia.groundTruth(TestPaths.sharedMedia("tracking/" + seq + "/gt.txt"), 640, 480);
        int[] counts = new int[2];
        try (MotionDetector d = new MotionDetector(MotionSettings.defaults()); Mat row = new Mat(); Mat tiled = new Mat();
             MatVector two = new MatVector(2)) {
            MotionMedia.forEachFrame(video, Integer.MAX_VALUE, (i, f) -> {
                two.put(0, f);
                two.put(1, f);
                hconcat(two, row);
                two.put(0, row);
                two.put(1, row);
                vconcat(two, tiled);
                MotionResult r = d.detect(tiled);
                if (i < WARMUP) {
                    return;
                }
                for (BoxNorm g0 : gt.getOrDefault(i, List.of())) {
                    for (int t = 0; t < 4; t++) {
                        double ox = (t % 2) * 0.5, oy = (t / 2) * 0.5;
                        BoxNorm g = new BoxNorm(ox + g0.xMin() / 2, oy + g0.yMin() / 2, ox + g0.xMax() / 2, oy + g0.yMax() / 2);
                        counts[0]++;
                        double covered = 0;
                        for (BoxNorm m : r.boxes()) {
                            covered = Math.max(covered, intersection(g, m) / g.area());
                        }
                        counts[1] += covered >= 0.25 ? 1 : 0;
                    }
                }
            });
        }
        double byOverlap = (double) counts[1] / counts[0];
        System.out.printf("%s tiled 2x2 (1280x960): %d ground-truth boxes, a quarter or more covered %.3f%n", seq, counts[0], byOverlap);
        assertThat(byOverlap).isGreaterThanOrEqualTo(0.9);
    }

    private static double intersection(BoxNorm a, BoxNorm b) {
        double ix = Math.min(a.xMax(), b.xMax()) - Math.max(a.xMin(), b.xMin());
        double iy = Math.min(a.yMax(), b.yMax()) - Math.max(a.yMin(), b.yMin());
        return ix <= 0 || iy <= 0 ? 0 : ix * iy;
    }

    @Test
    void aGlobalBrightnessStepIsRelearnedNotMotion() throws Exception {
        int step = 100;
        List<MotionResult> results = new ArrayList<>();
        try (MotionDetector d = new MotionDetector(MotionSettings.defaults()); Mat bright = new Mat()) {
            MotionMedia.forEachFrame(TestPaths.vtest(), step + 100, (i, f) -> {
                if (i >= step) {
                    f.convertTo(bright, -1, 1.6, 0); // every frame from the step on is 1.6x brighter (saturating)
                    results.add(d.detect(bright));
                } else {
                    results.add(d.detect(f));
                }
            });
        }
        MotionResult atStep = results.get(step);
        System.out.printf("brightness x1.6 at frame %d: changed fraction %.3f, relearned %s; relearns in the whole run %d%n",
                step, atStep.changedFraction(), atStep.relearned(), results.stream().filter(MotionResult::relearned).count());
        assertThat(atStep.relearned()).isTrue();
        assertThat(atStep.hasMotion()).isFalse();
        assertThat(results.stream().filter(MotionResult::relearned).count()).isOne();
        for (int i = step; i <= step + MotionSettings.DEFAULT_WARMUP_FRAMES; i++) {
            assertThat(results.get(i).hasMotion()).as("frame %d (warm-up after the re-learn)", i).isFalse();
        }
        long before = results.subList(step - 50, step).stream().filter(MotionResult::hasMotion).count();
        List<MotionResult> after = results.subList(step + MotionSettings.DEFAULT_WARMUP_FRAMES + 1, step + 100);
        long afterMotion = after.stream().filter(MotionResult::hasMotion).count();
        double maxAfter = after.stream().mapToDouble(MotionResult::changedFraction).max().orElse(0);
        System.out.printf("motion frames: %d of the 50 before the step, %d of the %d after its warm-up (largest changed fraction after: %.3f)%n",
                before, afterMotion, after.size(), maxAfter);
        assertThat((double) afterMotion / after.size()).isGreaterThan(0.9);
        assertThat(maxAfter).as("back to people-sized changes").isLessThan(0.2);
    }

    /**
     * Auto exposure ramping the brightness up by 1.6x over 10 frames: reported (how many frames show frame-wide motion
     * before the guard re-learns), and motion is back to people-sized changes once the ramp and the warm-up are over.
     */
    @Test
    void aBrightnessRampEndsInARelearnAndNormalMotion() throws Exception {
        int start = 100, ramp = 10;
        List<MotionResult> results = new ArrayList<>();
        try (MotionDetector d = new MotionDetector(MotionSettings.defaults()); Mat bright = new Mat()) {
            MotionMedia.forEachFrame(TestPaths.vtest(), start + 100, (i, f) -> {
                double gain = i < start ? 1 : 1 + 0.6 * Math.min(1, (i - start + 1) / (double) ramp);
                f.convertTo(bright, -1, gain, 0);
                results.add(d.detect(bright));
            });
        }
        StringBuilder line = new StringBuilder("brightness ramp x1.6 over " + ramp + " frames from frame " + start + ": (changed fraction, box area, relearned)");
        int wide = 0;
        for (int i = start; i < start + ramp + MotionSettings.DEFAULT_WARMUP_FRAMES + 3; i++) {
            MotionResult r = results.get(i);
            double area = r.boxes().stream().mapToDouble(BoxNorm::area).sum();
            wide += area > 0.5 ? 1 : 0;
            line.append(String.format(" %d:(%.2f,%.2f%s)", i, r.changedFraction(), area, r.relearned() ? ",R" : ""));
        }
        System.out.println(line);
        System.out.println("frames with motion boxes over half the frame during the ramp: " + wide);
        assertThat(results.stream().anyMatch(MotionResult::relearned)).isTrue();
        List<MotionResult> after = results.subList(start + 40, start + 100);
        assertThat(after.stream().filter(MotionResult::hasMotion).count()).isGreaterThan(after.size() * 9L / 10);
        assertThat(after.stream().mapToDouble(MotionResult::changedFraction).max().orElse(1)).isLessThan(0.2);
    }

    @Test
    void aMaskOverMovingPeopleSilencesThatRegionOnly() throws Exception {
        // the left half of vtest.avi has people walking all the time
        MotionSettings masked = MotionSettings.defaults().withMasks(List.of(new NormalizedPoints(new double[]{0, 0, 0.5, 0, 0.5, 1, 0, 1})));
        int[] leftUnmasked = new int[1];
        int[] leftMasked = new int[1];
        int[] rightMasked = new int[1];
        try (MotionDetector plain = new MotionDetector(MotionSettings.defaults()); MotionDetector d = new MotionDetector(masked)) {
            MotionMedia.forEachFrame(TestPaths.vtest(), 300, (i, f) -> {
                MotionResult a = plain.detect(f);
                MotionResult b = d.detect(f);
                leftUnmasked[0] += a.boxes().stream().anyMatch(x -> x.xMin() < 0.45) ? 1 : 0;
                leftMasked[0] += b.boxes().stream().anyMatch(x -> x.xMin() < 0.5 - 1e-9) ? 1 : 0;
                rightMasked[0] += b.hasMotion() ? 1 : 0;
            });
        }
        System.out.printf("mask over the left half: frames with motion on the left %d unmasked, %d masked; frames with motion on the right %d%n",
                leftUnmasked[0], leftMasked[0], rightMasked[0]);
        assertThat(leftUnmasked[0]).isGreaterThan(200);
        assertThat(leftMasked[0]).isZero();
        assertThat(rightMasked[0]).isGreaterThan(100);
    }

    /** Wall time per frame at two frame sizes (printed, not asserted: the machine is shared). */
    @Test
    void costPerFrame() throws Exception {
        List<Long> fromGrey = new ArrayList<>();
        try (MotionDetector d = new MotionDetector(MotionSettings.defaults())) {
            MotionMedia.forEachFrame(TestPaths.vtest(), 400, d.settings().frameWidthPx(), (i, f, g) -> {
                d.detect(f, g);
                if (i >= 50) {
                    fromGrey.add(d.lastDetectNanos());
                }
            });
        }
        long[] g = fromGrey.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("motion detect 768x576 from the capture's grey copy: mean %.3f ms, median %.3f ms per frame (%d frames)%n",
                Arrays.stream(g).average().orElse(0) / 1e6, g[g.length / 2] / 1e6, g.length);
        for (int scale : new int[]{1, 2}) {
            List<Long> nanos = new ArrayList<>();
            try (MotionDetector d = new MotionDetector(MotionSettings.defaults()); Mat big = new Mat(); Size size = new Size(768 * scale, 576 * scale)) {
                MotionMedia.forEachFrame(TestPaths.vtest(), 400, (i, f) -> {
                    Mat in = f;
                    if (scale != 1) {
                        resize(f, big, size, 0, 0, INTER_LINEAR);
                        in = big;
                    }
                    d.detect(in);
                    if (i >= 50) {
                        nanos.add(d.lastDetectNanos());
                    }
                });
            }
            long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            double mean = Arrays.stream(s).average().orElse(0) / 1e6;
            System.out.printf("motion detect %dx%d: mean %.3f ms, median %.3f ms, p95 %.3f ms per frame (%d frames)%n",
                    768 * scale, 576 * scale, mean, s[s.length / 2] / 1e6, s[(int) (s.length * 0.95)] / 1e6, s.length);
            assertThat(mean).isPositive();
        }
    }
}
