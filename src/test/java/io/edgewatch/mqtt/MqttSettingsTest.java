package io.edgewatch.mqtt;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Credentials over an unencrypted broker URL are named in a warning; TLS URLs and anonymous clients get none. */
class MqttSettingsTest {

    private static MqttSettings settings(String url, Optional<String> user, Optional<String> password, Optional<Path> file) {
        return new MqttSettings(url, "c", user, password, file, Optional.empty(), Optional.empty(), Optional.empty(), 1, 30, "t/availability");
    }

    @Test
    void clearTextCredentialsAreNamed() {
        assertThat(settings("tcp://broker:1883", Optional.of("gate-01"), Optional.of("pw-123456"), Optional.empty()).clearTextCredentialsWarning())
                .hasValue("edgewatch.mqtt.url tcp://broker:1883 is not encrypted: edgewatch.mqtt.username, edgewatch.mqtt.password cross"
                        + " the network in clear text; use ssl:// or wss:// (edgewatch.mqtt.ca-file for a private CA)");
        assertThat(settings("ws://broker:9001/mqtt", Optional.empty(), Optional.empty(), Optional.of(Path.of("/run/pw"))).clearTextCredentialsWarning())
                .get().asString().startsWith("edgewatch.mqtt.url ws://broker:9001/mqtt is not encrypted: edgewatch.mqtt.password-file crosses");
    }

    /** TLS files with a plain URL are refused (they would be ignored, or turn tcp:// into TLS); a missing one is named by its key. */
    @Test
    void tlsFilesNeedAnEncryptedUrlAndAMissingOneNamesItsKey() {
        Optional<Path> missing = Optional.of(Path.of("/nonexistent/ca.pem"));
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new MqttSettings("tcp://127.0.0.1:1883", "c", Optional.empty(),
                Optional.empty(), Optional.empty(), missing, Optional.empty(), Optional.empty(), 1, 30, "t/availability")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("edgewatch.mqtt.ca-file, cert-file or key-file is set, but edgewatch.mqtt.url 'tcp://127.0.0.1:1883' is not"
                        + " encrypted (tcp://, ws://): use ssl:// or wss:// for TLS, or remove the TLS files");
        MqttSettings tls = new MqttSettings("ssl://127.0.0.1:8883", "c", Optional.empty(), Optional.empty(), Optional.empty(), missing,
                Optional.empty(), Optional.empty(), 1, 30, "t/availability");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> tls.applyCredentials(new org.eclipse.paho.mqttv5.client.MqttConnectionOptions())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edgewatch.mqtt.ca-file: /nonexistent/ca.pem does not exist");
        MqttSettings key = new MqttSettings("ssl://127.0.0.1:8883", "c", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(Path.of("/nonexistent/client.pem")), Optional.of(Path.of("/nonexistent/client.key")), 1, 30, "t/availability");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> key.applyCredentials(new org.eclipse.paho.mqttv5.client.MqttConnectionOptions())))
                .hasMessageContaining("edgewatch.mqtt.cert-file: /nonexistent/client.pem does not exist");
    }

    /** Paho never sends user info of a URL: a trial's broker refused the agent while the URL held valid credentials. */
    @Test
    void userInfoInTheUrlIsRefusedNamingTheKeysToUse() {
        for (String url : new String[]{"TCP://u:secret-pw@broker:1883", "ssl://u:secret-pw@broker:8883", "tcp://n1:1883,tcp://u:secret-pw@n2:1883"}) {
            assertThat(refusal(url)).as(url).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("***@").hasMessageContaining("carries a user name or password, which the MQTT client does not send:"
                            + " set edgewatch.mqtt.username and edgewatch.mqtt.password-file (or password) instead")
                    .hasMessageNotContaining("secret-pw");
        }
    }

    @Test
    void aListIsValidatedEntryByEntryWithoutCredentialsInTheMessage() {
        MqttSettings ok = settings(" ssl://n1:8883 , ssl://n2:8883", Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(ok.urls()).containsExactly("ssl://n1:8883", "ssl://n2:8883");
        assertThat(ok.redactedUrl()).isEqualTo("ssl://n1:8883,ssl://n2:8883");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> settings("tcp://n1:1883,mqtt://u:topsecret@n2:1883",
                Optional.empty(), Optional.empty(), Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("edgewatch.mqtt.url entry 'mqtt://***@n2:1883' must start with tcp://, ssl://, ws:// or wss://")
                .hasMessageNotContaining("topsecret");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> settings("ssl://n1:8883,tcp://n2:1883",
                Optional.empty(), Optional.empty(), Optional.empty())))
                .hasMessageStartingWith("edgewatch.mqtt.url entry 'tcp://n2:1883' mixes encrypted (ssl://, wss://) and plain");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> settings("tcp://n1:1883,,tcp://n2:1883",
                Optional.empty(), Optional.empty(), Optional.empty())))
                .hasMessageContaining("has an empty entry");
    }

    @Test
    void aPortOutsideTheRangeIsRefusedAtStartNamingTheEntry() {
        assertThat(refusal("tcp://127.0.0.1:99999")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("edgewatch.mqtt.url entry 'tcp://127.0.0.1:99999' has port 99999, outside 1..65535");
        assertThat(refusal("ssl://n1:8883,ssl://n2:0")).hasMessage("edgewatch.mqtt.url entry 'ssl://n2:0' has port 0, outside 1..65535");
        assertThat(refusal("tcp://n1:mqtt")).hasMessage("edgewatch.mqtt.url entry 'tcp://n1:mqtt' has port 'mqtt', not a number 1..65535");
        // no port (the scheme's default), IPv6 literals, a WebSocket path and Docker-style host names are fine
        assertThat(settings("tcp://broker", Optional.empty(), Optional.empty(), Optional.empty()).urls()).containsExactly("tcp://broker");
        settings("tcp://[::1]:1883,tcp://mqtt_broker:1883", Optional.empty(), Optional.empty(), Optional.empty());
        settings("wss://b.example:443/mqtt", Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** What building settings for {@code url} (no credentials) throws, or null. */
    private static Throwable refusal(String url) {
        return org.assertj.core.api.Assertions.catchThrowable(() -> settings(url, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void noWarningForTlsOrAnonymous() {
        assertThat(settings("ssl://broker:8883", Optional.of("gate-01"), Optional.of("pw-123456"), Optional.empty()).clearTextCredentialsWarning()).isEmpty();
        assertThat(settings("wss://broker/mqtt", Optional.of("gate-01"), Optional.empty(), Optional.of(Path.of("/run/pw"))).clearTextCredentialsWarning()).isEmpty();
        assertThat(settings("tcp://broker:1883", Optional.empty(), Optional.empty(), Optional.empty()).clearTextCredentialsWarning()).isEmpty();
    }
}
