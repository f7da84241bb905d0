package io.edgewatch.mqtt;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Broker connection settings.
 *
 * @param url               {@code tcp://host:1883} or {@code ssl://host:8883}, or a comma-separated list of such URLs (the
 *                          nodes of a broker cluster, tried in order; see {@link #urls()})
 * @param clientId          MQTT client id (unique per broker: stable per device, so a broker cluster sees one session)
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
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("edgewatch.mqtt.url is empty; expected e.g. tcp://localhost:1883");
        }
        java.util.List<String> entries = split(url);
        Boolean tls = null;
        for (String u : entries) {
            String shown = io.edgewatch.util.Redaction.url(u);
            if (!u.matches("(?i)(tcp|ssl|ws|wss)://[^\\s/]+.*")) {
                throw new IllegalArgumentException("edgewatch.mqtt.url entry '" + shown + "' must start with tcp://, ssl://, ws:// or wss://"
                        + " followed by a host (e.g. tcp://localhost:1883" + (entries.size() > 1 ? "; a list is comma-separated" : "") + ")");
            }
            if (!u.equals(shown)) {
                // Paho takes the user name and password from its connect options only: user info in the URL would
                // be accepted and never sent (and the broker then refuses a client it was told to trust)
                throw new IllegalArgumentException("edgewatch.mqtt.url entry '" + shown + "' carries a user name or password, which the"
                        + " MQTT client does not send: set edgewatch.mqtt.username and edgewatch.mqtt.password-file (or password) instead");
            }
            int port = port(u, shown);
            if (port == 0 || port > 65535) {
                throw new IllegalArgumentException("edgewatch.mqtt.url entry '" + shown + "' has port " + port + ", outside 1..65535");
            }
            boolean entryTls = encrypted(u);
            if (tls != null && tls != entryTls) {
                throw new IllegalArgumentException("edgewatch.mqtt.url entry '" + shown + "' mixes encrypted (ssl://, wss://) and plain"
                        + " (tcp://, ws://) brokers in one list: a failover must not downgrade to clear text; use one kind for every node");
            }
            tls = entryTls;
            io.edgewatch.util.Redaction.rememberUrl(u);
        }
        if (!tls && (caFile.isPresent() || certFile.isPresent() || keyFile.isPresent())) {
            throw new IllegalArgumentException("edgewatch.mqtt.ca-file, cert-file or key-file is set, but edgewatch.mqtt.url '" + redactAll(url)
                    + "' is not encrypted (tcp://, ws://): use ssl:// or wss:// for TLS, or remove the TLS files");
        }
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
     * MQTT 5 Session Expiry Interval the agent asks for, seconds: 0, the session ends with the network connection and
     * every connect starts clean. What was not acknowledged lives in the {@link EventSpool}, not in a broker session,
     * so nothing is lost with the session; and no session of the device lingers on a dead cluster node for a
     * consumer or the cluster to see beside the new one (MQTT 5, 3.1.2.11.2).
     */
    public static final long SESSION_EXPIRY_S = 0;

    /**
     * The broker URLs of {@link #url()} in the configured order: one entry, or the comma-separated nodes of a cluster
     * (blanks around commas ignored). Never empty.
     */
    public java.util.List<String> urls() {
        return split(url);
    }

    private static java.util.List<String> split(String url) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String part : url.split(",", -1)) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("edgewatch.mqtt.url '" + redactAll(url) + "' has an empty entry; list broker URLs"
                        + " separated by single commas, e.g. tcp://node1:1883,tcp://node2:1883");
            }
            out.add(p);
        }
        return java.util.List.copyOf(out);
    }

    private static String redactAll(String url) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (String part : url.split(",", -1)) {
            parts.add(io.edgewatch.util.Redaction.url(part.strip()));
        }
        return String.join(",", parts);
    }

    private static boolean encrypted(String url) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("ssl://") || lower.startsWith("wss://");
    }

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
        if (encrypted(urls().getFirst()) || caFile.isPresent() || certFile.isPresent()) {
            options.setSocketFactory(TlsSupport.socketFactory(caFile, certFile, keyFile));
        }
    }

    /**
     * A warning when credentials would cross the network in clear text: a user name, password or password file with a
     * {@code tcp://} or {@code ws://} broker (user info in the URL is refused when the settings are built). Names the
     * keys; empty otherwise.
     */
    public Optional<String> clearTextCredentialsWarning() {
        if (encrypted(urls().getFirst())) { // every entry is of the same kind (checked when constructed)
            return Optional.empty();
        }
        java.util.List<String> keys = new java.util.ArrayList<>();
        username.ifPresent(u -> keys.add("edgewatch.mqtt.username"));
        password.ifPresent(p -> keys.add("edgewatch.mqtt.password"));
        passwordFile.ifPresent(p -> keys.add("edgewatch.mqtt.password-file"));
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("edgewatch.mqtt.url " + redactedUrl() + " is not encrypted: " + String.join(", ", keys)
                + (keys.size() > 1 ? " cross" : " crosses") + " the network in clear text; use ssl:// or wss:// (edgewatch.mqtt.ca-file for a private CA)");
    }

    /** The URL (or the comma-separated list) without credentials, for logs. */
    public String redactedUrl() {
        return redactAll(url);
    }

    /** scheme://[user@]host[:port]: group 1 is what follows the host's colon, if any. */
    private static final java.util.regex.Pattern PORT =
            java.util.regex.Pattern.compile("(?i)^\\s*[a-z]+://(?:[^@/]*@)?(?:\\[[^\\]]*]|[^:/?#]*)(?::([^/?#]*))?");

    /** The entry's port (-1 when it gives none: the scheme's default); {@code 0} or above 65535 are refused by the caller. */
    private static int port(String u, String shown) {
        java.util.regex.Matcher m = PORT.matcher(u);
        if (!m.find() || m.group(1) == null) {
            return -1;
        }
        String p = m.group(1);
        if (!p.matches("\\d{1,9}")) {
            throw new IllegalArgumentException("edgewatch.mqtt.url entry '" + shown + "' has port '" + p + "', not a number 1..65535");
        }
        return Integer.parseInt(p);
    }
}
