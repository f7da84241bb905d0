package io.edgewatch.inference;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Outcome of comparing a delegate's outputs with the CPU interpreter's on the same fixed input.
 *
 * @param status           {@code passed}, {@code failed} or {@code skipped}
 * @param elementsCompared output elements compared over all outputs
 * @param mismatches       elements outside the tolerance
 * @param maxAbsDiff       largest absolute difference, in the dequantized (real) unit of the outputs
 * @param detail           the worst element (output, index, both values) or why the check was skipped
 */
@RegisterForReflection
public record GoldenResult(String status, long elementsCompared, long mismatches, double maxAbsDiff, String detail) {

    /** True unless the check ran and failed. */
    public boolean acceptable() {
        return !"failed".equals(status);
    }

    public static GoldenResult skipped(String why) {
        return new GoldenResult("skipped", 0, 0, 0, why);
    }
}
