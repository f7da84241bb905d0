package io.edgewatch.face;

import io.edgewatch.testsupport.TestPaths;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The least-squares similarity fit of the aligner, and that face processing never loads OpenCV's calib3d/highgui
 * natives (highgui links GTK 2, which edge boxes and the Docker image do not have).
 */
class FaceAlignerTest {
    @TempDir
    Path dir;

    private static final double[] TEMPLATE = {38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 56.1396, 92.2848};

    @Test
    void recoversAnExactSimilarity() {
        double s = 1.7, th = Math.toRadians(20), tx = -31.5, ty = 12.25;
        double a = s * Math.cos(th), b = s * Math.sin(th);
        double[] src = new double[TEMPLATE.length];
        for (int i = 0; i < TEMPLATE.length; i += 2) {
            src[i] = a * TEMPLATE[i] - b * TEMPLATE[i + 1] + tx;
            src[i + 1] = b * TEMPLATE[i] + a * TEMPLATE[i + 1] + ty;
        }
        double[] m = FaceAligner.similarity(TEMPLATE, src);
        assertThat(m).containsExactly(new double[]{a, -b, tx, b, a, ty}, within(1e-9));
    }

    @Test
    void noisyPointsGiveTheLeastSquaresOptimum() {
        double[] src = {120.3, 210.9, 181.0, 205.2, 152.7, 245.1, 151.2, 281.6}; // four keypoints, not an exact similarity
        double[] m = FaceAligner.similarity(src, TEMPLATE);
        double best = sse(m, src);
        double[] step = {1e-3, 1e-3, 0.05, 1e-3, 1e-3, 0.05};
        for (int k = 0; k < 4; k++) { // perturb a, b, tx, ty (b and a appear twice in the matrix)
            for (int sign = -1; sign <= 1; sign += 2) {
                double[] p = m.clone();
                switch (k) {
                    case 0 -> { p[0] += sign * step[0]; p[4] += sign * step[0]; }
                    case 1 -> { p[3] += sign * step[3]; p[1] -= sign * step[3]; }
                    case 2 -> p[2] += sign * step[2];
                    default -> p[5] += sign * step[5];
                }
                assertThat(sse(p, src)).as("parameter %d moved by %d step", k, sign).isGreaterThan(best);
            }
        }
        assertThat(m[0]).isEqualTo(m[4]);
        assertThat(m[1]).isEqualTo(-m[3]);
    }

    private static double sse(double[] m, double[] src) {
        double e = 0;
        for (int i = 0; i < src.length; i += 2) {
            double x = m[0] * src[i] + m[1] * src[i + 1] + m[2] - TEMPLATE[i];
            double y = m[3] * src[i] + m[4] * src[i + 1] + m[5] - TEMPLATE[i + 1];
            e += x * x + y * y;
        }
        return e;
    }

    @Test
    void degenerateKeypointsAreRefused() {
        assertThatThrownBy(() -> FaceAligner.similarity(new double[]{5, 5, 5, 5, 5, 5, 5, 5}, TEMPLATE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("degenerate");
        assertThatThrownBy(() -> FaceAligner.similarity(new double[]{1, 2, 3}, TEMPLATE)).hasMessageContaining("at least 2 points");
    }

    @Test
    void faceProcessingLoadsNoHighguiOrCalib3d() {
        try (FaceAnalyzer analyzer = FaceAnalyzer.load(FaceTestSupport.settings(dir), FaceTestSupport.MAPPER);
             Mat img = FaceEnrolment.read(TestPaths.sharedMedia("faces/obama.jpg"))) {
            List<FaceAnalyzer.Candidate> c = analyzer.find(img);
            assertThat(c).hasSize(1);
            assertThat(c.get(0).aligned().cols()).isEqualTo(112);
            assertThat(analyzer.embed(List.of(c.get(0).aligned())).get(0)).hasSize(192);
            c.forEach(FaceAnalyzer.Candidate::close);
        }
        assertThat(Loader.getLoadedLibraries().keySet()).as("native libraries loaded by JavaCPP")
                .anySatisfy(l -> assertThat(l).contains("opencv_imgproc"))
                .noneSatisfy(l -> assertThat(l).containsAnyOf("highgui", "calib3d", "features2d"));
    }
}
