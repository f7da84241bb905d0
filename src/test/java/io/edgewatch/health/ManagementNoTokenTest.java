package io.edgewatch.health;

import io.edgewatch.testsupport.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No {@code edgewatch.http.token-file}: a warning at start-up, every caller gets only the overall status, and no
 * token whatever opens details or metrics. The log is read from a file handler, which redacts like the console.
 */
@QuarkusTest
@TestProfile(ManagementNoTokenTest.NoToken.class)
class ManagementNoTokenTest {
    static final Path LOG = Path.of("target", "management-no-token.log").toAbsolutePath();

    /** The test token removed; a log file. */
    public static class NoToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.deleteIfExists(LOG);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Map.of("edgewatch.http.token-file", "",
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG.toString());
        }
    }

    @Test
    void onlyStatusForEveryCallerAndAWarning() throws Exception {
        assertThat(Management.anonymous().get("/q/health/live").asString()).isEqualTo("{\"status\":\"UP\"}");
        Response ready = Management.anonymous().get("/q/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503); // the agent is not started: broker DOWN
        assertThat(ready.asString()).isEqualTo("{\"status\":\"DOWN\"}");
        for (String path : List.of("/q/health/ready", "/q/health/live", "/q/metrics")) {
            for (String token : List.of(Management.token(), "", "anything-at-all-0123456789")) {
                Response r = Management.anonymous().header("Authorization", "Bearer " + token).get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(401);
                assertThat(r.asString()).contains("no access token is configured on this device (edgewatch.http.token-file)");
            }
        }
        assertThat(Management.anonymous().get("/q/metrics").statusCode()).isEqualTo(401);
        // the file handler redacts like the console (filter redact-secrets on every handler)
        org.jboss.logging.Logger.getLogger("io.edgewatch.test").warnf("cannot open %s", "rtsp://admin:hunter2-pw@10.0.0.1/s");
        String log = Files.readString(LOG);
        assertThat(log).contains("WARN", "edgewatch.http.token-file is not set: health answers only UP/DOWN"
                + " and metrics are refused to every caller");
        assertThat(log).contains("cannot open rtsp://***@10.0.0.1/s").doesNotContain("hunter2");
    }
}
