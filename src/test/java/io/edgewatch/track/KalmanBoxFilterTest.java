package io.edgewatch.track;

import io.edgewatch.detect.BoxNorm;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

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

    /**
     * The per-axis form equals the full 8x8 matrix form (Commons Math, the filter's earlier implementation) over a
     * long random walk of predictions with uneven steps, measurements and held sizes.
     */
    @Test
    void perAxisAlgebraEqualsTheFullMatrixForm() {
        SplittableRandom rnd = new SplittableRandom(11);
        BoxNorm first = BoxNorm.ofCenter(0.4, 0.6, 0.08, 0.25);
        KalmanBoxFilter f = new KalmanBoxFilter(first);
        FullMatrixFilter g = new FullMatrixFilter(first);
        double cx = 0.4;
        double cy = 0.6;
        for (int k = 0; k < 400; k++) {
            double dt = new double[]{0.5, 1, 1, 2, 3.3}[rnd.nextInt(5)];
            f.predict(dt);
            g.predict(dt);
            cx = Math.min(0.95, Math.max(0.05, cx + rnd.nextDouble(-0.02, 0.02)));
            cy = Math.min(0.95, Math.max(0.05, cy + rnd.nextDouble(-0.01, 0.01)));
            int what = rnd.nextInt(10);
            if (what < 7) {
                BoxNorm z = BoxNorm.ofCenter(cx, cy, 0.08 + rnd.nextDouble(-0.01, 0.01), 0.25 + rnd.nextDouble(-0.02, 0.02));
                f.update(z);
                g.update(z);
            } else if (what == 7) {
                f.holdSize();
                g.holdSize();
            }
            double[] fs = f.state();
            double[] gs = g.x.toArray();
            for (int i = 0; i < 8; i++) {
                assertThat(fs[i]).as("state %d after step %d", i, k).isCloseTo(gs[i], within(1e-12));
            }
            double[][] fp = f.covariance();
            double[][] gp = g.p.getData();
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 8; j++) {
                    assertThat(fp[i][j]).as("P[%d][%d] after step %d", i, j, k).isCloseTo(gp[i][j], within(1e-12));
                }
            }
        }
    }

    /** The textbook matrix form, as the filter was written before: {@code P = F P F^T + Q}, {@code K = P H^T S^-1}. */
    private static final class FullMatrixFilter {
        private static final RealMatrix H = MatrixUtils.createRealMatrix(4, 8);

        static {
            for (int i = 0; i < 4; i++) {
                H.setEntry(i, i, 1);
            }
        }

        RealVector x;
        RealMatrix p;

        FullMatrixFilter(BoxNorm box) {
            double h = Math.max(box.height(), 1e-3);
            x = new ArrayRealVector(new double[]{box.centerX(), box.centerY(), box.width(), h, 0, 0, 0, 0});
            double pos = 2 * KalmanBoxFilter.POS_WEIGHT * h;
            double vel = 10 * KalmanBoxFilter.VEL_WEIGHT * h;
            p = diagSquared(new double[]{pos, pos, pos, pos, vel, vel, vel, vel});
        }

        private static RealMatrix diagSquared(double[] std) {
            double[] d = new double[std.length];
            for (int i = 0; i < std.length; i++) {
                d[i] = std[i] * std[i];
            }
            return MatrixUtils.createRealDiagonalMatrix(d);
        }

        void predict(double dt) {
            RealMatrix f = MatrixUtils.createRealIdentityMatrix(8);
            for (int i = 0; i < 4; i++) {
                f.setEntry(i, i + 4, dt);
            }
            double h = Math.max(x.getEntry(3), 1e-3);
            double ps = KalmanBoxFilter.POS_WEIGHT * h;
            double vs = KalmanBoxFilter.VEL_WEIGHT * h;
            RealMatrix q = diagSquared(new double[]{ps, ps, ps, ps, vs, vs, vs, vs}).scalarMultiply(dt);
            x = f.operate(x);
            p = f.multiply(p).multiply(f.transpose()).add(q);
            x.setEntry(2, Math.max(x.getEntry(2), 1e-4));
            x.setEntry(3, Math.max(x.getEntry(3), 1e-4));
        }

        void update(BoxNorm box) {
            double h = Math.max(x.getEntry(3), 1e-3);
            double ps = KalmanBoxFilter.POS_WEIGHT * h;
            RealMatrix r = diagSquared(new double[]{ps, ps, ps, ps});
            RealVector z = new ArrayRealVector(new double[]{box.centerX(), box.centerY(), box.width(), box.height()});
            RealMatrix s = H.multiply(p).multiply(H.transpose()).add(r);
            RealMatrix k = p.multiply(H.transpose()).multiply(new LUDecomposition(s).getSolver().getInverse());
            x = x.add(k.operate(z.subtract(H.operate(x))));
            p = MatrixUtils.createRealIdentityMatrix(8).subtract(k.multiply(H)).multiply(p);
        }

        void holdSize() {
            x.setEntry(6, 0);
            x.setEntry(7, 0);
        }
    }
}
