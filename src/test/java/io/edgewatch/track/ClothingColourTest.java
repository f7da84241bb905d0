package io.edgewatch.track;

import io.edgewatch.detect.BoxNorm;
import io.edgewatch.detect.Detection;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The clothing palette (hand-computed HSV of each pixel) and a track's dominant colours over its observations. */
class ClothingColourTest {
    @ParameterizedTest(name = "rgb({0},{1},{2}) is {3}")
    @CsvSource({
            // value below 50 is black whatever the hue
            "0,0,0,BLACK", "45,0,0,BLACK", "20,20,49,BLACK",
            // unsaturated (s = 255 (max - min) / max < 50): grey below value 170, white from 170
            "128,128,128,GREY", "169,150,150,GREY", "240,240,240,WHITE", "200,230,200,WHITE",
            // hue 0, value 200: red; hue 30 (orange) at value 120 is brown; at value 255 orange
            "200,30,30,RED", "120,70,20,BROWN", "255,128,0,ORANGE",
            // hue 0 at value 80: dark red reads as brown (maroon coats are filed with brown)
            "80,10,10,BROWN",
            // hue 55: yellow; the same hue at value 100: olive, brown
            "240,220,20,YELLOW", "100,92,10,BROWN",
            "30,160,40,GREEN", "20,180,200,CYAN", "20,50,200,BLUE", "120,40,170,PURPLE",
            // hue 331: pink; a light, weakly saturated red (s 91 < 130, value 250): pink, not red
            "255,150,200,PINK", "250,160,160,PINK",
            // hue 330 at value 55: dark magenta, purple
            "55,7,31,PURPLE",
    })
    void pixelsAreNamedByTheDocumentedRules(int r, int g, int b, ClothingColour expected) {
        assertThat(ClothingColour.of(r, g, b)).isEqualTo(expected);
    }

    // the painted person of AppearanceTest: a 200x300 grey frame, person box x 50..110, y 40..240
    private static Mat frame(Scalar torso, Scalar legs) {
        return AppearanceTest.frame(torso, legs);
    }

    private static final BoxNorm BOX = AppearanceTest.BOX;

    @Test
    void aTrackGetsItsColoursAfterThreeClearObservations() {
        // red torso, blue jeans: the extractor's samples are all inside the painted parts
        try (Mat red = frame(new Scalar(30, 30, 200, 0), new Scalar(200, 60, 20, 0));
             Mat green = frame(new Scalar(40, 160, 30, 0), new Scalar(200, 60, 20, 0))) {
            Appearance a = AppearanceExtractor.extract(red, BOX);
            assertThat(a.upperColours()[ClothingColour.RED.ordinal()]).isEqualTo(1f);
            assertThat(a.lowerColours()[ClothingColour.BLUE.ordinal()]).isEqualTo(1f);

            Tracker tracker = new Tracker(new TrackerSettings(0.3, 0.5, 0.0, 0.0, 0.45, 3, 2, 500, 4, new ReidSettings(2_000, 0.9, 0.5, 1.5)), "c");
            Detection d = new Detection(0, "person", 0.9, BOX);
            // frames 0..1: tentative, then confirmed on the third hit; appearance is observed from then on
            Track t = null;
            io.edgewatch.events.TrackEventBuilder on = new io.edgewatch.events.TrackEventBuilder("d", "c", io.edgewatch.events.EventPolicy.defaults());
            io.edgewatch.events.TrackEventBuilder off = new io.edgewatch.events.TrackEventBuilder("d", "c",
                    new io.edgewatch.events.EventPolicy(5_000, 1_000, 0.1, false));
            for (int i = 0; i < 6; i++) {
                Mat f = i < 4 ? red : green; // the torso turns green for the last two frames (a jacket taken off)
                Tracker.Update u = tracker.update(List.of(d), List.of(), i, 1_000 + 100L * i, Tracker.Coverage.ALL, AppearanceExtractor.forFrame(f));
                on.onFrame(u, 200, 300, i, 1_000 + 100L * i);
                off.onFrame(u, 200, 300, i, 1_000 + 100L * i);
                if (!u.active().isEmpty()) {
                    t = u.active().get(0);
                }
                if (i == 2) {
                    assertThat(t.clothing()).as("one clear observation is not enough").isNull();
                }
            }
            Clothing c = t.clothing();
            assertThat(c).isNotNull();
            // torso: observations red, red, (red), green, green -> red wins with the mean share of its pixels
            assertThat(c.upper().colour()).isEqualTo(ClothingColour.RED);
            assertThat(c.lower().colour()).isEqualTo(ClothingColour.BLUE);
            assertThat(c.lower().confidence()).isCloseTo(1.0, within(1e-6));
            assertThat(c.upper().confidence()).isLessThan(1.0).isGreaterThan(0.5);
            // the end summary carries them, rounded to 2 decimals, unless edgewatch.events.clothing-colours=false
            io.edgewatch.events.TrackEvent.FrameRef fr = new io.edgewatch.events.TrackEvent.FrameRef(200, 300, 6);
            io.edgewatch.events.TrackEvent end = on.end(List.of(t), fr, 1_600, "stream-end").get(0);
            assertThat(end.summary().clothing().upper().colour()).isEqualTo("red");
            assertThat(end.summary().clothing().lower()).isEqualTo(new io.edgewatch.events.TrackEvent.ColourInfo("blue", 1.0));
            assertThat(off.end(List.of(t), fr, 1_600, "stream-end").get(0).summary().clothing()).isNull();
        }
    }

    @Test
    void mixedClothesWithNoDominantColourAreLeftOut() {
        double[] even = new double[Appearance.COLOURS];
        java.util.Arrays.fill(even, 3.0 / Appearance.COLOURS); // 3 observations spread over 12 colours: 1/12 each
        assertThat(Clothing.decide(even, 3)).isNull();
        // three observations: blue 0.6 of the pixels and black 2.4 (weights summed: 3)
        double[] blue = new double[Appearance.COLOURS];
        blue[ClothingColour.BLUE.ordinal()] = 0.6;
        blue[ClothingColour.BLACK.ordinal()] = 0.3;
        for (ClothingColour c : List.of(ClothingColour.GREY, ClothingColour.WHITE, ClothingColour.RED, ClothingColour.GREEN,
                ClothingColour.YELLOW, ClothingColour.PINK, ClothingColour.BROWN)) {
            blue[c.ordinal()] = 0.3;
        }
        assertThat(Clothing.decide(blue, 3)).as("blue in 0.2 of the pixels").isNull();
        blue[ClothingColour.BLUE.ordinal()] = 1.2; // of 3.6: one third
        assertThat(Clothing.decide(blue, 3).colour()).isEqualTo(ClothingColour.BLUE);
        assertThat(Clothing.decide(blue, 3).confidence()).isCloseTo(1.2 / 3.6, within(1e-9));
        assertThat(Clothing.decide(blue, 2)).as("two observations").isNull();
    }
}
