package io.edgewatch.mqtt;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Broker connection settings.
 *
 * @param url               {@code tcp://host:1883} or {@code ssl://host:8883}
 * @param clientId          MQTT client id (unique per broker)
 * @param username          optional user name
 * @param password          optional password (prefer {@code passwordFile})
 * @param passwordFile      optional file holding the password, e.g. a systemd credential; trailing newline ignored
 * @param caFile            optional PEM CA certificate(s) to trust for TLS
 * @param certFile          optional PEM client certificate for mutual TLS
 * @param keyFile           optional PEM PKCS#8 private key of the client certificate
 * @param qos               QoS of events, 0..2 (1 by default)
 * @param keepAliveS        keep-alive interval, seconds
 * @param availabilityTopic retained topic carrying {@code online}/{@code offline}; {@code offline} is the Last Will
 */
public record MqttSettings(String url, String clientId, Optional<String> username, Optional<String> password,
                           Optional<Path> passwordFile, Optional<Path> caFile, Optional<Path> certFile,
                           Optional<Path> keyFile, int qos, int keepAliveS, String availabilityTopic) {
    public MqttSettings {
        if (url == null || !url.matches("(?i)(tcp|ssl|ws|wss)://.+")) {
            throw new IllegalArgumentException("MQTT broker URL '" + url + "' must start with tcp://, ssl://, ws:// or wss://"
                    + " (e.g. tcp://localhost:1883)");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("edgewatch.mqtt.qos must be 0, 1 or 2, was " + qos);
        }
    }

    /** The URL without credentials, for logs. */
    public String redactedUrl() {
        return url.replaceAll("(?<=://)[^/@]+@", "***@");
    }
}
