package io.edgewatch.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CapturedFrame;
import io.edgewatch.capture.FfmpegFrameReader;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectDetectorTest {

    @Test
    void findsThePeopleOfTheFirstSampleFrame() throws Exception {
        ModelManifest m = ModelManifest.read(TestPaths.detectorManifest(), new ObjectMapper());
        DetectionFilter filter = new DetectionFilter(Set.of("person"), 0.5, Map.of());
        try (ObjectDetector det = new ObjectDetector(TfliteModel.load(m, InterpreterOptions.xnnpack(2)), filter);
             FfmpegFrameReader r = new FfmpegFrameReader(CaptureSettings.defaults("t", TestPaths.vtest().toString()), 0)) {
            r.open();
            try (CapturedFrame f = r.next()) {
                List<Detection> d = det.detect(f.image());
                // frame 0 of vtest.avi shows three walkers clearly (checked by eye on an annotated render)
                assertThat(d).hasSizeBetween(3, 6);
                assertThat(d).allMatch(x -> x.label().equals("person") && x.score() >= 0.5);
                assertThat(d).allMatch(x -> x.box().height() > 0.08 && x.box().height() < 0.3 && x.box().height() > x.box().width());
                assertThat(d.get(0).score()).isGreaterThan(0.85);
                assertThat(det.invokeMs()).isPositive();
                assertThat(det.preprocessMs()).isPositive();
            }
        }
    }

    @Test
    void unknownAllowListLabelIsRefused() {
        ModelManifest m = ModelManifest.read(TestPaths.detectorManifest(), new ObjectMapper());
        DetectionFilter filter = new DetectionFilter(Set.of("persn"), 0.5, Map.of());
        TfliteModel model = TfliteModel.load(m, InterpreterOptions.xnnpack(1));
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ObjectDetector(model, filter))
                    .hasMessageContaining("'persn'").hasMessageContaining("coco_labels.txt");
        } finally {
            model.close();
        }
    }
}
