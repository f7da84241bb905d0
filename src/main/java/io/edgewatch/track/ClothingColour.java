package io.edgewatch.track;

import java.util.Locale;

/**
 * The fixed palette of clothing colours published in {@code end} summaries (README "Tracking quality", clothing
 * colours): twelve names a search form offers, as BriefCam and Axis attribute search do. A pixel is named from its HSV
 * (as OpenCV defines it for 8-bit RGB: V = max, S = 255 (max - min) / max, hue 0..360 degrees), first by lightness,
 * then by hue:
 * <ul>
 *   <li>{@code black}: V &lt; 50, whatever the hue (the hue of a dark pixel is noise);</li>
 *   <li>{@code grey} / {@code white}: S &lt; 50 (unsaturated), V &lt; 170 grey, else white;</li>
 *   <li>{@code brown}: hue 10..70 with V &lt; 130 (dark orange and olive), or hue 0..10 / 340..360 with V &lt; 90;</li>
 *   <li>{@code red} hue &lt; 15 or &ge; 340, {@code orange} 15..40, {@code yellow} 40..70, {@code green} 70..165,
 *       {@code cyan} 165..200, {@code blue} 200..260, {@code purple} 260..290, {@code pink} 290..340 (below V 110
 *       {@code purple}: dark magenta is not pink); a light, weakly saturated red (S &lt; 130, V &ge; 170) is
 *       {@code pink}.</li>
 * </ul>
 * Clothing colour only: nothing about the person (no age, gender, ethnicity or other biometric category, EU AI Act
 * Art. 5(1)(g)).
 */
public enum ClothingColour {
    BLACK, GREY, WHITE, BROWN, RED, ORANGE, YELLOW, GREEN, CYAN, BLUE, PURPLE, PINK;

    private static final ClothingColour[] VALUES = values();

    /** Saturation (0..255) below which a pixel is unsaturated (grey or white). */
    public static final int GREY_SATURATION = 50;
    /** Value (0..255) below which a pixel is black. */
    static final int BLACK_VALUE = 50;

    /** The colour at {@code ordinal}. */
    public static ClothingColour at(int ordinal) {
        return VALUES[ordinal];
    }

    /** The name as published: lower case, e.g. {@code "blue"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The palette colour of one 8-bit RGB pixel, by the rules above.
     *
     * @param r red 0..255
     * @param g green 0..255
     * @param b blue 0..255
     */
    public static ClothingColour of(int r, int g, int b) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        int s = max == 0 ? 0 : 255 * (max - min) / max;
        return of(max, s, max >= BLACK_VALUE && s >= GREY_SATURATION ? hue(r, g, b, max, min) : Double.NaN);
    }

    /**
     * The same rules from a pixel's parts, for callers that already have them (the appearance extractor).
     *
     * @param max max(r, g, b), 0..255
     * @param s   saturation {@code 255 * (max - min) / max} (0 when max is 0), 0..255
     * @param hue {@link #hue} degrees 0..360; read only when {@code max >= 50 && s >= 50}
     */
    static ClothingColour of(int max, int s, double hue) {
        if (max < BLACK_VALUE) {
            return BLACK;
        }
        if (s < GREY_SATURATION) {
            return max < 170 ? GREY : WHITE;
        }
        boolean reddish = hue < 15 || hue >= 340;
        boolean brownHue = hue >= 10 && hue < 70;
        if ((brownHue && max < 130) || ((hue < 10 || hue >= 340) && max < 90)) {
            return BROWN;
        }
        if (reddish) {
            return s < 130 && max >= 170 ? PINK : RED;
        }
        if (hue < 40) {
            return ORANGE;
        }
        if (hue < 70) {
            return YELLOW;
        }
        if (hue < 165) {
            return GREEN;
        }
        if (hue < 200) {
            return CYAN;
        }
        if (hue < 260) {
            return BLUE;
        }
        return hue < 290 || max < 110 ? PURPLE : PINK;
    }

    /** Hue 0..360 degrees of a saturated pixel ({@code max > min}). */
    static double hue(int r, int g, int b, int max, int min) {
        double d = max - min;
        double hue;
        if (max == r) {
            hue = 60 * ((g - b) / d); // in -60..60: the "mod 6" of the usual formula changes nothing here
        } else if (max == g) {
            hue = 60 * ((b - r) / d + 2);
        } else {
            hue = 60 * ((r - g) / d + 4);
        }
        return hue < 0 ? hue + 360 : hue;
    }
}
