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
        io.edgewatch.util.Redaction.rememberUrl(url);
        password.ifPresent(io.edgewatch.util.Redaction::rememberSecret);
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("edgewatch.mqtt.qos must be 0, 1 or 2, was " + qos);
        }
    }

    /**
     * Largest MQTT packet the agent accepts from a broker, bytes (MQTT 5 Maximum Packet Size in CONNECT): it subscribes
     * to nothing large, so 1 MiB bounds what a hostile or broken broker can make it buffer.
     */
    public static final long MAX_PACKET_BYTES = 1L << 20;

    /**
     * Sets user name, password (from {@code passwordFile} when given) and, for {@code ssl://} or any TLS file, the
     * socket factory on connection options; shared by the event sink and the doctor's probe.
     *
     * @throws IllegalArgumentException naming the setting when the password file or a TLS file cannot be used
     */
    public void applyCredentials(org.eclipse.paho.mqttv5.client.MqttConnectionOptions options) {
        username.ifPresent(options::setUserName);
        String pw = password.orElse(null);
        if (passwordFile.isPresent()) {
            try {
                pw = java.nio.file.Files.readString(passwordFile.get()).strip();
                io.edgewatch.util.SecretFiles.warnIfOpen("edgewatch.mqtt.password-file", passwordFile.get());
                io.edgewatch.util.Redaction.rememberSecret(pw);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("edgewatch.mqtt.password-file " + passwordFile.get() + " cannot be read: " + e.getMessage(), e);
            }
        }
        if (pw != null) {
            options.setPassword(pw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (url.startsWith("ssl://") || caFile.isPresent() || certFile.isPresent()) {
            options.setSocketFactory(TlsSupport.socketFactory(caFile, certFile, keyFile));
        }
    }

    /**
     * A warning when credentials would cross the network in clear text: a user name, password or password file (or
     * user info in the URL) with a {@code tcp://} or {@code ws://} broker. Names the keys; empty otherwise.
     */
    public Optional<String> clearTextCredentialsWarning() {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (!lower.startsWith("tcp://") && !lower.startsWith("ws://")) {
            return Optional.empty();
        }
        java.util.List<String> keys = new java.util.ArrayList<>();
        username.ifPresent(u -> keys.add("edgewatch.mqtt.username"));
        password.ifPresent(p -> keys.add("edgewatch.mqtt.password"));
        passwordFile.ifPresent(p -> keys.add("edgewatch.mqtt.password-file"));
        if (!url.equals(redactedUrl())) {
            keys.add("the user info of edgewatch.mqtt.url");
        }
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("edgewatch.mqtt.url " + redactedUrl() + " is not encrypted: " + String.join(", ", keys)
                + (keys.size() > 1 ? " cross" : " crosses") + " the network in clear text; use ssl:// or wss:// (edgewatch.mqtt.ca-file for a private CA)");
    }

    /** The URL without credentials, for logs. */
    public String redactedUrl() {
        return io.edgewatch.util.Redaction.url(url);
    }
}
