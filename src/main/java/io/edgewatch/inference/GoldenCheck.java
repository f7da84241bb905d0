package io.edgewatch.inference;

import org.bytedeco.javacpp.BytePointer;

import java.util.Locale;

/**
 * The golden check: the same fixed input through the CPU interpreter and through the delegate, outputs compared
 * element by element within a {@link GoldenTolerance} suited to each output's type.
 */
public final class GoldenCheck {
    private GoldenCheck() {
    }

    /** Seed of the fixed input; any fixed value works, this one makes runs comparable across versions. */
    public static final long FIXED_INPUT_SEED = 0x5EED_EDCEL;

    /**
     * Fills every input tensor of {@code model} with the same pseudo-random content for a given seed (xorshift64):
     * float32 uniform in [-1, 1), uint8/int8 uniform over their range, other types zero.
     */
    public static void fillFixedInput(TfliteModel model, long seed) {
        long state = seed == 0 ? 1 : seed;
        for (int i = 0; i < model.inputs().size(); i++) {
            TensorSpec s = model.inputs().get(i);
            BytePointer bytes = model.inputBytes(i);
            long n = s.elementCount();
            // filled in Java and copied once: a JNI call per element (270 000 for a 300x300x3 input) took 30 ms of the start
            switch (s.type()) {
                case FLOAT32 -> {
                    float[] values = new float[Math.toIntExact(n)];
                    for (int k = 0; k < values.length; k++) {
                        state = next(state);
                        values[k] = (float) ((state >>> 11) * 0x1.0p-53 * 2 - 1);
                    }
                    model.inputFloats(i).put(values, 0, values.length);
                }
                case UINT8, INT8 -> {
                    byte[] values = new byte[Math.toIntExact(n)];
                    for (int k = 0; k < values.length; k++) {
                        state = next(state);
                        values[k] = (byte) (state >>> 56);
                    }
                    bytes.put(values, 0, values.length);
                }
                default -> bytes.put(new byte[Math.toIntExact(bytes.limit())], 0, Math.toIntExact(bytes.limit()));
            }
        }
    }

    private static long next(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    /**
     * Compares the outputs of two models that have just been invoked on the same input.
     *
     * @param reference the CPU interpreter
     * @param candidate the delegated interpreter
     * @throws DelegateException when the two models' outputs differ in number, type or shape
     */
    public static GoldenResult compare(TfliteModel reference, TfliteModel candidate, GoldenTolerance tol) {
        if (!reference.outputs().equals(candidate.outputs())) {
            throw new DelegateException("golden check: outputs of the delegated model " + candidate.outputs()
                    + " differ from the CPU model's " + reference.outputs());
        }
        long compared = 0;
        long mismatches = 0;
        double maxDiff = 0;
        String worst = "all outputs equal";
        double worstExcess = -1;
        for (int o = 0; o < reference.outputs().size(); o++) {
            TensorSpec s = reference.outputs().get(o);
            int n = s.elementCount();
            float[] want = new float[n];
            float[] got = new float[n];
            reference.readOutput(o, want);
            candidate.readOutput(o, got);
            for (int k = 0; k < n; k++) {
                double w = want[k];
                double g = got[k];
                double diff = Math.abs(g - w);
                boolean nanMismatch = Double.isNaN(w) != Double.isNaN(g);
                if (Double.isNaN(w) && Double.isNaN(g)) {
                    diff = 0;
                }
                double allowed = switch (s.type()) {
                    case FLOAT32 -> tol.absolute() + tol.relative() * Math.abs(w);
                    case UINT8, INT8 -> tol.quantizedSteps() * (double) s.scale() + 1e-12;
                    default -> 0;
                };
                compared++;
                if (diff > maxDiff || (nanMismatch && !Double.isInfinite(maxDiff))) {
                    maxDiff = nanMismatch ? Double.POSITIVE_INFINITY : diff;
                }
                if (nanMismatch || diff > allowed) {
                    mismatches++;
                    double excess = nanMismatch ? Double.MAX_VALUE : diff - allowed;
                    if (excess > worstExcess) {
                        worstExcess = excess;
                        worst = String.format(Locale.ROOT, "output %d (%s) element %d: delegate %s, cpu %s, allowed difference %.3g",
                                o, s.name(), k, g, w, allowed);
                    }
                }
            }
        }
        return new GoldenResult(mismatches == 0 ? "passed" : "failed", compared, mismatches, maxDiff, worst);
    }
}
