package io.edgewatch.track;

import io.edgewatch.detect.BoxNorm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KalmanBoxFilterTest {

    // box centre (0.5, 0.5), w 0.1, h 0.2; all noise terms scale with h = 0.2
    private final BoxNorm box = BoxNorm.ofCenter(0.5, 0.5, 0.1, 0.2);

    @Test
    void initialStateAndCovariance() {
        KalmanBoxFilter f = new KalmanBoxFilter(box);
        assertThat(f.state()).containsExactly(new double[]{0.5, 0.5, 0.1, 0.2, 0, 0, 0, 0}, within(1e-12));
        double[][] p = f.covariance();
        assertThat(p[0][0]).isCloseTo(Math.pow(2 * 0.2 / 20, 2), within(1e-15)); // (0.02)^2 = 4e-4
        assertThat(p[4][4]).isCloseTo(Math.pow(10 * 0.2 / 40, 2), within(1e-15)); // (0.05)^2 = 2.5e-3
        assertThat(p[0][4]).isZero();
    }

    @Test
    void predictPropagatesCovarianceByHand() {
        KalmanBoxFilter f = new KalmanBoxFilter(box);
        f.predict(1);
        double[][] p = f.covariance();
        // P' = F P F^T + Q: pos = 4e-4 + 2.5e-3 + (0.2/20)^2 = 3.0e-3; cross = 2.5e-3; vel = 2.5e-3 + (0.2/40)^2
        assertThat(p[0][0]).isCloseTo(3.0e-3, within(1e-12));
        assertThat(p[0][4]).isCloseTo(2.5e-3, within(1e-12));
        assertThat(p[4][4]).isCloseTo(2.525e-3, within(1e-12));
        assertThat(f.state()[0]).isCloseTo(0.5, within(1e-12)); // zero velocity: no motion
    }

    @Test
    void updateMovesStateByKalmanGainByHand() {
        KalmanBoxFilter f = new KalmanBoxFilter(box);
        f.predict(1);
        f.update(BoxNorm.ofCenter(0.52, 0.5, 0.1, 0.2));
        // S = 3.0e-3 + R(1e-4) = 3.1e-3; K_pos = 3.0/3.1, K_vel = 2.5/3.1; innovation 0.02
        assertThat(f.state()[0]).isCloseTo(0.5 + 0.02 * 3.0 / 3.1, within(1e-9));
        assertThat(f.state()[4]).isCloseTo(0.02 * 2.5 / 3.1, within(1e-9));
        assertThat(f.state()[1]).isCloseTo(0.5, within(1e-12));
        // posterior variance of x: (1 - K) * P = 3.0e-3 * 1e-4 / 3.1e-3
        assertThat(f.covariance()[0][0]).isCloseTo(3.0e-3 * 1e-4 / 3.1e-3, within(1e-12));
    }

    @Test
    void learnsConstantVelocityAndExtrapolates() {
        KalmanBoxFilter f = new KalmanBoxFilter(box);
        for (int i = 1; i <= 20; i++) {
            f.predict(1);
            f.update(BoxNorm.ofCenter(0.5 + 0.01 * i, 0.5, 0.1, 0.2));
        }
        assertThat(f.velocity()[0]).isCloseTo(0.01, within(5e-4));
        f.predict(3); // three frame intervals without measurement
        assertThat(f.box().centerX()).isCloseTo(0.70 + 0.03, within(2e-3));
    }

    @Test
    void holdSizeFreezesWidthAndHeightButNotTheCentre() {
        KalmanBoxFilter f = new KalmanBoxFilter(BoxNorm.ofCenter(0.5, 0.5, 0.1, 0.2));
        // a box moving right by 0.01 per frame while shrinking by 0.01 in width and height per frame
        for (int i = 1; i <= 20; i++) {
            f.predict(1);
            f.update(BoxNorm.ofCenter(0.5 + 0.01 * i, 0.5, Math.max(0.02, 0.1 - 0.004 * i), Math.max(0.04, 0.2 - 0.008 * i)));
        }
        double[] s = f.state();
        assertThat(s[6]).as("width velocity learnt").isNegative();
        assertThat(s[7]).as("height velocity learnt").isNegative();
        f.holdSize();
        double[] held = f.state();
        for (int k = 0; k < 10; k++) {
            f.predict(1);
        }
        double[] after = f.state();
        assertThat(after[2]).isEqualTo(held[2]); // width unchanged after 10 predictions
        assertThat(after[3]).isEqualTo(held[3]);
        assertThat(after[0]).isCloseTo(held[0] + 10 * held[4], within(1e-12)); // the centre keeps moving: x + 10 vx
        // without holdSize the same filter extrapolates the height down to the 1e-4 floor
        KalmanBoxFilter g = new KalmanBoxFilter(BoxNorm.ofCenter(0.5, 0.5, 0.1, 0.2));
        for (int i = 1; i <= 20; i++) {
            g.predict(1);
            g.update(BoxNorm.ofCenter(0.5 + 0.01 * i, 0.5, Math.max(0.02, 0.1 - 0.004 * i), Math.max(0.04, 0.2 - 0.008 * i)));
        }
        for (int k = 0; k < 10; k++) {
            g.predict(1);
        }
        assertThat(g.state()[3]).isLessThan(held[3] / 2);
    }
}
