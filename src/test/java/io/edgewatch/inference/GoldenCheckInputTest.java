package io.edgewatch.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden check's fixed input on the real detector (uint8, 1x300x300x3) and face embedder (float32): every element
 * is the xorshift64 sequence of {@link GoldenCheck#FIXED_INPUT_SEED}, computed here independently, so the bulk copy
 * writes what a per-element fill wrote (golden results stay comparable across versions).
 */
class GoldenCheckInputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static long next(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    @Test
    void uint8InputIsTheSeedsSequence() {
        try (TfliteModel m = TfliteModel.load(ModelManifest.read(TestPaths.detectorManifest(), MAPPER), InterpreterOptions.xnnpack(1))) {
            GoldenCheck.fillFixedInput(m, GoldenCheck.FIXED_INPUT_SEED);
            long n = m.inputs().get(0).elementCount();
            assertThat(n).isEqualTo(300L * 300 * 3);
            long state = GoldenCheck.FIXED_INPUT_SEED;
            for (long k = 0; k < n; k++) {
                state = next(state);
                if (m.inputBytes(0).get(k) != (byte) (state >>> 56)) {
                    throw new AssertionError("element " + k + ": " + m.inputBytes(0).get(k) + " instead of " + (byte) (state >>> 56));
                }
            }
        }
    }

    @Test
    void float32InputIsTheSeedsSequenceInMinusOneToOne() {
        try (TfliteModel m = TfliteModel.load(ModelManifest.read(TestPaths.manifest("mobilefacenet.manifest.json"), MAPPER),
                InterpreterOptions.xnnpack(1))) {
            assertThat(m.inputs().get(0).type().name()).isEqualTo("FLOAT32");
            GoldenCheck.fillFixedInput(m, GoldenCheck.FIXED_INPUT_SEED);
            long n = m.inputs().get(0).elementCount();
            long state = GoldenCheck.FIXED_INPUT_SEED;
            for (long k = 0; k < n; k++) {
                state = next(state);
                float want = (float) ((state >>> 11) * 0x1.0p-53 * 2 - 1);
                float got = m.inputFloats(0).get(k);
                if (got != want || got < -1 || got >= 1) {
                    throw new AssertionError("element " + k + ": " + got + " instead of " + want);
                }
            }
        }
    }
}
