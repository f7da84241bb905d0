package io.edgewatch.inference;

/** What happens to a model whose delegate cannot be used (missing, failing, claiming nothing, or computing wrong outputs). */
public enum FallbackPolicy {
    /** Continue on the CPU (XNNPACK), with a warning in the log and the reason in health and metrics. */
    CPU,
    /** Refuse to start the model; the error names the reason. */
    FAIL;

    /** Parses {@code cpu|fail} (case-insensitive). */
    public static FallbackPolicy parse(String value, String key) {
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(key + "='" + value + "' is not one of cpu, fail");
        }
    }
}
