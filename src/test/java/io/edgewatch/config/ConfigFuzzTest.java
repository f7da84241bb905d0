package io.edgewatch.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Configuration fuzz: wrong types, unknown keys and out-of-range values of the mappings the agent starts with
 * (EdgewatchConfig, SpoolConfig, CaptureConfig), built with SmallRye Config and the agent's MappingConstraints as Quarkus does
 * at start-up. Every bad value must give an error that names the key; good values must pass.
 */
class ConfigFuzzTest {
    static SmallRyeConfig build(Map<String, String> props) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(props, "fuzz", 500))
                .withMapping(EdgewatchConfig.class)
                .withMapping(SpoolConfig.class)
                .withMapping(CaptureConfig.class)
                .withMapping(FacesConfig.class)
                .withMapping(HomeAssistantConfig.class)
                .withMapping(HttpConfig.class)
                .withValidateUnknown(true)
                .withValidator(new MappingConstraints())
                .build();
    }

    @Test
    void defaultsAndGoodValuesPass() {
        SmallRyeConfig c = build(Map.of("edgewatch.spool.max-bytes", "1048576", "edgewatch.spool.dir", "/var/lib/edgewatch",
                "edgewatch.capture.stall-timeout-ms", "5000", "edgewatch.cameras.front.source", "rtsp://192.0.2.10/s"));
        assertThat(c.getConfigMapping(SpoolConfig.class).maxBytes()).isEqualTo(1_048_576);
        assertThat(c.getConfigMapping(SpoolConfig.class).inflightWindow()).isEqualTo(16);
        assertThat(c.getConfigMapping(CaptureConfig.class).stallTimeoutMs()).isEqualTo(5_000);
        assertThat(c.getConfigMapping(EdgewatchConfig.class).cameras().get("front").rtspTransport()).isEqualTo("tcp");
        assertThat(c.getConfigMapping(HomeAssistantConfig.class).enabled()).isFalse();
        assertThat(c.getConfigMapping(HomeAssistantConfig.class).discoveryPrefix()).isEqualTo("homeassistant");
        assertThat(c.getConfigMapping(HomeAssistantConfig.class).publishIdentities()).isFalse();
        assertThat(build(Map.of("edgewatch.homeassistant.discovery-prefix", "site-3/ha")).getConfigMapping(HomeAssistantConfig.class)
                .discoveryPrefix()).isEqualTo("site-3/ha");
    }

    @Test
    void discoveryPrefixWithAWildcardSaysWhy() {
        assertThatThrownBy(() -> build(Map.of("edgewatch.homeassistant.discovery-prefix", "home/+")))
                .satisfies(e -> assertThat(e.getMessage() + " " + (e.getCause() == null ? "" : e.getCause().getMessage()))
                        .contains("homeassistant.discovery-prefix")
                        .contains("without the wildcards '+' and '#' and without an empty level"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            // wrong types
            "edgewatch.spool.max-bytes|lots",
            "edgewatch.spool.fsync|maybe",
            "edgewatch.spool.inflight-window|1.5",
            "edgewatch.capture.stall-timeout-ms|fast",
            "edgewatch.detector.threads|two",
            "edgewatch.mqtt.qos|one",
            "edgewatch.cameras.front.enabled|ture",
            "edgewatch.faces.enabled|yes",
            "edgewatch.faces.publish-embeddings|1",
            // out of range
            "edgewatch.spool.max-bytes|-5",
            "edgewatch.spool.max-age-s|0",
            "edgewatch.spool.inflight-window|0",
            "edgewatch.spool.inflight-window|70000",
            "edgewatch.spool.reconnect-min-ms|1",
            "edgewatch.capture.stall-timeout-ms|10",
            "edgewatch.capture.reconnect-max-ms|99999999999",
            "edgewatch.capture.decoder-threads|-1",
            "edgewatch.capture.decoder-threads|17",
            "edgewatch.mqtt.qos|3",
            "edgewatch.detector.min-score|1.5",
            "edgewatch.detector.interpreters|0",
            "edgewatch.detector.interpreters|17",
            "edgewatch.detector.interpreters|-1",
            "edgewatch.detector.threads|0",
            "edgewatch.detector.threads|65",
            "edgewatch.cameras.front.expected-fps|0",
            "edgewatch.cameras.front.rtsp-transport|http",
            "edgewatch.cameras.front.zones.door.polygon|0.1,0.1,0.5,0.5",
            "edgewatch.cameras.front.zones.door.polygon|0.1,0.1,0.5,0.5,0.9",
            "edgewatch.cameras.front.zones.door.polygon|0.1,0.1,0.5,0.5,1.2,0.9",
            "edgewatch.cameras.front.zones.door.polygon|left,top,right",
            "edgewatch.cameras.front.zones.door.polygon|0.1,0.1,0.5,0.5,0.9,0.9",
            "edgewatch.cameras.front.lines.entrance.points|0.1,0.5,0.1,0.5",
            "edgewatch.cameras.front.lines.entrance.points|0.1,0.5,0.9,0.5,0.9,0.9",
            "edgewatch.cameras.front.zone-anchor|feet",
            "edgewatch.cameras.front.zone-inertia-frames|0",
            "edgewatch.cameras.front.zones.door.polgon|0.1,0.1,0.5,0.5,0.9,0.9",
            // dwell alert of a zone (issue 12 item 2; out-of-range values with a polygon in aBadDwellAlertNamesKeyAndValue)
            "edgewatch.cameras.front.zones.door.dwell-alert-s|long",
            "edgewatch.cameras.front.zones.door.dwell-alert|30",
            // detection rate, motion, masks, regions, stationary (issue 9)
            "edgewatch.cameras.front.detect-fps|-1",
            "edgewatch.cameras.front.detect-fps|121",
            "edgewatch.cameras.front.detect-fps|NaN",
            "edgewatch.cameras.front.detect-fps|fast",
            "edgewatch.cameras.front.motion.enabled|yes",
            "edgewatch.cameras.front.motion.threshold|0",
            "edgewatch.cameras.front.motion.threshold|255",
            "edgewatch.cameras.front.motion.contour-area|-1",
            "edgewatch.cameras.front.motion.frame-alpha|0",
            "edgewatch.cameras.front.motion.lightning-threshold|1.5",
            "edgewatch.cameras.front.motion.masks.clock.polygon|0.1,0.1,0.5,0.5",
            "edgewatch.cameras.front.motion.masks.clock.polygon|0.1,0.1,0.5,0.1,1.5,0.4",
            "edgewatch.cameras.front.motion.masks.clock.polygon|0.1,0.1,0.5,0.5,0.9,0.9",
            "edgewatch.cameras.front.motion.masks.clock.polgon|0.1,0.1,0.5,0.1,0.5,0.4",
            "edgewatch.cameras.front.regions.max-regions|0",
            "edgewatch.cameras.front.regions.max-regions|33",
            "edgewatch.cameras.front.regions.max-downscale|0.5",
            "edgewatch.cameras.front.regions.padding|3",
            "edgewatch.cameras.front.regions.full-frame-interval-s|0",
            "edgewatch.cameras.front.stationary-after-s|-1",
            "edgewatch.cameras.front.stationary-interval-s|0",
            // Home Assistant (issue 12): wildcards or an empty level in the discovery prefix
            "edgewatch.homeassistant.discovery-prefix|home/+/assistant",
            "edgewatch.homeassistant.discovery-prefix|homeassistant/#",
            "edgewatch.homeassistant.discovery-prefix|home//assistant",
            "edgewatch.homeassistant.discovery-prefix|/homeassistant",
            "edgewatch.homeassistant.discovery-prefix|homeassistant/",
            "edgewatch.homeassistant.enabled|on",
            "edgewatch.homeassistant.publish-identities|yes",
            // unknown keys
            "edgewatch.homeassistant.prefix|ha",
            "edgewatch.spool.max-size|10",
            "edgewatch.capture.stall-timout-ms|100",
            "edgewatch.mqtt.pasword|x",
    })
    void badValueNamesTheKey(String key, String value) {
        Map<String, String> props = new HashMap<>();
        props.put("edgewatch.cameras.front.source", "rtsp://192.0.2.10/s");
        props.put(key, value);
        assertThatThrownBy(() -> build(props))
                .as("%s=%s", key, value)
                .satisfies(e -> assertThat(e.getMessage() + " " + (e.getCause() == null ? "" : e.getCause().getMessage()))
                        .contains(key.substring("edgewatch.".length())));
    }

    /** Issue 9, "Bad input": each motion, mask, region and rate key says why it is refused, not only which key. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "regions.max-downscale|0.5|must be greater than or equal to 1, was 0.5",
            "motion.threshold|0|must be greater than or equal to 1, was 0",
            "motion.lightning-threshold|1.5|must be less than or equal to 1, was 1.5",
            "detect-fps|-1|must be 0 (every frame) .. 120, was -1.0",
            "detect-fps|500|must be 0 (every frame) .. 120, was 500.0",
            "stationary-interval-s|0|must be greater than or equal to 0.1, was 0",
            "motion.masks.clock.polygon|0.1,0.1, 0.5,0.5|a motion mask polygon needs 3 to 64 points (x,y pairs), got 2",
            "motion.masks.clock.polygon|0.1,0.1, 0.5,0.1, 1.5,0.4|a motion mask polygon: coordinate 1.5 is outside 0..1",
            // Bean Validation names the map entry (the mask), not its polygon key
            "motion.masks.wall clock.polygon|0.1,0.1, 0.5,0.1, 0.5,0.4|mask names must be 1..64 letters, digits, '-' or '_', was 'wall clock'",
    })
    void detectionKeysSayWhy(String key, String value, String why) {
        String full = "edgewatch.cameras.front." + key;
        assertThatThrownBy(() -> build(Map.of("edgewatch.cameras.front.source", "/dev/video0", full, value)))
                .as("%s=%s", full, value)
                .satisfies(e -> assertThat(e.getMessage() + " " + (e.getCause() == null ? "" : e.getCause().getMessage()))
                        .contains(full.replace(".polygon", "").substring("edgewatch.".length())).contains(why));
    }

    /** A camera id is a topic level: a bad one stops start-up as a configuration error naming the key and the id. */
    @Test
    void aBadCameraIdNamesTheKey() {
        assertThatThrownBy(() -> build(Map.of("edgewatch.cameras.door$1.source", "/dev/video0")))
                .satisfies(e -> assertThat(e.getMessage() + " " + (e.getCause() == null ? "" : e.getCause().getMessage()))
                        .contains("cameras.door$1").contains("camera ids must be 1..64 letters, digits, '-' or '_' (a topic level), was 'door$1'"));
    }

    @Test
    void zonesAndLinesAreReadAndBadOnesSaySo() {
        SmallRyeConfig c = build(Map.of("edgewatch.cameras.front.source", "rtsp://192.0.2.10/s",
                "edgewatch.cameras.front.zones.door.polygon", "0.1,0.2, 0.5,0.2, 0.5,0.9",
                "edgewatch.cameras.front.lines.entrance.points", "0,0.6,1,0.6",
                "edgewatch.cameras.front.zone-anchor", "center"));
        EdgewatchConfig.Camera cam = c.getConfigMapping(EdgewatchConfig.class).cameras().get("front");
        assertThat(cam.zones().get("door").polygon().xy()).containsExactly(0.1, 0.2, 0.5, 0.2, 0.5, 0.9);
        assertThat(cam.lines().get("entrance").points().xy()).containsExactly(0.0, 0.6, 1.0, 0.6);
        assertThat(cam.zoneAnchor()).isEqualTo("center");
        assertThat(cam.zoneInertiaFrames()).isEqualTo(3);
        // names are topic-safe words, checked when the configuration is read (exit code 1 like every config error)
        assertThatThrownBy(() -> build(Map.of("edgewatch.cameras.front.source", "/dev/video0",
                "edgewatch.cameras.front.zones.left+side.polygon", "0,0,0.5,0,0.5,1")))
                .hasMessageContaining("edgewatch.cameras.front.zones.left+side zone names must be 1..64 letters, digits, '-' or '_'");
        assertThatThrownBy(() -> build(Map.of("edgewatch.cameras.front.source", "/dev/video0",
                "edgewatch.cameras.front.lines.door:1.points", "0,0.5,1,0.5")))
                .hasMessageContaining("edgewatch.cameras.front.lines.door:1 line names must be");
        // three points on one straight line enclose nothing
        assertThatThrownBy(() -> build(Map.of("edgewatch.cameras.front.source", "/dev/video0",
                "edgewatch.cameras.front.zones.flat.polygon", "0.1,0.1, 0.5,0.5, 0.9,0.9")))
                .satisfies(e -> assertThat(e.getMessage() + " " + e.getCause()).contains("zones.flat.polygon")
                        .contains("encloses no area"));
        // a bow-tie (points not in order around the area), even and lopsided: its edges cross
        for (String bowTie : new String[]{"0.1,0.1, 0.9,0.9, 0.9,0.1, 0.1,0.9", "0.1,0.1, 0.9,0.9, 0.9,0.1, 0.2,0.8"}) {
            assertThatThrownBy(() -> build(Map.of("edgewatch.cameras.front.source", "/dev/video0",
                    "edgewatch.cameras.front.zones.tie.polygon", bowTie)))
                    .as(bowTie).satisfies(e -> assertThat(e.getMessage() + " " + e.getCause()).contains("zones.tie.polygon")
                            .contains("has edges that cross (edge 1 and edge 3 of 4, like a bow-tie)"));
        }
        // the same four points in order around the square, and a concave polygon, are fine
        build(Map.of("edgewatch.cameras.front.source", "/dev/video0", "edgewatch.cameras.front.zones.sq.polygon", "0.1,0.1, 0.9,0.1, 0.9,0.9, 0.1,0.9",
                "edgewatch.cameras.front.zones.l.polygon", "0.1,0.1, 0.5,0.1, 0.5,0.5, 0.9,0.5, 0.9,0.9, 0.1,0.9"));
        // the reason, not only the key
        assertThatThrownBy(() -> build(Map.of("edgewatch.cameras.front.source", "/dev/video0",
                "edgewatch.cameras.front.zones.door.polygon", "0.1,0.1,0.5,0.5")))
                .satisfies(e -> assertThat(e.getMessage() + " " + e.getCause()).contains("zones.door.polygon")
                        .contains("a zone polygon needs 3 to 64 points (x,y pairs), got 2"));
        assertThatThrownBy(() -> build(Map.of("edgewatch.cameras.front.source", "/dev/video0",
                "edgewatch.cameras.front.lines.entrance.points", "0.1,0.5,1.5,0.5")))
                .satisfies(e -> assertThat(e.getMessage() + " " + e.getCause()).contains("lines.entrance.points")
                        .contains("coordinate 1.5 is outside 0..1"));
    }

    /** Issue 12 item 2, "Bad input": a dwell alert <= 0 or not a number stops start-up naming the key and the value. */
    @ParameterizedTest(name = "dwell-alert-s={0}")
    @CsvSource(delimiter = '|', value = {
            "0|must be greater than 0, was 0.0",
            "-2.5|must be greater than 0, was -2.5",
            "90000|must be less than or equal to 86400, was 90000.0",
            "NaN|was NaN",
            "1e309|must be less than or equal to 86400, was Infinity",
            "ten|ten",
    })
    void aBadDwellAlertNamesKeyAndValue(String value, String why) {
        Map<String, String> props = new HashMap<>();
        props.put("edgewatch.cameras.front.source", "/dev/video0");
        props.put("edgewatch.cameras.front.zones.door.polygon", "0.1,0.1, 0.5,0.1, 0.5,0.9");
        props.put("edgewatch.cameras.front.zones.door.dwell-alert-s", value);
        assertThatThrownBy(() -> build(props))
                .satisfies(e -> assertThat(e.getMessage() + " " + (e.getCause() == null ? "" : e.getCause().getMessage()))
                        .contains("edgewatch.cameras.front.zones.door.dwell-alert-s").contains(why));
    }

    @Test
    void aDwellAlertIsOptionalAndReadInSeconds() {
        SmallRyeConfig c = build(Map.of("edgewatch.cameras.front.source", "/dev/video0",
                "edgewatch.cameras.front.zones.door.polygon", "0.1,0.1, 0.5,0.1, 0.5,0.9",
                "edgewatch.cameras.front.zones.door.dwell-alert-s", "2.5",
                "edgewatch.cameras.front.zones.yard.polygon", "0.5,0.1, 0.9,0.1, 0.9,0.9"));
        EdgewatchConfig.Camera cam = c.getConfigMapping(EdgewatchConfig.class).cameras().get("front");
        assertThat(cam.zones().get("door").dwellAlertS()).contains(2.5);
        assertThat(cam.zones().get("yard").dwellAlertS()).isEmpty();
        // without a polygon a dwell alert is no zone: the missing polygon is named
        assertThatThrownBy(() -> build(Map.of("edgewatch.cameras.front.source", "/dev/video0",
                "edgewatch.cameras.front.zones.porch.dwell-alert-s", "10")))
                .satisfies(e -> assertThat(e.getMessage() + " " + e.getCause()).contains("zones.porch.polygon"));
    }

    @Test
    void randomValuesNeverCrash() {
        String[] keys = {"edgewatch.spool.max-bytes", "edgewatch.spool.max-age-s", "edgewatch.spool.fsync", "edgewatch.spool.inflight-window",
                "edgewatch.spool.reconnect-min-ms", "edgewatch.capture.stall-timeout-ms", "edgewatch.capture.reconnect-min-ms",
                "edgewatch.mqtt.keep-alive-s", "edgewatch.tracker.min-hits", "edgewatch.cameras.front.detect-fps",
                "edgewatch.cameras.front.motion.threshold", "edgewatch.cameras.front.regions.max-downscale",
                "edgewatch.cameras.front.motion.masks.m.polygon"};
        String[] values = {"", " ", "0", "-1", "1e309", "NaN", "9223372036854775808", "0x10", "true", "\u0000", "ü", "1,2", "${nope}"};
        java.util.Random r = new java.util.Random(42);
        int errors = 0;
        for (int i = 0; i < 200; i++) {
            Map<String, String> props = new HashMap<>();
            props.put("edgewatch.cameras.front.source", "/dev/video0");
            String key = keys[r.nextInt(keys.length)];
            props.put(key, values[r.nextInt(values.length)]);
            try {
                build(props);
            } catch (RuntimeException e) {
                errors++;
                assertThat(e.getMessage()).as("message for %s", props).isNotBlank();
            }
        }
        assertThat(errors).isGreaterThan(100);
    }
}
