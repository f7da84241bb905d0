package io.edgewatch.track;

import io.edgewatch.detect.BoxNorm;

/**
 * Constant-velocity Kalman filter over a bounding box, state {@code [cx, cy, w, h, vcx, vcy, vw, vh]} in normalized
 * units (velocities per step of {@value #STEP_MS} ms of real time, whatever the frame rate), measurement
 * {@code [cx, cy, w, h]}. Noise is proportional to the box
 * height as in DeepSORT (Wojke et al. 2017, arXiv 1703.07402): position std = {@code posWeight * h}, velocity std =
 * {@code velWeight * h}; the initial covariance is {@code 2 * posWeight * h} and {@code 10 * velWeight * h}.
 * DeepSORT's weights (1/20, 1/160) assume a 30 fps step; here one step is 100 ms (the 10 fps at which the weights
 * were measured on vtest.avi, see the tracker test), where a walking person moves up to half a box width, so the
 * velocity weight is 1/40; a detection round 200 ms after the last one predicts two steps.
 *
 * <p>The algebra is the textbook one ({@code x = F x, P = F P F^T + Q}; {@code K = P H^T (H P H^T + R)^-1}), written
 * out per axis: with a diagonal initial covariance, diagonal Q and R, and F and H coupling each coordinate only with
 * its own velocity, P stays block-diagonal in four 2x2 blocks {@code (i, i + 4)}, so the 8x8 products reduce to four
 * 2x2 ones with the same result (the test checks it against the full matrix form). That removes the matrix library's
 * allocations from the tracker's hot path (about a fifth of its time at 20-30 people before).
 */
public final class KalmanBoxFilter {
    /** Position noise weight (DeepSORT's 1/20). */
    public static final double POS_WEIGHT = 1.0 / 20;
    /** Velocity noise weight for 5..15 fps analysis (DeepSORT's 30 fps value is 1/160). */
    public static final double VEL_WEIGHT = 1.0 / 40;

    /** Real time of one filter step, ms: prediction steps by elapsed time / this. */
    public static final long STEP_MS = 100;

    /** The state, {@code [cx, cy, w, h, vcx, vcy, vw, vh]}. */
    private final double[] x = new double[8];
    /** Per axis i (0..3): variance of coordinate i, covariance of i with its velocity, variance of the velocity. */
    private final double[] pPos = new double[4];
    private final double[] pCross = new double[4];
    private final double[] pVel = new double[4];

    /** Initialises the state at a measured box with zero velocity and DeepSORT's initial covariance. */
    public KalmanBoxFilter(BoxNorm box) {
        double h = Math.max(box.height(), 1e-3);
        x[0] = box.centerX();
        x[1] = box.centerY();
        x[2] = box.width();
        x[3] = h;
        double pos = 2 * POS_WEIGHT * h;
        double vel = 10 * VEL_WEIGHT * h;
        for (int i = 0; i < 4; i++) {
            pPos[i] = pos * pos;
            pVel[i] = vel * vel;
        }
    }

    /**
     * Predicts {@code dt} steps ({@link #STEP_MS}) ahead: {@code x = F x}, {@code P = F P F^T + Q}, with
     * {@code Q = dt * diag(posWeight h, .., velWeight h, ..)^2} at the height before the step.
     *
     * @param dt steps since the last predict (elapsed ms / {@link #STEP_MS}), &gt; 0
     */
    public void predict(double dt) {
        double h = Math.max(x[3], 1e-3);
        double qPos = POS_WEIGHT * h * (POS_WEIGHT * h) * dt;
        double qVel = VEL_WEIGHT * h * (VEL_WEIGHT * h) * dt;
        for (int i = 0; i < 4; i++) {
            x[i] += dt * x[i + 4];
            double a = pPos[i];
            double b = pCross[i];
            double c = pVel[i];
            pPos[i] = a + dt * b + dt * (b + dt * c) + qPos;
            pCross[i] = b + dt * c;
            pVel[i] = c + qVel;
        }
        // a box never shrinks below zero size
        x[2] = Math.max(x[2], 1e-4);
        x[3] = Math.max(x[3], 1e-4);
    }

    /**
     * Corrects the state with a measured box: per axis {@code S = P_pos + R}, gain {@code K = [P_pos, P_cross] / S},
     * {@code P = (I - K H) P}, with {@code R = (posWeight h)^2} at the predicted height.
     */
    public void update(BoxNorm box) {
        double h = Math.max(x[3], 1e-3);
        double r = POS_WEIGHT * h * (POS_WEIGHT * h);
        double[] z = {box.centerX(), box.centerY(), box.width(), box.height()};
        for (int i = 0; i < 4; i++) {
            double a = pPos[i];
            double b = pCross[i];
            double c = pVel[i];
            double s = a + r;
            double kPos = a / s;
            double kVel = b / s;
            double innovation = z[i] - x[i];
            x[i] += kPos * innovation;
            x[i + 4] += kVel * innovation;
            pPos[i] = (1 - kPos) * a;
            pCross[i] = (1 - kPos) * b;
            pVel[i] = c - kVel * b;
        }
    }

    /**
     * Stops the size from changing in later predictions (zeroes the width and height velocities); the centre keeps
     * its velocity. Called when the object was not detected: a box that was shrinking while it became occluded would
     * otherwise be extrapolated down to nothing within a few frames, and a collapsed predicted box can never be
     * associated again (measured on vtest.avi: 63 of 379 events carried a box under 0.01 x 0.02 before this).
     */
    public void holdSize() {
        x[6] = 0;
        x[7] = 0;
    }

    /** The filtered box. */
    public BoxNorm box() {
        return BoxNorm.ofCenter(x[0], x[1], x[2], x[3]);
    }

    /** Velocity of the centre, normalized units per step ({@link #STEP_MS}), {@code [vx, vy]}. */
    public double[] velocity() {
        return new double[]{x[4], x[5]};
    }

    /** A copy of the state vector (8 values). */
    public double[] state() {
        return x.clone();
    }

    /** A copy of the covariance (8x8; zero outside the blocks {@code (i, i + 4)}). */
    public double[][] covariance() {
        double[][] p = new double[8][8];
        for (int i = 0; i < 4; i++) {
            p[i][i] = pPos[i];
            p[i][i + 4] = pCross[i];
            p[i + 4][i] = pCross[i];
            p[i + 4][i + 4] = pVel[i];
        }
        return p;
    }
}
