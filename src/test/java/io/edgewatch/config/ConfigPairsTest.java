package io.edgewatch.config;

import io.edgewatch.pipeline.Settings;
import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys that pass their own range but contradict each other stop start-up as a configuration error naming both (a
 * trial set each pair and the agent started without a word), and a dotted address that is no IPv4 address is refused
 * as {@code edgewatch.http.bind} when the configuration is read.
 */
class ConfigPairsTest {

    private static void check(Map<String, String> props) {
        SmallRyeConfig c = ConfigFuzzTest.build(props);
        Settings.checkPairs(c.getConfigMapping(EdgewatchConfig.class), c.getConfigMapping(SpoolConfig.class), c.getConfigMapping(CaptureConfig.class));
    }

    @ParameterizedTest(name = "{0}={1}, {2}={3}")
    @CsvSource(delimiter = '|', value = {
            "edgewatch.detector.weak-score|0.9|edgewatch.detector.min-score|0.5|edgewatch.detector.weak-score (0.9) must not be above edgewatch.detector.min-score (0.5)",
            "edgewatch.spool.reconnect-min-ms|5000|edgewatch.spool.reconnect-max-ms|100|edgewatch.spool.reconnect-min-ms (5000) must not be above edgewatch.spool.reconnect-max-ms (100)",
            "edgewatch.capture.reconnect-min-ms|60000|edgewatch.capture.reconnect-max-ms|30000|edgewatch.capture.reconnect-min-ms (60000) must not be above edgewatch.capture.reconnect-max-ms (30000)",
            "edgewatch.events.update-interval-ms|500|edgewatch.events.min-update-interval-ms|1000|edgewatch.events.update-interval-ms (500) is shorter than edgewatch.events.min-update-interval-ms (1000)",
    })
    void contradictingPairsNameBothKeys(String k1, String v1, String k2, String v2, String message) {
        assertThatThrownBy(() -> check(Map.of(k1, v1, k2, v2))).isInstanceOf(ConfigurationError.class).hasMessageStartingWith(message);
    }

    @Test
    void everyContradictingPairIsReportedAtOnce() {
        assertThatThrownBy(() -> check(Map.of("edgewatch.detector.weak-score", "0.6", "edgewatch.capture.reconnect-min-ms", "40000",
                "edgewatch.events.update-interval-ms", "500")))
                .isInstanceOf(ConfigurationError.class)
                .satisfies(e -> assertThat(e.getMessage().split("\n")).hasSize(3)
                        .anySatisfy(l -> assertThat(l).startsWith("edgewatch.detector.weak-score (0.6)"))
                        .anySatisfy(l -> assertThat(l).startsWith("edgewatch.capture.reconnect-min-ms (40000)"))
                        .anySatisfy(l -> assertThat(l).startsWith("edgewatch.events.update-interval-ms (500)")));
    }

    @Test
    void theDefaultsAndEdgeCasesHoldTogether() {
        assertThatCode(() -> check(Map.of())).doesNotThrowAnyException();
        // equal values, and periodic updates off (0) whatever the minimum
        assertThatCode(() -> check(Map.of("edgewatch.detector.weak-score", "0.5", "edgewatch.spool.reconnect-min-ms", "100",
                "edgewatch.spool.reconnect-max-ms", "100", "edgewatch.events.update-interval-ms", "0"))).doesNotThrowAnyException();
    }

    @Test
    void httpBindTakesIpv4Ipv6AndHostNamesButNoImpossibleAddress() {
        for (String ok : new String[]{"0.0.0.0", "127.0.0.1", "192.168.1.254", "::1", "::", "fe80::1%eth0", "localhost", "edge-box.local"}) {
            assertThat(ConfigFuzzTest.build(Map.of("edgewatch.http.bind", ok)).getConfigMapping(HttpConfig.class).bind()).as(ok).isEqualTo(ok);
        }
        for (String bad : new String[]{"999.1.1.1", "1.2.3", "256.0.0.1", "1.2.3.4.5", "a b"}) {
            assertThatThrownBy(() -> ConfigFuzzTest.build(Map.of("edgewatch.http.bind", bad))).as(bad)
                    .satisfies(e -> assertThat(e.getMessage() + " " + (e.getCause() == null ? "" : e.getCause().getMessage()))
                            .contains("http.bind").contains("must be an IP address or a host name").contains("was '" + bad + "'"));
        }
    }
}
