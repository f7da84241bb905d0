package io.edgewatch.mqtt;

import io.edgewatch.testsupport.Mosquitto;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sink's delivery meters live as long as the sink, against a real Mosquitto: after {@code close} they are gone, and
 * a sink created after it (the agent started again in one process) reports its own figures instead of Micrometer
 * handing back the closed sink's gauges.
 */
class SinkMetersTest {

    private static List<String> deliveryMeters(SimpleMeterRegistry r) {
        return r.getMeters().stream().map(Meter::getId).map(Meter.Id::getName)
                .filter(n -> n.startsWith("edgewatch.mqtt.") || n.startsWith("edgewatch.spool.")).sorted().toList();
    }

    @Test
    void closeRemovesTheMetersAndTheNextSinkReportsItsOwn() throws Exception {
        Path dir = Files.createTempDirectory("sink-meters");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Mosquitto broker = Mosquitto.start(null)) {
            MqttSettings ms = new MqttSettings(broker.url(), "edgewatch-meters", Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), 1, 30, "edgewatch/meters/availability");
            SpoolSettings ss = SinkFixtures.spool(dir);
            MqttEventSink first = new MqttEventSink(ms, ss, new EventSpool(ss), "edgewatch/meters/gap", "meters");
            first.bindMetrics(registry);
            assertThat(first.awaitConnected(10_000)).isTrue();
            for (long seq = 1; seq <= 3; seq++) {
                first.sendEvent(seq, "edgewatch/meters/cam1/events", SinkFixtures.event(seq));
            }
            assertThat(first.awaitDrained(10_000)).isTrue();
            assertThat(registry.get("edgewatch.mqtt.connected").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("edgewatch.mqtt.events.published").functionCounter().count()).isEqualTo(3.0);
            assertThat(deliveryMeters(registry)).hasSize(15);
            first.close();
            assertThat(deliveryMeters(registry)).as("meters left after close").isEmpty();

            MqttEventSink second = new MqttEventSink(ms, ss, new EventSpool(ss), "edgewatch/meters/gap", "meters");
            try {
                second.bindMetrics(registry);
                assertThat(second.awaitConnected(10_000)).isTrue();
                second.sendEvent(4, "edgewatch/meters/cam1/events", SinkFixtures.event(4));
                assertThat(second.awaitDrained(10_000)).isTrue();
                // before, the closed sink's gauge (connected 0) and counter (3) were handed back instead
                assertThat(registry.get("edgewatch.mqtt.connected").gauge().value()).isEqualTo(1.0);
                assertThat(registry.get("edgewatch.mqtt.events.published").functionCounter().count()).isEqualTo(1.0);
            } finally {
                second.close();
            }
        }
    }
}
