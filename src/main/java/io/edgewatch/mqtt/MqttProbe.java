package io.edgewatch.mqtt;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

import java.util.UUID;

/**
 * One-shot broker check for the {@code doctor} command: connects with the configured URL (the first node of a list
 * that answers), user name, password
 * (or password file) and TLS files, exactly as {@link MqttEventSink} does, then disconnects. Uses a separate
 * client id ({@code <clientId>-doctor-<random>}) so a running agent is not disconnected, and sets no Last Will.
 */
public final class MqttProbe {
    private MqttProbe() {
    }

    /**
     * Result of a probe.
     *
     * @param connected true when the broker accepted the connection
     * @param message   what happened, naming the URL (credentials redacted) and, on failure, the cause
     */
    public record Outcome(boolean connected, String message) { }

    /**
     * Connects once and disconnects.
     *
     * @param timeoutS connection time-out, s (1..300)
     */
    public static Outcome probe(MqttSettings settings, int timeoutS) {
        String url = settings.redactedUrl();
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setMaximumPacketSize(MqttSettings.MAX_PACKET_BYTES);
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(timeoutS);
        o.setKeepAliveInterval(settings.keepAliveS());
        try {
            settings.applyCredentials(o);
        } catch (IllegalArgumentException e) {
            return new Outcome(false, e.getMessage());
        }
        MqttClient client;
        try {
            o.setServerURIs(settings.urls().toArray(String[]::new)); // every node of a list, in order, as the sink does
            client = new MqttClient(settings.urls().getFirst(), settings.clientId() + "-doctor-" + UUID.randomUUID().toString().substring(0, 8),
                    new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            return new Outcome(false, "edgewatch.mqtt.url '" + url + "' is not usable: " + e.getMessage());
        }
        try {
            client.connect(o);
            client.disconnect(2_000);
            return new Outcome(true, "connected to " + io.edgewatch.util.Redaction.url(client.getCurrentServerURI()) + settings.username().map(u -> " as " + u).orElse(" anonymously")
                    + (o.getPassword() != null ? " with password" : ""));
        } catch (MqttException e) {
            int rc = e.getReasonCode();
            String why = rc == 0x86 || rc == 0x87 || rc == 4 || rc == 5
                    ? "the broker refused the credentials (edgewatch.mqtt.username / password / password-file)"
                    : e.getMessage() + (e.getCause() != null ? ": " + e.getCause().getMessage() : "");
            return new Outcome(false, "cannot connect to " + url + ": " + why);
        } finally {
            try {
                client.close(true);
            } catch (MqttException ignored) {
                // already failed or disconnected
            }
        }
    }
}
