package io.edgewatch.detect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BoxNormTest {

    @Test
    void iouOfOverlappingBoxes() {
        // inter 0.2x0.2 = 0.04; union 0.16 + 0.16 - 0.04 = 0.28; IoU = 1/7
        BoxNorm a = new BoxNorm(0.0, 0.0, 0.4, 0.4);
        BoxNorm b = new BoxNorm(0.2, 0.2, 0.6, 0.6);
        assertThat(a.iou(b)).isCloseTo(1.0 / 7, within(1e-12));
        assertThat(b.iou(a)).isCloseTo(1.0 / 7, within(1e-12));
    }

    @Test
    void iouOfIdenticalDisjointAndTouchingBoxes() {
        BoxNorm a = new BoxNorm(0.1, 0.1, 0.3, 0.5);
        assertThat(a.iou(a)).isCloseTo(1.0, within(1e-12));
        assertThat(a.iou(new BoxNorm(0.5, 0.5, 0.7, 0.7))).isZero();
        assertThat(a.iou(new BoxNorm(0.3, 0.1, 0.5, 0.5))).isZero(); // shares an edge only
    }

    @Test
    void containedBoxIouIsAreaRatio() {
        BoxNorm outer = new BoxNorm(0, 0, 0.4, 0.4);   // 0.16
        BoxNorm inner = new BoxNorm(0.1, 0.1, 0.3, 0.3); // 0.04
        assertThat(outer.iou(inner)).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void bufferedBoxGrowsEachSideByTheFraction() {
        BoxNorm b = new BoxNorm(0.2, 0.4, 0.3, 0.6).buffered(0.5); // w 0.1, h 0.2 -> +0.05 / +0.1 per side
        assertThat(b.xMin()).isCloseTo(0.15, within(1e-12));
        assertThat(b.xMax()).isCloseTo(0.35, within(1e-12));
        assertThat(b.yMin()).isCloseTo(0.3, within(1e-12));
        assertThat(b.yMax()).isCloseTo(0.7, within(1e-12));
        // two boxes one width apart do not overlap, buffered by 0.5 they do: IoU = 0.05*0.2 / (2*0.04 - 0.01)
        BoxNorm left = new BoxNorm(0.0, 0.0, 0.1, 0.2);
        BoxNorm right = new BoxNorm(0.1, 0.0, 0.2, 0.2);
        assertThat(left.iou(right)).isZero();
        assertThat(left.buffered(0.5).iou(right.buffered(0.5))).isCloseTo(1.0 / 3, within(1e-12)); // inter 0.1x0.4, union 2*0.08 - 0.04
    }

    @Test
    void clampKeepsUnitSquare() {
        BoxNorm c = new BoxNorm(-0.1, 0.2, 1.3, 0.9).clamped();
        assertThat(c).isEqualTo(new BoxNorm(0, 0.2, 1, 0.9));
    }
}
