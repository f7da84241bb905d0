package io.edgewatch.motion;

import io.edgewatch.config.NormalizedPoints;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MotionSettingsTest {
    private static final MotionSettings D = MotionSettings.defaults();

    @Test
    void defaults() {
        assertThat(D.frameWidthPx()).isEqualTo(320);
        assertThat(D.threshold()).isEqualTo(30);
        assertThat(D.contourAreaPx()).isEqualTo(25);
        assertThat(D.frameAlpha()).isEqualTo(0.01);
        assertThat(D.lightningThreshold()).isEqualTo(0.8);
        assertThat(D.dilateIterations()).isEqualTo(2);
        assertThat(D.warmupFrames()).isEqualTo(5);
        assertThat(D.masks()).isEmpty();
    }

    @Test
    void outOfRangeValuesNameTheSetting() {
        assertThatThrownBy(() -> new MotionSettings(15, 30, 25, 0.01, 0.8, 2, 5, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("frame-width ").hasMessageContaining("15");
        assertThatThrownBy(() -> new MotionSettings(1921, 30, 25, 0.01, 0.8, 2, 5, List.of())).hasMessageStartingWith("frame-width ");
        assertThatThrownBy(() -> new MotionSettings(320, 0, 25, 0.01, 0.8, 2, 5, List.of())).hasMessageStartingWith("threshold ");
        assertThatThrownBy(() -> new MotionSettings(320, 255, 25, 0.01, 0.8, 2, 5, List.of())).hasMessageStartingWith("threshold ");
        assertThatThrownBy(() -> new MotionSettings(320, 30, -1, 0.01, 0.8, 2, 5, List.of())).hasMessageStartingWith("contour-area ");
        assertThatThrownBy(() -> new MotionSettings(320, 30, 25, 0, 0.8, 2, 5, List.of())).hasMessageStartingWith("frame-alpha ");
        assertThatThrownBy(() -> new MotionSettings(320, 30, 25, 1.5, 0.8, 2, 5, List.of())).hasMessageStartingWith("frame-alpha ");
        assertThatThrownBy(() -> new MotionSettings(320, 30, 25, Double.NaN, 0.8, 2, 5, List.of())).hasMessageStartingWith("frame-alpha ");
        assertThatThrownBy(() -> new MotionSettings(320, 30, 25, 0.01, 0, 2, 5, List.of())).hasMessageStartingWith("lightning-threshold ");
        assertThatThrownBy(() -> new MotionSettings(320, 30, 25, 0.01, 1.01, 2, 5, List.of())).hasMessageStartingWith("lightning-threshold ");
        assertThatThrownBy(() -> new MotionSettings(320, 30, 25, 0.01, 0.8, -1, 5, List.of())).hasMessageStartingWith("dilate-iterations ");
        assertThatThrownBy(() -> new MotionSettings(320, 30, 25, 0.01, 0.8, 11, 5, List.of())).hasMessageStartingWith("dilate-iterations ");
        assertThatThrownBy(() -> new MotionSettings(320, 30, 25, 0.01, 0.8, 2, -1, List.of())).hasMessageStartingWith("warmup-frames ");
        assertThatThrownBy(() -> new MotionSettings(320, 30, 25, 0.01, 0.8, 2, 5, null)).hasMessageStartingWith("masks ");
    }

    @Test
    void masksMustBeNormalizedPolygons() {
        assertThatThrownBy(() -> D.withMasks(List.of(new NormalizedPoints(new double[]{0, 0, 1, 1}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("masks[0]: ").hasMessageContaining("3 points");
        List<NormalizedPoints> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> D.withMasks(withNull)).hasMessageStartingWith("masks[0]: ");
        assertThatThrownBy(() -> D.withMasks(List.of(new NormalizedPoints(new double[]{0, 0, 1, 0, 0.5, 0.5}),
                new NormalizedPoints(new double[]{0, 0, 1.2, 0, 0.5, 0.5}))))
                .hasMessageStartingWith("masks[1]: ").hasMessageContaining("1.2").hasMessageContaining("outside 0..1");
    }

    @Test
    void masksAreCopied() {
        List<NormalizedPoints> list = new ArrayList<>(List.of(new NormalizedPoints(new double[]{0, 0, 1, 0, 0.5, 0.5})));
        MotionSettings s = D.withMasks(list);
        list.clear();
        assertThat(s.masks()).hasSize(1);
        assertThat(s.withMasks(List.of())).isEqualTo(D);
    }
}
