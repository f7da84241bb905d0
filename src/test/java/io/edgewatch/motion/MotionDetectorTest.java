package io.edgewatch.motion;

import io.edgewatch.config.NormalizedPoints;
import io.edgewatch.detect.BoxNorm;
import io.edgewatch.testsupport.TestPaths;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_core.minMaxLoc;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The detector on synthetic frames: a square moving over a still photo, with and without sensor noise, masks, frame
 * size changes, learning and merging.
 */
class MotionDetectorTest {

    /** A still photo (the first frame of vtest.avi) at 768x576. */
    private static Mat still() throws Exception {
        return MotionMedia.frame(TestPaths.vtest(), 0);
    }

    /** The still with a dark 40x80 px "person" at x. */
    private static Mat withSquare(Mat still, int x, int y) {
        Mat m = still.clone();
        try (Rect r = new Rect(x, y, 40, 80); Scalar c = new Scalar(20, 20, 20, 0)) {
            rectangle(m, r, c, -1, 8, 0);
        }
        return m;
    }

    @Test
    void firstFrameAndWarmupOnlyLearnThenAMovingSquareIsBoxedWhereItIs() throws Exception {
        try (Mat still = still(); MotionDetector d = new MotionDetector(MotionSettings.defaults())) {
            assertThat(d.learning()).isTrue();
            assertThat(d.workingSize()).containsExactly(-1, -1);
            MotionResult first = d.detect(still);
            assertThat(first.hasMotion()).isFalse();
            assertThat(first.relearned()).isFalse();
            assertThat(d.workingSize()).containsExactly(320, 240);
            assertThat(d.lastDetectNanos()).isPositive();
            for (int i = 0; i < MotionSettings.DEFAULT_WARMUP_FRAMES; i++) {
                assertThat(d.learning()).isTrue();
                try (Mat f = withSquare(still, 100 + 10 * i, 300)) {
                    assertThat(d.detect(f).hasMotion()).as("warm-up frame %d", i).isFalse();
                }
            }
            assertThat(d.learning()).isFalse();
            for (int i = 0; i < 50; i++) {
                d.detect(still); // forget the warm-up squares
            }
            assertThat(d.detect(still).hasMotion()).isFalse();
            int x = 500, y = 200;
            try (Mat f = withSquare(still, x, y)) {
                MotionResult r = d.detect(f);
                assertThat(r.boxes()).hasSize(1);
                BoxNorm b = r.boxes().get(0);
                // the square, give or take the blur, the dilation and one small-frame pixel (2.4 px)
                double tolX = 8.0 / 768, tolY = 8.0 / 576;
                assertThat(b.xMin()).isBetween(x / 768.0 - tolX, x / 768.0 + tolX);
                assertThat(b.xMax()).isBetween((x + 40) / 768.0 - tolX, (x + 40) / 768.0 + tolX);
                assertThat(b.yMin()).isBetween(y / 576.0 - tolY, y / 576.0 + tolY);
                assertThat(b.yMax()).isBetween((y + 80) / 576.0 - tolY, (y + 80) / 576.0 + tolY);
                assertThat(r.changedFraction()).isBetween(0.5 * 40 * 80 / (768.0 * 576), 1.5 * 40 * 80 / (768.0 * 576));
            }
        }
    }

    /**
     * The smallest object seen: a dark square of n x n px (768x576 frame) appearing on the still. Printed; asserted only
     * at the ends (a 2 px speck is not motion, a 12 px one is).
     */
    @Test
    void smallestObjectSeen() throws Exception {
        StringBuilder line = new StringBuilder("dark square appearing at the default settings, size px: motion?");
        boolean two = true, twelve = false;
        try (Mat still = still()) {
            for (int n : new int[]{2, 3, 4, 5, 6, 8, 10, 12}) {
                boolean seen = false;
                for (int[] at : new int[][]{{200, 300}, {500, 150}, {600, 400}}) {
                    try (MotionDetector d = new MotionDetector(MotionSettings.defaults()); Mat f = still.clone();
                         Rect r = new Rect(at[0], at[1], n, n); Scalar c = new Scalar(10, 10, 10, 0)) {
                        for (int i = 0; i < 10; i++) {
                            d.detect(still);
                        }
                        rectangle(f, r, c, -1, 8, 0);
                        seen |= d.detect(f).hasMotion();
                    }
                }
                line.append(' ').append(n).append(':').append(seen ? "yes" : "no");
                two = n == 2 ? seen : two;
                twelve = n == 12 ? seen : twelve;
            }
        }
        System.out.println(line);
        assertThat(two).isFalse();
        assertThat(twelve).isTrue();
    }

    /** An object that arrives and stays (a parked car) is absorbed into the background after a while. */
    @Test
    void aLastingChangeIsAbsorbedIntoTheBackground() throws Exception {
        try (Mat still = still(); Mat parked = withSquare(still, 300, 300); Mat grey = new Mat();
             MotionDetector d = new MotionDetector(MotionSettings.defaults())) {
            for (int i = 0; i < 20; i++) {
                d.detect(still);
            }
            int frames = 0;
            while (frames < 1000 && d.detect(parked).hasMotion()) {
                frames++;
            }
            cvtColor(still, grey, COLOR_BGR2GRAY);
            double diff;
            try (Rect r = new Rect(300, 300, 40, 80); Mat roi = grey.apply(r); DoublePointer max = new DoublePointer(1); DoublePointer min = new DoublePointer(1)) {
                minMaxLoc(roi, min, max, null, null, null);
                diff = max.get() - 20; // the largest difference decides when the last pixel drops below the threshold
            }
            double expected = MotionDetector.PERSIST_FRAMES + Math.log(diff / 30) / 0.01;
            System.out.printf("a dark box (largest difference %.0f grey levels) that stays is motion for %d frames (estimate %.0f)%n", diff, frames, expected);
            assertThat(frames).isBetween(MotionDetector.PERSIST_FRAMES, (int) (1.5 * expected));
        }
    }

    @ParameterizedTest(name = "sigma {0}")
    @ValueSource(doubles = {3, 5, 8})
    void sensorNoiseAloneIsNoMotion(double sigma) throws Exception {
        MotionMedia.seed(42);
        int frames = 120, motionFrames = 0;
        double maxChanged = 0;
        try (Mat still = still(); Mat noise = new Mat(); Mat noisy = new Mat();
             MotionDetector d = new MotionDetector(MotionSettings.defaults())) {
            for (int i = 0; i < frames; i++) {
                MotionMedia.addNoise(still, sigma, noise, noisy);
                MotionResult r = d.detect(noisy);
                if (i > MotionSettings.DEFAULT_WARMUP_FRAMES) {
                    motionFrames += r.hasMotion() ? 1 : 0;
                    maxChanged = Math.max(maxChanged, r.changedFraction());
                }
            }
        }
        System.out.printf("noise sigma %.0f: %d motion frames of %d, largest changed fraction %.6f%n",
                sigma, motionFrames, frames - MotionSettings.DEFAULT_WARMUP_FRAMES - 1, maxChanged);
        assertThat(motionFrames).isZero();
    }

    /**
     * How far the default threshold is from the noise: motion frames of 100 at lower thresholds, at the default working
     * width and at the full 768 px (no averaging by the resize, only the blur); printed, not asserted.
     */
    @Test
    void noiseMarginOfTheThreshold() throws Exception {
        try (Mat still = still(); Mat noise = new Mat(); Mat noisy = new Mat()) {
            for (int width : new int[]{320, 768}) {
                StringBuilder line = new StringBuilder("noise sigma 5, width " + width + ", motion frames of 100 by threshold:");
                for (int t : new int[]{4, 6, 8, 10, 15, 20}) {
                    MotionMedia.seed(1);
                    MotionSettings s = new MotionSettings(width, t, 25, 0.01, 0.8, 2, 5, List.of());
                    int motion = 0;
                    try (MotionDetector d = new MotionDetector(s)) {
                        for (int i = 0; i < 106; i++) {
                            MotionMedia.addNoise(still, 5, noise, noisy);
                            MotionResult r = d.detect(noisy);
                            motion += i >= 6 && r.hasMotion() ? 1 : 0;
                        }
                    }
                    line.append(' ').append(t).append(':').append(motion);
                }
                System.out.println(line);
            }
        }
    }

    @Test
    void maskedPixelsAreNeverMotion() throws Exception {
        // mask the right half; a square moving there is not motion, one on the left is
        MotionSettings s = MotionSettings.defaults().withMasks(List.of(new NormalizedPoints(new double[]{0.5, 0, 1, 0, 1, 1, 0.5, 1})));
        try (Mat still = still(); MotionDetector d = new MotionDetector(s)) {
            for (int i = 0; i < 10; i++) {
                d.detect(still);
            }
            try (Mat right = withSquare(still, 600, 200)) {
                MotionResult r = d.detect(right);
                assertThat(r.hasMotion()).isFalse();
                assertThat(r.changedFraction()).isZero();
            }
            try (Mat straddling = withSquare(still, 370, 200)) { // 370..410 px, the mask starts at 384
                MotionResult r = d.detect(straddling);
                assertThat(r.boxes()).hasSize(1);
                assertThat(r.boxes().get(0).xMax()).isLessThanOrEqualTo(0.5 + 1e-9);
            }
        }
        MotionSettings all = MotionSettings.defaults().withMasks(List.of(new NormalizedPoints(new double[]{0, 0, 1, 0, 1, 1, 0, 1})));
        try (Mat still = still(); MotionDetector d = new MotionDetector(all)) {
            for (int i = 0; i < 10; i++) {
                d.detect(still);
            }
            try (Mat f = withSquare(still, 100, 100)) {
                MotionResult r = d.detect(f);
                assertThat(r.hasMotion()).isFalse();
                assertThat(r.changedFraction()).isZero();
            }
        }
    }

    @Test
    void aFrameSizeChangeRestartsLearning() throws Exception {
        try (Mat still = still(); Mat big = new Mat(); Mat small = new Mat();
             MotionDetector d = new MotionDetector(MotionSettings.defaults())) {
            resize(still, big, new Size(1536, 1152));
            resize(still, small, new Size(200, 150));
            for (int i = 0; i < 10; i++) {
                d.detect(still);
            }
            assertThat(d.learning()).isFalse();
            assertThat(d.detect(big).hasMotion()).isFalse();
            assertThat(d.learning()).isTrue();
            assertThat(d.workingSize()).containsExactly(320, 240);
            d.detect(small);
            assertThat(d.workingSize()).as("never enlarged").containsExactly(200, 150);
            for (int i = 0; i < 10; i++) {
                d.detect(small);
            }
            try (Mat moved = withSquare(still, 300, 300); Mat movedSmall = new Mat()) {
                resize(moved, movedSmall, new Size(200, 150));
                assertThat(d.detect(movedSmall).hasMotion()).isTrue();
            }
        }
    }

    @Test
    void acceptsGreyAndBgraAndRejectsOtherTypes() {
        try (MotionDetector d = new MotionDetector(MotionSettings.defaults());
             Mat grey = new Mat(100, 100, CV_8UC1, new Scalar(100));
             Mat bgra = new Mat(100, 100, CV_8UC4, new Scalar(100, 100, 100, 255));
             Mat floats = new Mat(100, 100, CV_32FC3)) {
            assertThat(d.detect(grey).hasMotion()).isFalse();
            assertThat(d.detect(bgra).hasMotion()).isFalse();
            assertThatThrownBy(() -> d.detect(floats)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8-bit BGR");
            assertThatThrownBy(() -> d.detect(new Mat())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
            d.close();
            assertThatThrownBy(() -> d.detect(grey)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void twoSeparateMoversGiveTwoBoxesAndOverlappingOnesMerge() throws Exception {
        try (Mat still = still(); MotionDetector d = new MotionDetector(MotionSettings.defaults())) {
            for (int i = 0; i < 10; i++) {
                d.detect(still);
            }
            try (Mat one = withSquare(still, 100, 100); Mat two = withSquare(one, 500, 300)) {
                assertThat(d.detect(two).boxes()).hasSize(2);
            }
        }
        List<int[]> rects = new ArrayList<>(List.of(new int[]{0, 0, 10, 10}, new int[]{20, 20, 30, 30},
                new int[]{9, 9, 21, 21}, new int[]{50, 50, 60, 60}, new int[]{60, 40, 70, 45}));
        List<int[]> merged = MotionDetector.merge(rects);
        assertThat(merged).extracting(a -> List.of(a[0], a[1], a[2], a[3]))
                .containsExactlyInAnyOrder(List.of(0, 0, 30, 30), List.of(50, 50, 60, 60), List.of(60, 40, 70, 45));
        // [60,40..70,45] does not touch [50,50..60,60] in y (45 < 50)
        assertThat(rects.get(0)).containsExactly(0, 0, 10, 10); // input untouched
    }
}
