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
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** One received message; {@code receivedMs} is the recorder's clock (epoch ms) when it arrived. */
    public record Message(String topic, String payload, boolean retained, int qos, long receivedMs) {
        public Message(String topic, String payload, boolean retained, int qos) {
            this(topic, payload, retained, qos, System.currentTimeMillis());
        }
    }

    private final MqttClient client;
    private final List<Message> messages = new ArrayList<>();

    /** Connects to {@code url} and subscribes to {@code filter} with QoS 1. */
    public MqttRecorder(String url, String filter) throws MqttException {
        this(url, filter, false);
    }

    /**
     * @param persistent a persistent session (clean start off, 1 h session expiry) with automatic reconnect, so
     *                   QoS 1 messages published while the recorder is reconnecting are queued by the broker and
     *                   not lost to the test (the broker needs persistence to keep them across its own restart)
     */
    public MqttRecorder(String url, String filter, boolean persistent) throws MqttException {
        this(url, filter, persistent, null, null);
    }

    /** As {@link #MqttRecorder(String, String, boolean)}, logging in as {@code username} / {@code password} (null: anonymous). */
    public MqttRecorder(String url, String filter, boolean persistent, String username, String password) throws MqttException {
        client = new MqttClient(url, "rec-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        if (username != null) {
            o.setUserName(username);
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        o.setCleanStart(!persistent);
        if (persistent) {
            o.setSessionExpiryInterval(3600L);
            o.setAutomaticReconnect(true);
            o.setAutomaticReconnectDelay(1, 2);
        }
        client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage msg) {
                synchronized (messages) {
                    messages.add(new Message(topic, new String(msg.getPayload(), StandardCharsets.UTF_8), msg.isRetained(), msg.getQos()));
                    messages.notifyAll();
                }
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
            }
        });
        client.connect(o);
        client.subscribe(filter, 1);
    }

    /** True while connected to the broker. */
    public boolean connected() {
        return client.isConnected();
    }

    /** A copy of the messages so far. */
    public List<Message> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    /** The {@code seq} of every message so far on exactly {@code topic} (event JSON), sorted, duplicates once. */
    public java.util.SortedSet<Long> seqs(String topic) throws java.io.IOException {
        java.util.SortedSet<Long> out = new java.util.TreeSet<>();
        for (Message m : messages()) {
            if (m.topic().equals(topic)) {
                out.add(JSON.readTree(m.payload()).get("seq").asLong());
            }
        }
        return out;
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
