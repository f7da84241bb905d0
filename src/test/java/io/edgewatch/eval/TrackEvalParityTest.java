package io.edgewatch.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A crowded, noisy synthetic sequence (overlapping people, do-not-care boxes, id changes, gaps, clutter) whose
 * expected figures were computed outside this project by a line-for-line transcription of TrackEval's
 * {@code clear.py}, {@code identity.py} and {@code hota.py} (numpy, scipy's {@code linear_sum_assignment}) with this
 * package's do-not-care rule, on exactly the rows {@link #crowded()} makes.
 */
class TrackEvalParityTest {

    /** Ground truth and results, 60 frames, 12 people in a 300 x 200 px area, integer pixel boxes. */
    static List<List<MotRow>> crowded() {
        Random rnd = new Random(2016);
        List<MotRow> gt = new ArrayList<>();
        List<MotRow> res = new ArrayList<>();
        int frames = 60;
        for (int id = 1; id <= 12; id++) {
            int start = 1 + rnd.nextInt(frames);
            int end = start + rnd.nextInt(frames - start + 1);
            double x = rnd.nextDouble() * 300;
            double y = rnd.nextDouble() * 200;
            double w = 20 + rnd.nextDouble() * 60;
            double h = 40 + rnd.nextDouble() * 110;
            boolean dnc = rnd.nextDouble() < 0.2;
            int track = 100 + id;
            for (int f = start; f <= end; f++) {
                x += rnd.nextGaussian() * 5;
                y += rnd.nextGaussian() * 3;
                boolean care = !dnc && rnd.nextDouble() >= 0.05;
                gt.add(new MotRow(f, id, Math.round(x), Math.round(y), Math.round(w), Math.round(h), care ? 1 : 0,
                        -1, -1, -1));
                if (rnd.nextDouble() < 0.85) {
                    if (rnd.nextDouble() < 0.06) {
                        track = 300 + rnd.nextInt(40);   // may reuse another track's id later: switches
                    }
                    double jx = rnd.nextGaussian() * 0.12 * w;
                    double jy = rnd.nextGaussian() * 0.12 * h;
                    double sw = w * (0.8 + 0.4 * rnd.nextDouble());
                    double sh = h * (0.8 + 0.4 * rnd.nextDouble());
                    res.add(MotRow.result(f, track, Math.round(x + jx), Math.round(y + jy), Math.round(sw),
                            Math.round(sh), 1));
                }
            }
        }
        for (int k = 0; k < 40; k++) {
            res.add(MotRow.result(1 + rnd.nextInt(frames), 500 + rnd.nextInt(30), Math.round(rnd.nextDouble() * 300),
                    Math.round(rnd.nextDouble() * 200), 20 + rnd.nextInt(60), 40 + rnd.nextInt(110), 1));
        }
        return List.of(unique(gt), unique(res));
    }

    private static List<MotRow> unique(List<MotRow> rows) {
        Set<Long> seen = new HashSet<>();
        List<MotRow> out = new ArrayList<>();
        for (MotRow r : rows) {
            if (seen.add(((long) r.frame() << 32) | (r.id() & 0xffffffffL))) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void matchesTrackEval() {
        List<List<MotRow>> c = crowded();
        MotScore s = MotEvaluator.evaluate(c.get(0), c.get(1), 0.5, 60, 60);
        assertThat(s.doNotCareGtDets()).isEqualTo(76);
        assertThat(s.removedResultDets()).isEqualTo(309 - 249);
        ClearMot m = s.clear();
        assertThat(new int[]{m.matches(), m.falsePositives(), m.falseNegatives(), m.idSwitches(), m.fragmentations(),
                m.mostlyTracked(), m.partiallyTracked(), m.mostlyLost()})
                .containsExactly(172, 77, 72, 16, 56, 1, 8, 0);
        assertThat(m.mota()).isCloseTo(0.3237704918032787, within(1e-12));
        assertThat(m.motp()).isCloseTo(0.6828394529563665, within(1e-12));
        assertThat(s.identity().idtp()).isEqualTo(109);
        assertThat(s.identity().idfp()).isEqualTo(140);
        assertThat(s.identity().idfn()).isEqualTo(135);
        Hota h = s.hota();
        assertThat(h.hota()).isCloseTo(0.3519533323730099, within(1e-12));
        assertThat(h.detA()).isCloseTo(0.4336375029662802, within(1e-12));
        assertThat(h.assA()).isCloseTo(0.28699206503062047, within(1e-12));
        assertThat(h.locA()).isCloseTo(0.7301016946378063, within(1e-12));
        assertThat(h.hota50()).isCloseTo(0.4209689318039871, within(1e-12));
        assertThat(s.summaryLine()).isEqualTo("mota 0.324 idf1 0.442 hota 0.352 idsw 16");
    }
}
