package io.edgewatch.pipeline;

import io.edgewatch.config.NormalizedPoints;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The share of the frame motion masks cover, behind the start-up warning for masks that switch motion off. */
class MaskedShareTest {
    private static NormalizedPoints poly(double... xy) {
        return new NormalizedPoints(xy);
    }

    @Test
    void sharesOfTheFrame() {
        assertThat(Settings.maskedShare(List.of())).isZero();
        assertThat(Settings.maskedShare(List.of(poly(0, 0, 1, 0, 1, 1, 0, 1)))).as("whole frame").isCloseTo(1.0, within(0.01));
        assertThat(Settings.maskedShare(List.of(poly(0, 0, 0.5, 0, 0.5, 1, 0, 1)))).as("left half").isCloseTo(0.5, within(0.01));
        assertThat(Settings.maskedShare(List.of(poly(0, 0, 1, 0, 0, 1)))).as("triangle").isCloseTo(0.5, within(0.01));
        // overlapping masks count once: left 60 % and right 60 % cover the whole frame, a clock in a corner adds nothing
        assertThat(Settings.maskedShare(List.of(poly(0, 0, 0.6, 0, 0.6, 1, 0, 1), poly(0.4, 0, 1, 0, 1, 1, 0.4, 1),
                poly(0.9, 0, 1, 0, 1, 0.1, 0.9, 0.1)))).isCloseTo(1.0, within(0.01));
        assertThat(Settings.maskedShare(List.of(poly(0.9, 0, 1, 0, 1, 0.1, 0.9, 0.1)))).as("a clock").isCloseTo(0.01, within(0.002));
        assertThat(Settings.maskedShare(List.of(poly(0.9, 0, 1, 0, 1, 0.1, 0.9, 0.1)))).isLessThan(Settings.MASKED_WARN_SHARE);
    }
}
