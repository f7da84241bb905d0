package io.edgewatch.health;

import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.EventSink;
import io.edgewatch.pipeline.Agent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of event delivery: UP when the broker is connected (or events go to standard output). With MQTT it
 * also reports the spool: depth, age of the oldest pending event, events acknowledged, retried, dropped and
 * reconnects, and whether the spool file can be written (events kept in memory and lost to a full disk meanwhile);
 * the broker node in use ({@code node}, credentials redacted; one of the comma-separated {@code edgewatch.mqtt.url}),
 * while not connected, why the last connection attempt failed ({@code lastConnectError}: TLS, DNS, refused port,
 * credentials; redacted), broker refusals ({@code eventsRefused} kept and retried, {@code eventsRejected} dropped, {@code lastRefusal}) and
 * session take-overs: {@code clientIdConflict} true (and DOWN while it keeps the agent off the broker) with
 * {@code clientIdConflictMessage} when another client uses the same client id.
 */
@Readiness
@ApplicationScoped
public class BrokerHealthCheck implements HealthCheck {
    private final Agent agent;

    public BrokerHealthCheck(Agent agent) {
        this.agent = agent;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("broker");
        EventSink sink = agent.sink();
        if (sink == null) {
            return b.down().withData("reason", "agent not started").build();
        }
        EventPublisher p = agent.publisher();
        b.withData("sink", sink.describe()).withData("connected", sink.connected());
        if (p != null) {
            // produced: handed to the sink (spooled, or printed); acknowledged (below): PUBACK received from the broker
            b.withData("eventsProduced", p.published()).withData("eventsFailed", p.failed()).withData("lastSeq", p.lastSeq());
        }
        if (sink instanceof io.edgewatch.mqtt.MqttEventSink m) {
            b.withData("spoolDepth", m.spoolDepth()).withData("oldestPendingAgeMs", m.oldestPendingAgeMs())
                    .withData("eventsAcknowledged", m.eventsPublished()).withData("eventsRetried", m.eventsRetried())
                    .withData("eventsDropped", m.eventsDropped()).withData("reconnects", m.reconnects())
                    .withData("spoolWritable", m.spool().writable()).withData("spoolHeldInMemory", m.spool().heldInMemory())
                    .withData("eventsLostDiskFull", m.spool().lostDiskFull())
                    .withData("eventsRefused", m.eventsRefused()).withData("eventsRejected", m.eventsRejected())
                    .withData("sessionTakeovers", m.sessionTakeovers()).withData("clientIdConflict", m.clientIdConflict());
            if (m.node() != null) {
                b.withData("node", m.node());
            }
            if (!m.connected() && m.lastConnectError() != null) {
                b.withData("lastConnectError", m.lastConnectError());
            }
            if (m.lastRefusal() != null) {
                b.withData("lastRefusal", m.lastRefusal());
            }
            if (m.clientIdConflictMessage() != null) {
                b.withData("clientIdConflictMessage", m.clientIdConflictMessage());
            }
        }
        return b.status(sink.connected()).build();
    }
}
