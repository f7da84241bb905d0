package io.edgewatch.inference;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * What was decided and measured for one model at start-up; logged, shown in health and metrics and printed by
 * {@code models check}.
 *
 * @param model            model id (manifest id)
 * @param requested        configured mode: cpu, xnnpack, external or auto
 * @param library          configured external delegate library, or null
 * @param runsOn           what the model runs on: {@code cpu}, {@code xnnpack} or {@code delegate:<library>}
 * @param delegateApplied  true when the external delegate runs part of the graph
 * @param reason           why the model runs where it runs (human-readable)
 * @param fallbackApplied  true when the delegate was requested but the fallback policy moved the model to the CPU
 * @param nodesDelegated   original nodes the external delegate runs
 * @param nodesTotal       nodes of the original graph
 * @param partitions       delegate partitions (kernels) of the external delegate
 * @param xnnpackNodes     original nodes XNNPACK runs (TFLite's default delegate)
 * @param warmupMs         first invoke of the model as it will run, ms (graph compilation on NPUs)
 * @param steadyInvokeMs   median invoke of the model as it will run, ms; -1 until measured (a CPU-only model of the
 *                         agent is not timed at start-up: the median of its first live invokes replaces the -1, see
 *                         {@link #withSteadyInvokeMs})
 * @param cpuInvokeMs      median invoke on the CPU (XNNPACK) when it was measured, else -1
 * @param delegateInvokeMs median invoke with the delegate when it was measured, else -1
 * @param golden           golden-check result
 * @param pluginMessages   what the plugin reported through {@code report_error}
 * @param inputs           input tensors of the model as it runs
 * @param outputs          output tensors
 * @param modelFile        model file that runs (the CPU model when an Edge TPU model was replaced)
 */
@RegisterForReflection
public record DelegateReport(String model, String requested, String library, String runsOn, boolean delegateApplied,
                             String reason, boolean fallbackApplied, int nodesDelegated, int nodesTotal, int partitions,
                             int xnnpackNodes, double warmupMs, double steadyInvokeMs, double cpuInvokeMs,
                             double delegateInvokeMs, GoldenResult golden, List<String> pluginMessages,
                             List<TensorSpec> inputs, List<TensorSpec> outputs, String modelFile) {

    /**
     * The same report with the steady invoke time measured later (the median of the first live invokes); for a model
     * that runs on the CPU that is also its CPU figure.
     *
     * @param ms median invoke, ms, at least 0
     */
    public DelegateReport withSteadyInvokeMs(double ms) {
        if (!(ms >= 0)) {
            throw new IllegalArgumentException("steady invoke must be >= 0 ms, was " + ms);
        }
        return new DelegateReport(model, requested, library, runsOn, delegateApplied, reason, fallbackApplied, nodesDelegated,
                nodesTotal, partitions, xnnpackNodes, warmupMs, ms, delegateApplied ? cpuInvokeMs : ms, delegateInvokeMs, golden,
                pluginMessages, inputs, outputs, modelFile);
    }

    /** One log line. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "model %s: runs on %s (requested %s%s); %d of %d nodes delegated in %d partition(s), %d on XNNPACK; warm-up %.1f ms,"
                        + " steady invoke %s%s%s; golden %s; %s",
                model, runsOn, requested, library == null ? "" : " " + library, nodesDelegated, nodesTotal, partitions, xnnpackNodes,
                warmupMs,
                steadyInvokeMs >= 0 ? String.format(java.util.Locale.ROOT, "%.2f ms", steadyInvokeMs) : "measured on the first live invokes",
                cpuInvokeMs >= 0 ? String.format(java.util.Locale.ROOT, ", cpu %.2f ms", cpuInvokeMs) : "",
                delegateInvokeMs >= 0 ? String.format(java.util.Locale.ROOT, ", delegate %.2f ms", delegateInvokeMs) : "",
                golden.status(), reason);
    }
}
