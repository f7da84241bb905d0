package io.edgewatch.track;

import io.edgewatch.detect.BoxNorm;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * Constant-velocity Kalman filter over a bounding box, state {@code [cx, cy, w, h, vcx, vcy, vw, vh]} in normalized
 * units (velocities per step of {@value #STEP_MS} ms of real time, whatever the frame rate), measurement
 * {@code [cx, cy, w, h]}. Noise is proportional to the box
 * height as in DeepSORT (Wojke et al. 2017, arXiv 1703.07402): position std = {@code posWeight * h}, velocity std =
 * {@code velWeight * h}; the initial covariance is {@code 2 * posWeight * h} and {@code 10 * velWeight * h}.
 * DeepSORT's weights (1/20, 1/160) assume a 30 fps step; here one step is 100 ms (the 10 fps at which the weights
 * were measured on vtest.avi, see the tracker test), where a walking person moves up to half a box width, so the
 * velocity weight is 1/40; a detection round 200 ms after the last one predicts two steps. Matrix algebra from Apache Commons Math.
 */
public final class KalmanBoxFilter {
    /** Position noise weight (DeepSORT's 1/20). */
    public static final double POS_WEIGHT = 1.0 / 20;
    /** Velocity noise weight for 5..15 fps analysis (DeepSORT's 30 fps value is 1/160). */
    public static final double VEL_WEIGHT = 1.0 / 40;

    /** Real time of one filter step, ms: prediction steps by elapsed time / this. */
    public static final long STEP_MS = 100;

    private static final RealMatrix H = MatrixUtils.createRealMatrix(4, 8);

    static {
        for (int i = 0; i < 4; i++) {
            H.setEntry(i, i, 1);
        }
    }

    private RealVector x;
    private RealMatrix p;

    /** Initialises the state at a measured box with zero velocity and DeepSORT's initial covariance. */
    public KalmanBoxFilter(BoxNorm box) {
        double w = box.width();
        double h = Math.max(box.height(), 1e-3);
        x = new ArrayRealVector(new double[]{box.centerX(), box.centerY(), w, h, 0, 0, 0, 0});
        double[] std = {2 * POS_WEIGHT * h, 2 * POS_WEIGHT * h, 2 * POS_WEIGHT * h, 2 * POS_WEIGHT * h,
                10 * VEL_WEIGHT * h, 10 * VEL_WEIGHT * h, 10 * VEL_WEIGHT * h, 10 * VEL_WEIGHT * h};
        p = diagSquared(std);
    }

    private static RealMatrix diagSquared(double[] std) {
        double[] d = new double[std.length];
        for (int i = 0; i < std.length; i++) {
            d[i] = std[i] * std[i];
        }
        return MatrixUtils.createRealDiagonalMatrix(d);
    }

    /**
     * Predicts {@code dt} steps ({@link #STEP_MS}) ahead: {@code x = F x}, {@code P = F P F^T + Q}.
     *
     * @param dt steps since the last predict (elapsed ms / {@link #STEP_MS}), &gt; 0
     */
    public void predict(double dt) {
        RealMatrix f = MatrixUtils.createRealIdentityMatrix(8);
        for (int i = 0; i < 4; i++) {
            f.setEntry(i, i + 4, dt);
        }
        double h = Math.max(x.getEntry(3), 1e-3);
        double[] std = {POS_WEIGHT * h, POS_WEIGHT * h, POS_WEIGHT * h, POS_WEIGHT * h,
                VEL_WEIGHT * h, VEL_WEIGHT * h, VEL_WEIGHT * h, VEL_WEIGHT * h};
        RealMatrix q = diagSquared(std).scalarMultiply(dt);
        x = f.operate(x);
        p = f.multiply(p).multiply(f.transpose()).add(q);
        // a box never shrinks below zero size
        if (x.getEntry(2) < 1e-4) {
            x.setEntry(2, 1e-4);
        }
        if (x.getEntry(3) < 1e-4) {
            x.setEntry(3, 1e-4);
        }
    }

    /** Corrects the state with a measured box: Kalman gain {@code K = P H^T (H P H^T + R)^-1}. */
    public void update(BoxNorm box) {
        double h = Math.max(x.getEntry(3), 1e-3);
        RealMatrix r = diagSquared(new double[]{POS_WEIGHT * h, POS_WEIGHT * h, POS_WEIGHT * h, POS_WEIGHT * h});
        RealVector z = new ArrayRealVector(new double[]{box.centerX(), box.centerY(), box.width(), box.height()});
        RealMatrix s = H.multiply(p).multiply(H.transpose()).add(r);
        RealMatrix k = p.multiply(H.transpose()).multiply(new LUDecomposition(s).getSolver().getInverse());
        RealVector innovation = z.subtract(H.operate(x));
        x = x.add(k.operate(innovation));
        p = MatrixUtils.createRealIdentityMatrix(8).subtract(k.multiply(H)).multiply(p);
    }

    /**
     * Stops the size from changing in later predictions (zeroes the width and height velocities); the centre keeps
     * its velocity. Called when the object was not detected: a box that was shrinking while it became occluded would
     * otherwise be extrapolated down to nothing within a few frames, and a collapsed predicted box can never be
     * associated again (measured on vtest.avi: 63 of 379 events carried a box under 0.01 x 0.02 before this).
     */
    public void holdSize() {
        x.setEntry(6, 0);
        x.setEntry(7, 0);
    }

    /** The filtered box. */
    public BoxNorm box() {
        return BoxNorm.ofCenter(x.getEntry(0), x.getEntry(1), x.getEntry(2), x.getEntry(3));
    }

    /** Velocity of the centre, normalized units per step ({@link #STEP_MS}), {@code [vx, vy]}. */
    public double[] velocity() {
        return new double[]{x.getEntry(4), x.getEntry(5)};
    }

    /** A copy of the state vector (8 values). */
    public double[] state() {
        return x.toArray();
    }

    /** A copy of the covariance (8x8). */
    public double[][] covariance() {
        return p.getData();
    }

    static RealMatrix matrix(double[][] d) {
        return new Array2DRowRealMatrix(d);
    }
}
