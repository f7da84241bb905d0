package io.edgewatch.detect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DetectionMergerTest {
    private static Detection person(double score, BoxNorm b) {
        return new Detection(0, "person", score, b);
    }

    @Test
    void theSamePersonSeenInTwoOverlappingRegionsIsOneDetection() {
        // regions [0,600) and [300,900) of a 1200x600 frame; the person at x 400..460 px is in both
        Region left = new Region(0, 0, 600, 600, false);
        Region right = new Region(300, 0, 600, 600, false);
        var a = DetectionMerger.toFrame(person(0.8, new BoxNorm(400 / 600.0, 0.2, 460 / 600.0, 0.5)), left, 1200, 600);
        var b = DetectionMerger.toFrame(person(0.7, new BoxNorm(100 / 600.0, 0.2, 160 / 600.0, 0.5)), right, 1200, 600);
        List<Detection> merged = DetectionMerger.merge(List.of(a, b));
        assertThat(merged).hasSize(1);
        assertThat(merged.get(0).score()).isEqualTo(0.8);
        assertThat(merged.get(0).box().xMin() * 1200).isCloseTo(400, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void aBoxCutByAnInnerRegionEdgeGivesWayToTheWholeOne() {
        Region left = new Region(0, 0, 600, 600, false);   // inner edge at x = 600
        Region right = new Region(500, 0, 600, 600, false);
        // cut in the left region: x 560..600 px (touches its right edge); whole in the right region: x 560..640
        var cut = DetectionMerger.toFrame(person(0.9, new BoxNorm(560 / 600.0, 0.2, 1.0, 0.5)), left, 1200, 600);
        var whole = DetectionMerger.toFrame(person(0.6, new BoxNorm(60 / 600.0, 0.2, 140 / 600.0, 0.5)), right, 1200, 600);
        assertThat(cut.cut()).isTrue();
        assertThat(whole.cut()).isFalse();
        List<Detection> merged = DetectionMerger.merge(List.of(cut, whole));
        assertThat(merged).hasSize(1);
        assertThat(merged.get(0).score()).isEqualTo(0.6);
    }

    @Test
    void aBoxAtTheFrameBorderIsNotCut() {
        Region r = new Region(0, 0, 300, 300, false);
        assertThat(DetectionMerger.toFrame(person(0.9, new BoxNorm(0, 0, 0.2, 0.5)), r, 1920, 1080).cut()).isFalse();
        assertThat(DetectionMerger.toFrame(person(0.9, new BoxNorm(0.8, 0, 1.0, 0.5)), r, 1920, 1080).cut()).isTrue();
    }

    @Test
    void twoPeopleSideBySideStayTwo() {
        Region full = Region.full(1000, 1000);
        var a = DetectionMerger.toFrame(person(0.9, new BoxNorm(0.10, 0.1, 0.20, 0.5)), full, 1000, 1000);
        var b = DetectionMerger.toFrame(person(0.8, new BoxNorm(0.18, 0.1, 0.28, 0.5)), full, 1000, 1000);
        assertThat(DetectionMerger.merge(List.of(a, b))).hasSize(2);
    }
}
