package io.edgewatch.inference;

/**
 * Tolerance of the golden check per output type. A float32 element passes when
 * {@code |delegate - cpu| <= absolute + relative * |cpu|}; a uint8/int8 element when the two quantized values differ
 * by at most {@code quantizedSteps}; integer (int32/int64) elements must be equal.
 *
 * @param absolute       float32 absolute tolerance, &gt;= 0 (default 1e-3)
 * @param relative       float32 relative tolerance, &gt;= 0 (default 1e-3)
 * @param quantizedSteps allowed difference of quantized outputs in quantization steps, &gt;= 0 (default 1)
 */
public record GoldenTolerance(double absolute, double relative, int quantizedSteps) {
    public GoldenTolerance {
        if (!(absolute >= 0) || !(relative >= 0) || quantizedSteps < 0) {
            throw new IllegalArgumentException("golden tolerances must be >= 0, were abs " + absolute + " rel " + relative
                    + " steps " + quantizedSteps);
        }
    }

    /** abs 1e-3, rel 1e-3, 1 quantization step. */
    public static GoldenTolerance defaults() {
        return new GoldenTolerance(1e-3, 1e-3, 1);
    }
}
