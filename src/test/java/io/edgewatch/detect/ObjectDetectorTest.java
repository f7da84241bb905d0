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

    @Test
    void theDecoderIsChosenByTheManifestsNameAndAnUnknownOneIsRefused() throws Exception {
        ModelManifest m = ModelManifest.read(TestPaths.detectorManifest(), new ObjectMapper());
        ModelManifest yolo = new ModelManifest(m.id(), m.version(), m.task(), "yolo-v8", m.file(), m.sha256(), m.sizeBytes(),
                m.input(), m.outputs(), m.labels(), m.license(), m.source(), m.notes(), m.path());
        DetectionFilter filter = new DetectionFilter(Set.of("person"), 0.5, Map.of());
        try (TfliteModel model = TfliteModel.load(yolo, InterpreterOptions.xnnpack(1))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ObjectDetector(model, filter))
                    .isInstanceOf(io.edgewatch.inference.ModelException.class)
                    .hasMessageContaining("decoder 'yolo-v8'").hasMessageContaining("[ssd-postprocess]");
        }
        assertThat(DetectionDecoders.names()).containsExactly("ssd-postprocess");
    }

    @Test
    void aRegionIsDetectedAtFullResolutionAndMappedBackToTheFrame() throws Exception {
        ModelManifest m = ModelManifest.read(TestPaths.detectorManifest(), new ObjectMapper());
        DetectionFilter filter = new DetectionFilter(Set.of("person"), 0.5, Map.of());
        try (ObjectDetector det = new ObjectDetector(TfliteModel.load(m, InterpreterOptions.xnnpack(2)), filter);
             FfmpegFrameReader r = new FfmpegFrameReader(CaptureSettings.defaults("t", TestPaths.vtest().toString()), 0)) {
            r.open();
            try (CapturedFrame f = r.next()) {
                List<Detection> whole = det.detect(f.image());
                Detection best = whole.get(0);
                // a 300x300 region around the best walker of the whole-frame pass finds that walker again, in frame coordinates
                int cx = (int) (best.box().centerX() * f.width());
                int cy = (int) (best.box().centerY() * f.height());
                Region region = new Region(Math.max(0, Math.min(f.width() - 300, cx - 150)), Math.max(0, Math.min(f.height() - 300, cy - 150)),
                        300, 300, false);
                List<Detection> inRegion = det.detect(f.image(), region);
                assertThat(inRegion).isNotEmpty();
                double bestIou = inRegion.stream().mapToDouble(d -> region.toFrame(d.box(), f.width(), f.height()).iou(best.box())).max().orElse(0);
                assertThat(bestIou).as("the walker found in the region, mapped back").isGreaterThan(0.5);
            }
        }
    }
}
