package io.edgewatch.mqtt;

import io.edgewatch.events.EventSink;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes to an MQTT broker with the Eclipse Paho v5 client: QoS from settings (1 by default, each publish
 * waits for PUBACK), user name and password, TLS, a retained availability topic ({@code online} after each
 * connect, {@code offline} as the Last Will) and automatic reconnect. The first connect is tried in the
 * background with back-off, so the agent starts while the broker is down.
 */
public final class MqttEventSink implements EventSink {
    private static final Logger LOG = Logger.getLogger(MqttEventSink.class);

    private final MqttSettings settings;
    private final MqttClient client;
    private final MqttConnectionOptions options;
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean closed;
    private final Thread connector;

    /**
     * @throws IllegalArgumentException naming the setting when the URL, password file or TLS files are unusable
     */
    public MqttEventSink(MqttSettings settings) {
        this.settings = settings;
        try {
            this.client = new MqttClient(settings.url(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            throw new IllegalArgumentException("edgewatch.mqtt.url '" + settings.redactedUrl() + "' is not usable: " + e.getMessage(), e);
        }
        this.options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 30);
        options.setKeepAliveInterval(settings.keepAliveS());
        options.setConnectionTimeout(10);
        settings.username().ifPresent(options::setUserName);
        String password = settings.password().orElse(null);
        if (settings.passwordFile().isPresent()) {
            try {
                password = Files.readString(settings.passwordFile().get()).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("edgewatch.mqtt.password-file " + settings.passwordFile().get() + " cannot be read: " + e.getMessage(), e);
            }
        }
        if (password != null) {
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        if (settings.url().startsWith("ssl://") || settings.caFile().isPresent() || settings.certFile().isPresent()) {
            options.setSocketFactory(TlsSupport.socketFactory(settings.caFile(), settings.certFile(), settings.keyFile()));
        }
        MqttMessage will = new MqttMessage("offline".getBytes(StandardCharsets.UTF_8), 1, true, new MqttProperties());
        options.setWill(settings.availabilityTopic(), will);
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
                connected.set(false);
                LOG.warnf("MQTT %s disconnected: %s", settings.redactedUrl(), r.getReasonString() != null ? r.getReasonString() : r.getException());
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
                LOG.warnf("MQTT error: %s", e.getMessage());
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                connected.set(true);
                if (reconnect) {
                    reconnects.incrementAndGet();
                }
                LOG.infof("MQTT connected to %s%s", settings.redactedUrl(), reconnect ? " (reconnect)" : "");
                Thread.ofVirtual().start(MqttEventSink.this::announceOnline);
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        this.connector = Thread.ofPlatform().daemon().name("mqtt-connect").start(this::connectLoop);
    }

    private void connectLoop() {
        long delay = 500;
        while (!closed) {
            try {
                client.connect(options);
                return;
            } catch (MqttException e) {
                if (closed) {
                    return;
                }
                if (e.getReasonCode() == 0x86 || e.getReasonCode() == 0x87) { // MQTT 5: bad user name or password, not authorized
                    LOG.errorf("MQTT %s refused the credentials (edgewatch.mqtt.username/password): %s", settings.redactedUrl(), e.getMessage());
                } else {
                    LOG.warnf("MQTT %s not reachable (%s); retrying in %d ms", settings.redactedUrl(), e.getMessage(), delay);
                }
                try {
                    Thread.sleep((long) (delay * (0.8 + 0.4 * Math.random())));
                } catch (InterruptedException ie) {
                    return;
                }
                delay = Math.min(30_000, delay * 2);
            }
        }
    }

    private void announceOnline() {
        try {
            client.publish(settings.availabilityTopic(), "online".getBytes(StandardCharsets.UTF_8), 1, true);
        } catch (MqttException e) {
            LOG.warnf("MQTT availability not published: %s", e.getMessage());
        }
    }

    /**
     * Waits until connected.
     *
     * @return true when connected within {@code timeoutMs}
     */
    public boolean awaitConnected(long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!connected.get() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        return connected.get();
    }

    @Override
    public void send(String topic, byte[] payload, boolean retained) {
        try {
            client.publish(topic, payload, settings.qos(), retained);
        } catch (MqttException e) {
            throw new SinkException("MQTT " + settings.redactedUrl() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean connected() {
        return connected.get() && client.isConnected();
    }

    /** Reconnects since start. */
    public long reconnects() {
        return reconnects.get();
    }

    @Override
    public String describe() {
        return settings.redactedUrl();
    }

    @Override
    public void close() {
        closed = true;
        connector.interrupt();
        try {
            if (client.isConnected()) {
                client.publish(settings.availabilityTopic(), "offline".getBytes(StandardCharsets.UTF_8), 1, true);
                client.disconnect(2_000);
            }
        } catch (MqttException e) {
            LOG.debugf("MQTT close: %s", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debugf("MQTT close: %s", e.getMessage());
        }
    }
}
