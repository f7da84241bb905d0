package io.edgewatch.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The summary of health documents shaped as the agent's (numbers as strings or longs, dotted keys): a failed camera
 * whose error still holds a camera password is shown redacted and cut; faces on shows counts, never a name.
 */
class StatusSummaryTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aLongErrorKeepsFfmpegsReasonAtItsEnd() {
        String err = "camera door: cannot read rtsp://***@10.0.0.9:554/stream1: avformat_open_input() error -1094995529 (Invalid data found"
                + " when processing input): Could not open input \"rtsp://***@10.0.0.9:554/stream1\". (FFmpeg: rtsp: method DESCRIBE failed: 401 Unauthorized)";
        String s = StatusSummary.shorten(err);
        assertThat(s).hasSize(StatusSummary.MAX_ERROR_CHARS).startsWith("camera door: cannot read rtsp://***@10.0.0.9:554/stream1: ")
                .contains(" ... (FFmpeg: ").endsWith("401 Unauthorized)");
        assertThat(StatusSummary.shorten("short")).isEqualTo("short");
    }

    @Test
    void failedCameraFacesOnAndSpool() throws Exception {
        String longTail = "x".repeat(400);
        var ready = mapper.readTree("""
                {"status":"DOWN","checks":[
                 {"name":"camera-gate","status":"DOWN","data":{"state":"reconnecting","fpsReceived":"0.00","fpsProcessed":"0.00",
                  "fpsExpected":"15.00","quality":"unusable","reconnects":12,"reconnectsLastHour":11,"stalls":3,"stallsLastHour":1,
                  "activeTracks":0,"lastError":"open rtsp://admin:hunter2secret@10.0.0.7/stream failed %s"}},
                 {"name":"faces","status":"UP","data":{"enabled":true,"purpose":"staff access","legalBasis":"GDPR Art. 9(2)(b)",
                  "galleryIdentities":3,"galleryTemplates":7}},
                 {"name":"broker","status":"DOWN","data":{"sink":"ssl://broker:8883","connected":false,"spoolDepth":42,"oldestPendingAgeMs":93000,
                  "lastConnectError":"SSLHandshakeException: No name matching broker found (MQTT client: Untranslated MqttException - RC: 0)"}}
                ]}""".formatted(longTail));
        var live = mapper.readTree("""
                {"status":"UP","checks":[{"name":"agent","status":"UP","data":{"device":"gate-01","version":"1.2.3","uptimeS":93784,"running":true}}]}""");
        StatusSummary s = StatusSummary.from(ready, live);
        assertThat(s.up()).isFalse();
        assertThat(s.uptimeS()).isEqualTo(93784);
        StatusSummary.Camera c = s.cameras().getFirst();
        assertThat(c.id()).isEqualTo("gate");
        assertThat(c.fpsExpected()).isEqualTo(15.0);
        assertThat(c.reconnectsLastHour()).isEqualTo(11);
        assertThat(c.lastError()).doesNotContain("hunter2secret").contains("10.0.0.7").hasSize(StatusSummary.MAX_ERROR_CHARS).endsWith("...");
        assertThat(c.zoneObjects()).isEmpty();
        assertThat(s.broker().spoolDepth()).isEqualTo(42);
        assertThat(s.faces()).isEqualTo(new StatusSummary.Faces(true, "staff access", "GDPR Art. 9(2)(b)", 3, 7));
        String text = s.toText();
        assertThat(text).startsWith("edgewatch DOWN  device gate-01  version 1.2.3  uptime 1d 02:03:04\n")
                .containsPattern("(?m)^gate +DOWN +reconnecting +0\\.00/0\\.00/15\\.00 +unusable +12\\(11\\) +3\\(1\\) +0 +open rtsp://")
                .contains("broker: DOWN  ssl://broker:8883  NOT connected  spool 42 pending, oldest 93 s\n"
                        + "  last connect attempt: SSLHandshakeException: No name matching broker found (MQTT client: Untranslated MqttException - RC: 0)\n")
                .contains("faces: on  purpose staff access  legal basis GDPR Art. 9(2)(b)  gallery 3 people, 7 templates\n")
                .doesNotContain("hunter2secret");
    }

    @Test
    void notAHealthDocument() throws Exception {
        assertThatThrownBy(() -> StatusSummary.from(mapper.readTree("{\"checks\":[]}"), null)).isInstanceOf(IllegalArgumentException.class);
        StatusSummary s = StatusSummary.from(mapper.readTree("{\"status\":\"UP\"}"), null);
        assertThat(s.device()).isNull();
        assertThat(s.uptimeS()).isEqualTo(-1);
        assertThat(s.toText()).startsWith("edgewatch UP  device -  version -  uptime -\n").contains("broker: -\n").contains("faces: -\n");
    }
}
