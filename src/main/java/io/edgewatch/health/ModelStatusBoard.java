package io.edgewatch.health;

import io.edgewatch.config.DelegatesConfig;
import io.edgewatch.inference.DelegateReport;
import io.edgewatch.inference.WarmupListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * What every model runs on and whether its first invoke has completed: fed by the model loader (as its
 * {@link WarmupListener}), read by the {@code models} readiness check, the {@code models-warmup} liveness check and
 * Micrometer gauges ({@code edgewatch.model.*}, tag {@code model}). Thread-safe.
 */
@ApplicationScoped
public class ModelStatusBoard implements WarmupListener {

    /** One running first invoke. */
    public record RunningWarmup(String model, String target, long startMs) {
        /** Milliseconds since it started. */
        public long elapsedMs() {
            return System.currentTimeMillis() - startMs;
        }
    }

    private final long graceMs;
    private final MeterRegistry registry;
    private final Map<Long, RunningWarmup> running = new ConcurrentHashMap<>();
    private final Map<String, DelegateReport> reports = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Inject
    public ModelStatusBoard(DelegatesConfig config, MeterRegistry registry) {
        this(config.warmupGraceMs(), registry);
    }

    /**
     * @param graceMs  how long a first invoke may run before it counts as overdue, ms
     * @param registry where the {@code edgewatch.model.*} gauges go
     */
    public ModelStatusBoard(long graceMs, MeterRegistry registry) {
        this.graceMs = graceMs;
        this.registry = registry;
        Gauge.builder("edgewatch.model.warmups.running", running, Map::size)
                .description("First invokes (warm-ups, NPU graph compilations) in progress").register(registry);
    }

    @Override
    public Warmup started(String model, String target) {
        long id = ids.incrementAndGet();
        running.put(id, new RunningWarmup(model, target, System.currentTimeMillis()));
        return (ms, ok) -> running.remove(id);
    }

    @Override
    public void reported(DelegateReport report) {
        boolean first = reports.put(report.model(), report) == null;
        if (first) {
            String m = report.model();
            gauge("edgewatch.model.delegate.applied", m, "1 when the external delegate runs part of the graph", r -> r.delegateApplied() ? 1 : 0);
            gauge("edgewatch.model.delegate.fallback", m, "1 when the fallback policy moved the model to the CPU", r -> r.fallbackApplied() ? 1 : 0);
            gauge("edgewatch.model.nodes.delegated", m, "Original graph nodes the external delegate runs", DelegateReport::nodesDelegated);
            gauge("edgewatch.model.nodes.total", m, "Nodes of the original graph", DelegateReport::nodesTotal);
            gauge("edgewatch.model.delegate.partitions", m, "Delegate partitions (kernels)", DelegateReport::partitions);
            gauge("edgewatch.model.warmup.ms", m, "First invoke, ms", DelegateReport::warmupMs);
            gauge("edgewatch.model.invoke.steady.ms", m, "Median invoke, ms: at start-up, or of the first live invokes for a CPU-only model (-1 until then)",
                    DelegateReport::steadyInvokeMs);
            gauge("edgewatch.model.invoke.cpu.ms", m, "Median CPU (XNNPACK) invoke at start-up, ms (-1 = not measured)", DelegateReport::cpuInvokeMs);
            gauge("edgewatch.model.invoke.delegate.ms", m, "Median delegate invoke at start-up, ms (-1 = not measured)", DelegateReport::delegateInvokeMs);
            gauge("edgewatch.model.golden.passed", m, "Golden check: 1 passed, 0 failed, -1 skipped",
                    r -> switch (r.golden().status()) {
                        case "passed" -> 1;
                        case "failed" -> 0;
                        default -> -1;
                    });
        }
    }

    private void gauge(String name, String model, String description, ToDoubleFunction<DelegateReport> f) {
        Gauge.builder(name, reports, rs -> {
            DelegateReport r = rs.get(model);
            return r == null ? Double.NaN : f.applyAsDouble(r);
        }).tag("model", model).description(description).register(registry);
    }

    /** Start-up reports by model id. */
    public Map<String, DelegateReport> reports() {
        return Map.copyOf(reports);
    }

    /** First invokes in progress, oldest first. */
    public List<RunningWarmup> running() {
        return running.values().stream().sorted(java.util.Comparator.comparingLong(RunningWarmup::startMs)).toList();
    }

    /** Grace time of a first invoke, ms. */
    public long graceMs() {
        return graceMs;
    }
}
