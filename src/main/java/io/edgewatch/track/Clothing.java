package io.edgewatch.track;

/**
 * The dominant clothing colours of a person track, from the {@link ClothingColour} palette: what an {@code end}
 * summary publishes as {@code summary.clothing}. Each half (torso, legs) is decided on its own from the palette shares
 * of the track's clear observations (detections that overlapped no other person), and left out (null) when it was
 * observed fewer than {@value #MIN_OBSERVATIONS} times or no colour reached {@value #MIN_SHARE} of its pixels.
 *
 * @param upper the torso's colour, or null when undecided
 * @param lower the legs' colour, or null when undecided
 */
public record Clothing(Share upper, Share lower) {
    /** Clear observations a half needs before its colour is published. */
    public static final int MIN_OBSERVATIONS = 3;
    /** Share of a half's pixels the dominant colour needs, 0..1. */
    public static final double MIN_SHARE = 0.25;

    /**
     * One half's colour.
     *
     * @param colour     the palette colour with the most pixels
     * @param confidence its share 0..1 of the half's sampled pixels over the observations, each observation weighted
     *                   by how many pixels the frame showed of it (0.6 = six in ten pixels of the torso were this
     *                   colour)
     */
    public record Share(ClothingColour colour, double confidence) { }

    /**
     * The colour of one half from summed palette shares.
     *
     * @param summedShares sum over observations of each colour's weighted share ({@link Appearance#upperColours()}),
     *                     indexed by {@link ClothingColour#ordinal()}
     * @param observations number of observations summed
     * @return the share, or null when undecided (see the class comment)
     */
    static Share decide(double[] summedShares, int observations) {
        if (observations < MIN_OBSERVATIONS) {
            return null;
        }
        int best = 0;
        double total = 0;
        for (int k = 0; k < summedShares.length; k++) {
            total += summedShares[k];
            if (summedShares[k] > summedShares[best]) {
                best = k;
            }
        }
        double share = total > 0 ? summedShares[best] / total : 0;
        return share < MIN_SHARE ? null : new Share(ClothingColour.at(best), share);
    }
}
