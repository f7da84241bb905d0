package io.edgewatch.health;

import io.edgewatch.config.CaptureConfig;
import io.edgewatch.config.DelegatesConfig;
import io.edgewatch.config.DoctorConfig;
import io.edgewatch.config.EdgewatchConfig;
import io.edgewatch.config.MappingConstraints;
import io.edgewatch.config.SpoolConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code doctor} refuses what {@code run} refuses: keys that pass their own ranges but contradict each other
 * ({@code Settings.checkPairs}) make its {@code config} check FAIL, naming every pair (a trial found {@code doctor}
 * saying PASSED for a configuration {@code run} refused).
 */
class DoctorConfigPairsTest {

    private static DoctorPlan plan(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(extra);
        props.put("edgewatch.cameras.front.source", "/dev/video0");
        SmallRyeConfig c = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(props, "test", 500))
                .withMapping(EdgewatchConfig.class).withMapping(SpoolConfig.class).withMapping(CaptureConfig.class)
                .withMapping(DoctorConfig.class).withMapping(DelegatesConfig.class).withValidator(new MappingConstraints()).build();
        return DoctorPlan.from(c.getConfigMapping(EdgewatchConfig.class), c.getConfigMapping(DoctorConfig.class),
                c.getConfigMapping(DelegatesConfig.class), c.getConfigMapping(CaptureConfig.class), c.getConfigMapping(SpoolConfig.class));
    }

    @Test
    void contradictingKeysFailTheConfigCheckNamingEveryPair() {
        CheckResult r = Doctor.checkConfig(plan(Map.of("edgewatch.detector.weak-score", "0.6",
                "edgewatch.capture.reconnect-min-ms", "40000")));
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.detail()).contains("edgewatch.detector.weak-score (0.6) must not be above edgewatch.detector.min-score (0.5)")
                .contains("edgewatch.capture.reconnect-min-ms (40000) must not be above edgewatch.capture.reconnect-max-ms (30000)");
    }

    @Test
    void keysThatHoldTogetherPass() {
        CheckResult r = Doctor.checkConfig(plan(Map.of("edgewatch.detector.weak-score", "0.5")));
        assertThat(r.status()).as(r.detail()).isEqualTo(CheckStatus.OK);
    }
}
