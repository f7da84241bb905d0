package io.edgewatch.health;

import io.edgewatch.pipeline.Agent;
import io.edgewatch.pipeline.CameraPipeline;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: DOWN only when a camera pipeline died with an internal error (restarting the process is the cure);
 * a camera that is merely unreachable is a readiness matter, not a liveness one. Data: {@code device}, {@code version}
 * ({@code quarkus.application.version}), {@code uptimeS} (seconds since the JVM started), {@code running}.
 */
@Liveness
@ApplicationScoped
public class AgentLivenessCheck implements HealthCheck {
    private final Agent agent;

    private final String version;

    public AgentLivenessCheck(Agent agent,
                              @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.agent = agent;
        this.version = version;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("agent").withData("device", agent.deviceId())
                .withData("version", version)
                .withData("uptimeS", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000)
                .withData("running", agent.running());
        boolean up = true;
        for (CameraPipeline p : agent.pipelines()) {
            if (p.error() != null) {
                up = false;
                b.withData("camera-" + p.cameraId(), io.edgewatch.util.Redaction.text(p.error()));
            }
        }
        return b.status(up).build();
    }
}
