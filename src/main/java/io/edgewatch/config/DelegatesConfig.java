package io.edgewatch.config;

import io.edgewatch.inference.Acceleration;
import io.edgewatch.inference.DelegateMode;
import io.edgewatch.inference.DelegateSpec;
import io.edgewatch.inference.FallbackPolicy;
import io.edgewatch.inference.GoldenTolerance;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Accelerator (TFLite delegate) configuration, prefix {@code edgewatch.delegates}, one entry per model id
 * ({@code edgewatch.delegates.models.<manifest id>.*}). A model without an entry runs as before on the CPU
 * ({@code edgewatch.detector.acceleration}). Reference: README.md, "Accelerators (NPU delegates)".
 */
@ConfigMapping(prefix = "edgewatch.delegates")
public interface DelegatesConfig {

    /**
     * How long a model's first invoke (NPU graph compilation) may take before it is reported as overdue, ms.
     * Until then readiness says {@code warming} and liveness stays UP.
     */
    @WithDefault("120000")
    @Min(1000) @Max(3_600_000)
    long warmupGraceMs();

    /** Per-model delegate settings, keyed by manifest id (e.g. {@code ssd-mobilenet-v2-coco}). */
    Map<String, ModelDelegate> models();

    /** One model's delegate settings. */
    interface ModelDelegate {
        /** cpu, xnnpack (default), external or auto. */
        @WithDefault("xnnpack")
        @Pattern(regexp = "cpu|xnnpack|external|auto", message = "must be cpu, xnnpack, external or auto, was '${validatedValue}'")
        String delegate();

        /** CPU threads; defaults to edgewatch.detector.threads. */
        @Min(value = 1, message = "must be 1..64, was ${validatedValue}")
        @Max(value = 64, message = "must be 1..64, was ${validatedValue}")
        OptionalInt threads();

        /** External delegate library: a path or a soname such as libedgetpu.so.1. */
        Optional<String> library();

        /** Options passed to the plugin, e.g. {@code options.device=usb}. */
        Map<String, String> options();

        /** cpu (continue on the CPU, loudly) or fail (refuse to start the model). */
        @WithDefault("cpu")
        @Pattern(regexp = "cpu|fail", message = "must be cpu or fail, was '${validatedValue}'")
        String fallback();

        /** Manifest of a CPU model to use when this (Edge TPU) model cannot run without its delegate. */
        Optional<Path> cpuModel();

        /** Compare delegate and CPU outputs on a fixed input at start-up. */
        @WithDefault("true")
        @WithConverter(StrictBooleanConverter.class)
        boolean goldenCheck();

        /** Golden check: float32 absolute tolerance. */
        @WithDefault("0.001")
        @DecimalMin("0")
        double goldenAbsTolerance();

        /** Golden check: float32 relative tolerance. */
        @WithDefault("0.001")
        @DecimalMin("0")
        double goldenRelTolerance();

        /** Golden check: allowed difference of uint8/int8 outputs in quantization steps. */
        @WithDefault("1")
        @Min(0) @Max(255)
        int goldenQuantizedSteps();

        /** Invokes measured for the steady latency and for auto's comparison. */
        @WithDefault("20")
        @Min(1) @Max(1000)
        int measureInvokes();
    }

    /**
     * The spec of model {@code modelId}: its entry, or the detector's CPU settings when it has none.
     *
     * @param defaultThreads      threads when the entry does not set them
     * @param defaultAcceleration CPU acceleration when the model has no entry
     * @throws IllegalArgumentException naming the key when the entry is inconsistent (external without library)
     */
    default DelegateSpec specFor(String modelId, int defaultThreads, Acceleration defaultAcceleration) {
        ModelDelegate d = models().get(modelId);
        if (d == null) {
            return DelegateSpec.cpuOnly(defaultAcceleration, defaultThreads);
        }
        String key = "edgewatch.delegates.models." + modelId;
        DelegateMode mode = DelegateMode.parse(d.delegate(), key + ".delegate");
        if (mode == DelegateMode.EXTERNAL && d.library().filter(l -> !l.isBlank()).isEmpty()) {
            throw new IllegalArgumentException(key + ".delegate=external needs " + key + ".library (a path or a soname such as libedgetpu.so.1)");
        }
        return new DelegateSpec(mode, d.threads().orElse(defaultThreads), d.library(), d.options(),
                FallbackPolicy.parse(d.fallback(), key + ".fallback"), d.cpuModel(), d.goldenCheck(),
                new GoldenTolerance(d.goldenAbsTolerance(), d.goldenRelTolerance(), d.goldenQuantizedSteps()), d.measureInvokes());
    }
}
