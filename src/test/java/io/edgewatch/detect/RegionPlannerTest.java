package io.edgewatch.detect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionPlannerTest {
    private final RegionPlanner planner = new RegionPlanner(300, 2.6, 4, 0.25);

    private static BoxNorm px(double x0, double y0, double x1, double y1, int w, int h) {
        return new BoxNorm(x0 / w, y0 / h, x1 / w, y1 / h);
    }

    @Test
    void noBoxMeansNoRegion() {
        assertThat(planner.plan(List.of(), 1920, 1080)).isEmpty();
    }

    @Test
    void aSmallBoxGetsASquareOfTheModelInputAtFullResolution() {
        // a 30x60 px person at (1000,500) on 1080p: padded 45x90, squared to 300x300 around its centre
        List<Region> r = planner.plan(List.of(px(985, 470, 1015, 530, 1920, 1080)), 1920, 1080);
        assertThat(r).containsExactly(new Region(850, 350, 300, 300, false));
        assertThat(r.get(0).downscale(300)).isEqualTo(1.0);
    }

    @Test
    void aRegionAtTheEdgeIsShiftedInsideTheFrame() {
        List<Region> r = planner.plan(List.of(px(0, 0, 20, 40, 1920, 1080)), 1920, 1080);
        assertThat(r).containsExactly(new Region(0, 0, 300, 300, false));
    }

    @Test
    void nearbyBoxesShareOneRegionAndDistantOnesDoNot() {
        BoxNorm a = px(100, 100, 130, 160, 1920, 1080);
        BoxNorm b = px(200, 150, 230, 210, 1920, 1080); // union 130 px wide: one 300 px square
        BoxNorm c = px(1700, 800, 1730, 860, 1920, 1080); // 1600 px away: union larger than 2.6 x 300
        List<Region> r = planner.plan(List.of(a, b, c), 1920, 1080);
        assertThat(r).hasSize(2);
        for (BoxNorm box : List.of(a, b, c)) {
            assertThat(r.stream().anyMatch(reg -> covers(reg, box, 1920, 1080))).as("box %s covered", box).isTrue();
        }
    }

    @Test
    void aFrameWithinTheDownscaleBoundIsOneFullFrameRegionWhateverMoves() {
        // 768x576 (vtest.avi) is 2.56 x 300: boxes in opposite corners merge into the whole frame, one invoke
        List<Region> r = planner.plan(List.of(px(10, 10, 40, 80, 768, 576), px(700, 480, 740, 570, 768, 576)), 768, 576);
        assertThat(r).containsExactly(Region.full(768, 576));
    }

    @Test
    void overTheRegionBudgetTheClosestRegionsMerge() {
        RegionPlanner two = new RegionPlanner(300, 1.0, 2, 0.0);
        List<BoxNorm> boxes = List.of(px(0, 0, 50, 50, 3840, 2160), px(1000, 0, 1050, 50, 3840, 2160),
                px(3700, 2000, 3750, 2050, 3840, 2160));
        List<Region> r = two.plan(boxes, 3840, 2160);
        assertThat(r).hasSize(2);
        for (BoxNorm box : boxes) {
            assertThat(r.stream().anyMatch(reg -> covers(reg, box, 3840, 2160))).isTrue();
        }
    }

    @Test
    void aBoxLargerThanTheBoundGetsARegionAsLargeAsItself() {
        List<Region> r = planner.plan(List.of(px(100, 0, 1500, 1000, 1920, 1080)), 1920, 1080);
        assertThat(r).hasSize(1);
        assertThat(covers(r.get(0), px(100, 0, 1500, 1000, 1920, 1080), 1920, 1080)).isTrue();
    }

    @Test
    void settingsOutOfRangeAreNamed() {
        assertThatThrownBy(() -> new RegionPlanner(300, 0.5, 4, 0.25)).hasMessageContaining("max-downscale");
        assertThatThrownBy(() -> new RegionPlanner(300, 2, 0, 0.25)).hasMessageContaining("max-regions");
    }

    @Test
    void regionMapsDetectionsBackToTheFrame() {
        Region r = new Region(850, 350, 300, 300, false);
        BoxNorm inFrame = r.toFrame(new BoxNorm(0.5, 0.4, 0.6, 0.6), 1920, 1080);
        assertThat(inFrame.xMin() * 1920).isCloseTo(1000, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(inFrame.yMin() * 1080).isCloseTo(470, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(inFrame.xMax() * 1920).isCloseTo(1030, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(inFrame.yMax() * 1080).isCloseTo(530, org.assertj.core.api.Assertions.within(1e-6));
    }

    private static boolean covers(Region r, BoxNorm b, int w, int h) {
        return r.x() <= b.xMin() * w + 1e-6 && r.y() <= b.yMin() * h + 1e-6 && r.x() + r.width() >= b.xMax() * w - 1e-6
                && r.y() + r.height() >= b.yMax() * h - 1e-6;
    }
}
