package io.edgewatch.track;

import io.edgewatch.detect.BoxNorm;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Colour histograms of the upper and lower body, on real OpenCV images, with hand-computed bins. */
class AppearanceTest {
    private static final int GREY0 = Appearance.HUE_BINS * Appearance.SAT_BINS;

    @Test
    void binsFollowOpenCvHsv() {
        // pure red: hue 0, saturation 255 -> hue bin 0, top saturation bin 2
        assertThat(AppearanceExtractor.bin(255, 0, 0)).isEqualTo(2);
        // pure blue: hue 240 -> bin 240 * 8 / 360 = 5, saturation bin 2
        assertThat(AppearanceExtractor.bin(0, 0, 255)).isEqualTo(5 * 3 + 2);
        // mid grey: saturation 0 -> grey bins by value: 128 * 4 / 256 = 2
        assertThat(AppearanceExtractor.bin(128, 128, 128)).isEqualTo(GREY0 + 2);
        // black and white: first and last grey bin; a dark red (value 30 < 40) is grey, not red
        assertThat(AppearanceExtractor.bin(0, 0, 0)).isEqualTo(GREY0);
        assertThat(AppearanceExtractor.bin(255, 255, 255)).isEqualTo(GREY0 + 3);
        assertThat(AppearanceExtractor.bin(30, 0, 0)).isEqualTo(GREY0);
        // pale green (200, 240, 200): s = 255 * 40 / 240 = 42 < 50 -> grey, value bin 3
        assertThat(AppearanceExtractor.bin(200, 240, 200)).isEqualTo(GREY0 + 3);
    }

    /** A 200x300 grey frame with a person box at x 50..110, y 40..240: red torso, blue legs. */
    static Mat frame(Scalar torso, Scalar legs) {
        Mat m = new Mat(300, 200, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(128, 128, 128, 0));
        m.apply(new Rect(50, 40, 60, 100)).put(torso);
        m.apply(new Rect(50, 140, 60, 100)).put(legs);
        return m;
    }

    static final BoxNorm BOX = new BoxNorm(50 / 200.0, 40 / 300.0, 110 / 200.0, 240 / 300.0);

    @Test
    void torsoAndLegsAreMeasuredApartAndCompared() {
        Scalar red = new Scalar(0, 0, 255, 0); // BGR
        Scalar blue = new Scalar(255, 0, 0, 0);
        Scalar green = new Scalar(0, 200, 0, 0);
        try (Mat a = frame(red, blue); Mat b = frame(red, blue); Mat c = frame(green, blue); Mat d = frame(blue, red)) {
            Appearance pa = AppearanceExtractor.extract(a, BOX);
            // torso rows 20..50 % of the box lie inside the red part (y 80..140), legs 55..90 % inside the blue part
            assertThat(pa.upper()[2]).isEqualTo(1f);
            assertThat(pa.lower()[5 * 3 + 2]).isEqualTo(1f);
            assertThat(pa.similarity(AppearanceExtractor.extract(b, BOX))).isCloseTo(1.0, within(1e-6));
            // green torso, same legs: the upper halves share nothing, the lower ones everything -> (0 + 1) / 2
            assertThat(pa.similarity(AppearanceExtractor.extract(c, BOX))).isCloseTo(0.5, within(1e-6));
            // the same two colours, swapped between torso and legs: nothing in common
            assertThat(pa.similarity(AppearanceExtractor.extract(d, BOX))).isCloseTo(0.0, within(1e-6));
        }
    }

    @Test
    void boxesOutsideTheFrameGiveEmptyHalvesAndBlendKeepsTheOther() {
        try (Mat a = frame(new Scalar(0, 0, 255, 0), new Scalar(255, 0, 0, 0))) {
            Appearance outside = AppearanceExtractor.extract(a, new BoxNorm(1.2, 1.2, 1.4, 1.6));
            assertThat(outside.similarity(outside)).isNaN();
            Appearance p = AppearanceExtractor.extract(a, BOX);
            assertThat(outside.blend(p, 0.3)).isEqualTo(p);
            Appearance half = p.blend(new Appearance(p.lower().clone(), p.upper().clone()), 0.5);
            assertThat(half.upper()[2]).isCloseTo(0.5f, within(1e-6f));
        }
        try (Mat grey = new Mat(10, 10, org.bytedeco.opencv.global.opencv_core.CV_8UC1)) {
            assertThatThrownBy(() -> AppearanceExtractor.extract(grey, BOX)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("8-bit BGR");
        }
    }
}
