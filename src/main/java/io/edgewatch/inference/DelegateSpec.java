package io.edgewatch.inference;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per-model accelerator configuration.
 *
 * @param mode           cpu, xnnpack, external or auto
 * @param threads        CPU threads for TFLite kernels and XNNPACK, 1..64
 * @param library        external delegate library (path or soname) for {@code external} and {@code auto}
 * @param options        plugin options in order (key/value strings passed to {@code tflite_plugin_create_delegate})
 * @param fallback       what to do when the delegate cannot be used
 * @param cpuModel       manifest of a CPU build to use instead of an Edge TPU model that cannot run (optional)
 * @param goldenCheck    compare delegate and CPU outputs at start-up
 * @param tolerance      golden-check tolerance
 * @param measureInvokes invokes measured for the steady latency and for {@code auto}'s comparison, 1..1000
 */
public record DelegateSpec(DelegateMode mode, int threads, Optional<String> library, Map<String, String> options,
                           FallbackPolicy fallback, Optional<Path> cpuModel, boolean goldenCheck, GoldenTolerance tolerance,
                           int measureInvokes) {
    public DelegateSpec {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be 1..64, was " + threads);
        }
        if (measureInvokes < 1 || measureInvokes > 1000) {
            throw new IllegalArgumentException("measure-invokes must be 1..1000, was " + measureInvokes);
        }
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        library = library.filter(l -> !l.isBlank());
        if (mode == DelegateMode.EXTERNAL && library.isEmpty()) {
            throw new IllegalArgumentException("delegate=external needs a library (path or soname, e.g. libedgetpu.so.1)");
        }
    }

    /** CPU-only spec: {@code xnnpack} or {@code cpu} kernels, no checks. */
    public static DelegateSpec cpuOnly(Acceleration acceleration, int threads) {
        return new DelegateSpec(acceleration == Acceleration.CPU ? DelegateMode.CPU : DelegateMode.XNNPACK, threads, Optional.empty(),
                Map.of(), FallbackPolicy.CPU, Optional.empty(), false, GoldenTolerance.defaults(), 10);
    }

    /** The same spec with another mode (used to replay a start-up decision for further interpreters of the model). */
    public DelegateSpec withMode(DelegateMode m, boolean check) {
        return new DelegateSpec(m, threads, library, options, fallback, cpuModel, check, tolerance, measureInvokes);
    }

    /** Interpreter options of the CPU path (also the golden reference and the fallback). */
    public InterpreterOptions cpuOptions() {
        return new InterpreterOptions(threads, mode == DelegateMode.CPU ? Acceleration.CPU : Acceleration.XNNPACK);
    }
}
