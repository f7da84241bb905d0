package io.edgewatch.testsupport;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A real MQTT v5 subscriber (Paho) that records every message on a topic filter. */
public final class MqttRecorder implements AutoCloseable {
    /** One received message. */
    public record Message(String topic, String payload, boolean retained, int qos) { }

    private final MqttClient client;
    private final List<Message> messages = new ArrayList<>();

    /** Connects to {@code url} and subscribes to {@code filter} with QoS 1. */
    public MqttRecorder(String url, String filter) throws MqttException {
        client = new MqttClient(url, "rec-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        client.connect(o);
        // subscribe(String, int, IMqttMessageListener) recurses forever in Paho 1.2.5 (StackOverflowError); the
        // MqttSubscription[] overload is the one that reaches the broker
        client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[]{new org.eclipse.paho.mqttv5.common.MqttSubscription(filter, 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[]{(topic, msg) -> {
            synchronized (messages) {
                messages.add(new Message(topic, new String(msg.getPayload(), StandardCharsets.UTF_8), msg.isRetained(), msg.getQos()));
                messages.notifyAll();
            }
        }});
    }

    /** A copy of the messages so far. */
    public List<Message> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    /** Waits until at least {@code n} messages arrived or the time-out passed; returns the count. */
    public int awaitCount(int n, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        synchronized (messages) {
            while (messages.size() < n && System.currentTimeMillis() < end) {
                messages.wait(Math.max(1, end - System.currentTimeMillis()));
            }
            return messages.size();
        }
    }

    /** Waits until no message arrived for {@code quietMs}. */
    public void awaitQuiet(long quietMs, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        int last = -1;
        while (System.currentTimeMillis() < end) {
            int now = messages().size();
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(quietMs);
        }
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
