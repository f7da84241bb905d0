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
        assertThat(settings("TCP://u:secret-pw@broker:1883", Optional.empty(), Optional.empty(), Optional.empty()).clearTextCredentialsWarning())
                .get().asString().contains("***@broker:1883").contains("the user info of edgewatch.mqtt.url")
                .doesNotContain("secret-pw");
    }

    @Test
    void noWarningForTlsOrAnonymous() {
        assertThat(settings("ssl://broker:8883", Optional.of("gate-01"), Optional.of("pw-123456"), Optional.empty()).clearTextCredentialsWarning()).isEmpty();
        assertThat(settings("wss://broker/mqtt", Optional.of("gate-01"), Optional.empty(), Optional.of(Path.of("/run/pw"))).clearTextCredentialsWarning()).isEmpty();
        assertThat(settings("tcp://broker:1883", Optional.empty(), Optional.empty(), Optional.empty()).clearTextCredentialsWarning()).isEmpty();
    }
}
