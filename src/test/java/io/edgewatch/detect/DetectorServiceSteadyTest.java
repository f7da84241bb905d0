package io.edgewatch.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.testsupport.TestPaths;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The steady invoke time of a CPU-only detector is measured on its first live invokes (the agent no longer times it
 * at start-up): reported once, after exactly the asked number of invokes, as their median.
 */
class DetectorServiceSteadyTest {

    @Test
    void medianOfTheFirstLiveInvokesIsReportedOnce() {
        ModelManifest m = ModelManifest.read(TestPaths.detectorManifest(), new ObjectMapper());
        DetectionFilter filter = new DetectionFilter(Set.of("person"), 0.5, Map.of());
        Mat frame = opencv_imgcodecs.imread(TestPaths.fetchedMedia("astronaut.png").toString());
        assertThat(frame.empty()).as("test image").isFalse();
        List<Double> reported = new CopyOnWriteArrayList<>();
        List<Double> invokes = new CopyOnWriteArrayList<>();
        try (DetectorService s = new DetectorService(m.id(), List.of(new ObjectDetector(TfliteModel.load(m, InterpreterOptions.xnnpack(1)), filter)))) {
            s.measureSteady(5, reported::add);
            DetectorService.Client c = s.register("cam1");
            for (int i = 0; i < 4; i++) {
                c.detect(frame, List.of(Region.full(frame.cols(), frame.rows())));
                invokes.add(s.lastInvokeMs());
            }
            assertThat(reported).as("after 4 of 5 invokes").isEmpty();
            for (int i = 0; i < 3; i++) {
                c.detect(frame, List.of(Region.full(frame.cols(), frame.rows())));
                invokes.add(s.lastInvokeMs());
            }
            assertThat(reported).as("once, after the 5th invoke").hasSize(1);
            double[] first5 = invokes.subList(0, 5).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            assertThat(reported.get(0)).isEqualTo(first5[2]).isGreaterThan(0);
        } finally {
            frame.close();
        }
    }

    @Test
    void badCountIsRefused() {
        ModelManifest m = ModelManifest.read(TestPaths.detectorManifest(), new ObjectMapper());
        DetectionFilter filter = new DetectionFilter(Set.of("person"), 0.5, Map.of());
        try (DetectorService s = new DetectorService(m.id(), List.of(new ObjectDetector(TfliteModel.load(m, InterpreterOptions.xnnpack(1)), filter)))) {
            assertThatThrownBy(() -> s.measureSteady(0, ms -> { })).hasMessageContaining("1..1000, was 0");
        }
    }
}
