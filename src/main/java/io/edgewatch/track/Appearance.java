package io.edgewatch.track;

import java.util.Arrays;

/**
 * What a person looks like, cheaply: two colour histograms, of the upper body (torso) and of the lower body (legs),
 * each {@value #BINS} bins over HSV: {@value #HUE_BINS} hue x {@value #SAT_BINS} saturation bins for coloured pixels
 * and {@value #GREY_BINS} value bins for grey ones (saturation below {@link AppearanceExtractor#GREY_SATURATION}), so
 * black, grey and white clothes are told apart, not lumped into one hue. Each half is L1-normalised (sums to 1), or
 * all zero when the box held too few pixels. Beside the histograms, the share of each half's pixels in each
 * {@link ClothingColour} of the published palette (what the {@code end} summary's clothing colours are made of).
 * Nothing biometric: clothing colour only, never the face.
 *
 * @param upper         histogram of the torso, {@value #BINS} values
 * @param lower         histogram of the legs, {@value #BINS} values
 * @param upperColours  share 0..1 of the torso's pixels in each palette colour, indexed by
 *                      {@link ClothingColour#ordinal()}, times the observation's weight: min(1, pixels of the half /
 *                      {@value AppearanceExtractor#SAMPLES_PER_SIDE}&sup2;), so the values sum to that weight (1 for a
 *                      half of 576 pixels or more), or all zero like {@code upper}
 * @param lowerColours  the same for the legs
 */
public record Appearance(float[] upper, float[] lower, float[] upperColours, float[] lowerColours) {
    /** Hue bins of coloured pixels. */
    public static final int HUE_BINS = 8;
    /** Saturation bins of coloured pixels. */
    public static final int SAT_BINS = 3;
    /** Value bins of grey pixels. */
    public static final int GREY_BINS = 4;
    /** Bins per half. */
    public static final int BINS = HUE_BINS * SAT_BINS + GREY_BINS;

    /** Palette colours per half. */
    public static final int COLOURS = ClothingColour.values().length;

    public Appearance {
        if (upper.length != BINS || lower.length != BINS) {
            throw new IllegalArgumentException("appearance histograms must have " + BINS + " bins, had " + upper.length + "/" + lower.length);
        }
        if (upperColours.length != COLOURS || lowerColours.length != COLOURS) {
            throw new IllegalArgumentException("palette shares must have " + COLOURS + " values, had " + upperColours.length + "/" + lowerColours.length);
        }
    }

    /** An appearance of histograms only (no palette shares). */
    public Appearance(float[] upper, float[] lower) {
        this(upper, lower, new float[COLOURS], new float[COLOURS]);
    }

    /**
     * Similarity 0..1: the mean Bhattacharyya coefficient {@code sum sqrt(p_i q_i)} of the two halves (1 = the same
     * colour distribution). A half that is empty in either appearance is left out; NaN when both are.
     */
    public double similarity(Appearance o) {
        double sum = 0;
        int n = 0;
        double u = bhattacharyya(upper, o.upper);
        if (!Double.isNaN(u)) {
            sum += u;
            n++;
        }
        double l = bhattacharyya(lower, o.lower);
        if (!Double.isNaN(l)) {
            sum += l;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double bhattacharyya(float[] p, float[] q) {
        double sp = 0;
        double sq = 0;
        double bc = 0;
        for (int i = 0; i < p.length; i++) {
            sp += p[i];
            sq += q[i];
            bc += Math.sqrt((double) p[i] * q[i]);
        }
        return sp == 0 || sq == 0 ? Double.NaN : bc;
    }

    /**
     * The running mean {@code (1 - alpha) * this + alpha * o} (each half renormalised); a half empty in one of them
     * takes the other's.
     *
     * @param alpha weight of the new observation, 0..1
     */
    public Appearance blend(Appearance o, double alpha) {
        return new Appearance(blend(upper, o.upper, alpha), blend(lower, o.lower, alpha),
                blend(upperColours, o.upperColours, alpha), blend(lowerColours, o.lowerColours, alpha));
    }

    private static float[] blend(float[] a, float[] b, double alpha) {
        boolean ea = isEmpty(a);
        boolean eb = isEmpty(b);
        if (ea || eb) {
            return (ea ? b : a).clone();
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) ((1 - alpha) * a[i] + alpha * b[i]);
        }
        return out;
    }

    static boolean isEmpty(float[] h) {
        for (float v : h) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Appearance a && Arrays.equals(upper, a.upper) && Arrays.equals(lower, a.lower)
                && Arrays.equals(upperColours, a.upperColours) && Arrays.equals(lowerColours, a.lowerColours);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(upper) + Arrays.hashCode(lower)) + Arrays.hashCode(upperColours)) + Arrays.hashCode(lowerColours);
    }

    @Override
    public String toString() {
        return "Appearance[upper=" + Arrays.toString(upper) + ", lower=" + Arrays.toString(lower)
                + ", upperColours=" + Arrays.toString(upperColours) + ", lowerColours=" + Arrays.toString(lowerColours) + "]";
    }
}
