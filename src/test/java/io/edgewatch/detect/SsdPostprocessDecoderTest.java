package io.edgewatch.detect;

import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SsdPostprocessDecoderTest {
    private final LabelMap labels = LabelMap.read(TestPaths.modelFile("coco_labels.txt"), "index-label");

    @Test
    void decodesRowsSwapsToXyOrderAndGradesScores() {
        DetectionFilter filter = new DetectionFilter(Set.of("person"), 0.5, Map.of(), 0.3);
        SsdPostprocessDecoder d = new SsdPostprocessDecoder(labels, filter);
        float[] boxes = {
                0.10f, 0.20f, 0.50f, 0.30f,   // person 0.9: ymin xmin ymax xmax
                0.20f, 0.60f, 0.40f, 0.90f,   // car 0.8 -> not in allow-list
                0.30f, 0.40f, 0.70f, 0.45f,   // person 0.4 -> weak
                0.00f, 0.00f, 0.10f, 0.10f,   // person 0.1 -> rejected
                0.5f, 0.5f, 0.6f, 0.6f};      // beyond count
        float[] classes = {0, 2, 0, 0, 0};
        float[] scores = {0.9f, 0.8f, 0.4f, 0.1f, 0.99f};
        List<Detection> out = d.decode(boxes, classes, scores, 4);
        assertThat(out).hasSize(2);
        Detection first = out.get(0);
        assertThat(first.label()).isEqualTo("person");
        assertThat(first.score()).isCloseTo(0.9, within(1e-6));
        assertThat(first.box().xMin()).isCloseTo(0.20, within(1e-6));
        assertThat(first.box().yMin()).isCloseTo(0.10, within(1e-6));
        assertThat(first.box().xMax()).isCloseTo(0.30, within(1e-6));
        assertThat(first.box().yMax()).isCloseTo(0.50, within(1e-6));
        assertThat(filter.grade(first)).isEqualTo(DetectionFilter.Grade.CONFIDENT);
        assertThat(filter.grade(out.get(1))).isEqualTo(DetectionFilter.Grade.WEAK);
    }

    @Test
    void perLabelThresholdsAndEmptyAllowList() {
        DetectionFilter filter = new DetectionFilter(Set.of(), 0.5, Map.of("car", 0.85));
        SsdPostprocessDecoder d = new SsdPostprocessDecoder(labels, filter);
        float[] boxes = {0.1f, 0.1f, 0.2f, 0.2f, 0.3f, 0.3f, 0.4f, 0.4f, 0.5f, 0.5f, 0.6f, 0.6f};
        List<Detection> out = d.decode(boxes, new float[]{2, 2, 15}, new float[]{0.9f, 0.8f, 0.55f}, 3);
        assertThat(out).extracting(Detection::label).containsExactly("car", "bird");
    }

    @Test
    void clampsBoxesDropsEmptyOnesAndSurvivesBadCounts() {
        DetectionFilter filter = new DetectionFilter(Set.of("person"), 0.5, Map.of());
        SsdPostprocessDecoder d = new SsdPostprocessDecoder(labels, filter);
        float[] boxes = {-0.1f, -0.2f, 1.2f, 0.5f, 0.3f, 0.3f, 0.3f, 0.6f};
        List<Detection> out = d.decode(boxes, new float[]{0, 0}, new float[]{0.9f, Float.NaN}, 99);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).box()).isEqualTo(new BoxNorm(0, 0, 0.5f, 1));
        assertThat(d.decode(boxes, new float[]{0, 0}, new float[]{0.9f, 0.9f}, -3)).isEmpty();
    }
}
