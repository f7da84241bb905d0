package io.edgewatch.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness {@code models-warmup}: stays UP while first invokes run within {@code edgewatch.delegates.warmup-grace-ms},
 * so a watchdog never kills a slow NPU graph compile; DOWN only when one has run longer than the grace time (a hang).
 */
@Liveness
@ApplicationScoped
public class ModelWarmupLivenessCheck implements HealthCheck {
    private final ModelStatusBoard board;

    public ModelWarmupLivenessCheck(ModelStatusBoard board) {
        this.board = board;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("models-warmup").withData("warmupGraceMs", board.graceMs());
        boolean up = true;
        for (ModelStatusBoard.RunningWarmup w : board.running()) {
            long ms = w.elapsedMs();
            b.withData(w.model(), "first invoke on " + w.target() + " running for " + ms + " ms");
            if (ms > board.graceMs()) {
                up = false;
            }
        }
        return b.status(up).build();
    }
}
