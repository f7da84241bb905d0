package io.edgewatch.health;

import io.edgewatch.inference.DelegateReport;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Locale;

/**
 * Readiness {@code models}: DOWN with {@code state=loading} until the first model (the detector, loaded before any
 * camera starts) has been loaded and checked; DOWN with {@code state=warming} while any model's first invoke (an NPU's graph
 * compilation can take tens of seconds) is still running, {@code state=warmup-overdue} once one runs longer than
 * {@code edgewatch.delegates.warmup-grace-ms}; UP ({@code ready}) otherwise. Data per model: what it runs on, whether
 * the delegate was applied and why, nodes delegated/total, partitions, warm-up and steady invoke ms ({@code pending}
 * until a CPU-only model has run its first live invokes), golden check.
 */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {
    private final ModelStatusBoard board;

    public ModelReadinessCheck(ModelStatusBoard board) {
        this.board = board;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("models");
        var running = board.running();
        boolean overdue = running.stream().anyMatch(w -> w.elapsedMs() > board.graceMs());
        boolean loaded = !board.reports().isEmpty();
        String state = !running.isEmpty() ? (overdue ? "warmup-overdue" : "warming") : loaded ? "ready" : "loading";
        b.withData("state", state).withData("warmupGraceMs", board.graceMs());
        for (ModelStatusBoard.RunningWarmup w : running) {
            b.withData("warming." + w.model(), w.target() + " for " + w.elapsedMs() + " ms");
        }
        for (DelegateReport r : board.reports().values()) {
            String p = r.model() + ".";
            b.withData(p + "runsOn", r.runsOn())
                    .withData(p + "delegateApplied", r.delegateApplied())
                    .withData(p + "reason", r.reason())
                    .withData(p + "nodesDelegated", r.nodesDelegated() + "/" + r.nodesTotal())
                    .withData(p + "partitions", r.partitions())
                    .withData(p + "warmupMs", String.format(Locale.ROOT, "%.1f", r.warmupMs()))
                    .withData(p + "steadyInvokeMs", r.steadyInvokeMs() < 0 ? "pending" : String.format(Locale.ROOT, "%.2f", r.steadyInvokeMs()))
                    .withData(p + "golden", r.golden().status());
        }
        return b.status(running.isEmpty() && loaded).build();
    }
}
