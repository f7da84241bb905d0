package io.edgewatch.inference;

/**
 * Told when a model's first invoke starts and ends, so that readiness can say {@code warming} while an NPU compiles
 * its graph (tens of seconds on some devices) instead of mistaking it for a hang. Implementations must be
 * thread-safe: cameras load their interpreters in parallel.
 */
public interface WarmupListener {
    /** Ignores everything. */
    WarmupListener NONE = (model, target) -> (ms, ok) -> { };

    /**
     * A first invoke of {@code model} on {@code target} (e.g. {@code delegate:libedgetpu.so.1}) starts now.
     *
     * @return called once when that invoke has finished ({@code ok}) or failed
     */
    Warmup started(String model, String target);

    /** Handle of one running warm-up. */
    interface Warmup {
        /** @param firstInvokeMs duration of the first invoke, ms */
        void finished(double firstInvokeMs, boolean ok);
    }

    /**
     * A model's start-up report is ready, or is replaced by one with a later measurement (the steady invoke of a
     * CPU-only model, measured on its first live invokes); the last one counts (default: ignored).
     */
    default void reported(DelegateReport report) {
    }
}
