package io.edgewatch.inference;

/** How a model's graph is executed on the CPU. External NPU delegates are configured separately. */
public enum Acceleration {
    /** TFLite built-in reference/optimized kernels, no delegate ({@code BuiltinOpResolverWithoutDefaultDelegates}). */
    CPU,
    /** XNNPACK, applied by TFLite's {@code BuiltinOpResolver} as its default delegate. */
    XNNPACK
}
