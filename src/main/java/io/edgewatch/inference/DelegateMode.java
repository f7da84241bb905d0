package io.edgewatch.inference;

/** Where a model's graph runs: configuration value {@code edgewatch.delegates.models.<id>.delegate}. */
public enum DelegateMode {
    /** TFLite's built-in kernels only, no delegate (reference/optimized CPU kernels). */
    CPU,
    /** TFLite's default XNNPACK delegate on the CPU (the default). */
    XNNPACK,
    /** An external-delegate plugin library (NPU), checked against the CPU before use. */
    EXTERNAL,
    /** Measure XNNPACK and the configured external delegate for N invokes each and use the faster. */
    AUTO;

    /** Parses {@code cpu|xnnpack|external|auto} (case-insensitive). */
    public static DelegateMode parse(String value, String key) {
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(key + "='" + value + "' is not one of cpu, xnnpack, external, auto");
        }
    }
}
