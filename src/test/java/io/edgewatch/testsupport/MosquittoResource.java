package io.edgewatch.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts a real Mosquitto before a Quarkus test application and points {@code edgewatch.mqtt.url} at it. */
public class MosquittoResource implements QuarkusTestResourceLifecycleManager {
    private Mosquitto broker;

    @Override
    public Map<String, String> start() {
        try {
            broker = Mosquitto.start(null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start mosquitto: " + e.getMessage(), e);
        }
        return Map.of("edgewatch.mqtt.url", broker.url());
    }

    @Override
    public void stop() {
        try {
            broker.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
