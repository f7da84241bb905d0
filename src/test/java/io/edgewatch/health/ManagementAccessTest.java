package io.edgewatch.health;

import io.edgewatch.pipeline.Agent;
import io.edgewatch.pipeline.RunRequest;
import io.edgewatch.testsupport.Management;
import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * "Details when authorized" over real HTTP against the running application: without the access token the
 * management interface returns only the overall status and names no camera, zone, line or error; with it, health
 * and metrics carry all of them. {@code /transparency} stays public on the main port, which serves no health.
 */
@QuarkusTest
@TestProfile(ManagementAccessTest.CamerasAndZones.class)
class ManagementAccessTest {
    private static final List<String> PRIVATE = List.of("front-door", "till", "till-area", "entry-line", "nonexistent", "camera",
            "zone", "does not exist", "edgewatch_");

    /** One camera that fails (an error text), one with a zone and a counting line. */
    public static class CamerasAndZones implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgewatch.cameras.front-door.source", "/nonexistent/front-door.avi",
                    "edgewatch.cameras.till.source", TestPaths.vtest().toString(),
                    "edgewatch.cameras.till.zones.till-area.polygon", "0,0, 0.5,0, 0.5,1, 0,1",
                    "edgewatch.cameras.till.lines.entry-line.points", "0,0.5,1,0.5",
                    "edgewatch.device-id", "access-test",
                    "edgewatch.spool.dir", tempDir());
        }
    }

    static String tempDir() {
        try {
            return Files.createTempDirectory("access-spool").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Inject
    Agent agent;

    @Test
    void detailsOnlyWithTheToken() throws Exception {
        agent.start(new RunRequest(Optional.empty(), "unused", Optional.empty(), 60));
        assertThat(agent.awaitFinished(120_000)).isTrue();

        // anonymous: overall status only, with the HTTP code a HEALTHCHECK or load balancer reads
        Response ready = Management.anonymous().get("/q/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503); // the front-door camera failed
        assertThat(ready.asString()).isEqualTo("{\"status\":\"DOWN\"}");
        Response live = Management.anonymous().get("/q/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.asString()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(Management.anonymous().get("/q/health").asString()).isEqualTo("{\"status\":\"DOWN\"}");
        assertThat(Management.anonymous().get("/q/health/started").asString()).isEqualTo("{\"status\":\"UP\"}");
        Response metrics = Management.anonymous().get("/q/metrics");
        assertThat(metrics.statusCode()).isEqualTo(401);
        assertThat(metrics.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"edgewatch\"");
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/health/started", "/q/health/well",
                "/q/health/group", "/q/metrics", "/q/metrics/", "/q/health/ready/")) {
            for (Response r : List.of(Management.anonymous().get(path),
                    Management.anonymous().header("Authorization", "Bearer " + Management.token() + "x").get(path),
                    Management.anonymous().header("Authorization", "Basic " + Management.token()).get(path))) {
                for (String s : PRIVATE) {
                    assertThat(r.asString()).as(path + " must not name " + s).doesNotContainIgnoringCase(s);
                }
            }
            assertThat(Management.anonymous().header("Authorization", "Bearer wrong-token-of-some-length").get(path).statusCode())
                    .as("wrong token on " + path).isEqualTo(401);
        }

        // with the token: every detail
        String details = Management.authorized().get("/q/health/ready").then().statusCode(503).extract().asString();
        assertThat(details).contains("camera-front-door", "camera-till", "/nonexistent/front-door.avi does not exist");
        assertThat(Management.authorized().get("/q/health/live").then().statusCode(200).extract().asString()).contains("\"checks\"");
        String m = Management.authorized().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(m).contains("edgewatch_zone_objects{camera=\"till\",zone=\"till-area\"}")
                .contains("edgewatch_line_crossings_total{camera=\"till\",direction=\"in\",line=\"entry-line\"}")
                .contains("edgewatch_capture_frames_received_total{camera=\"front-door\"}");

        // the main port: transparency public, no health or metrics
        given().get("/transparency").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        agent.stop();
    }

    @Test
    void unusableTokenFileIsRefusedNamingKeyAndFile() throws Exception {
        Path dir = Files.createTempDirectory("token");
        Path shortToken = Files.writeString(dir.resolve("short"), "abc\n");
        assertThatThrownBy(() -> ManagementAccess.readToken(Optional.of(shortToken)))
                .hasMessageContaining("edgewatch.http.token-file " + shortToken).hasMessageContaining("at least 16");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> ManagementAccess.readToken(Optional.of(missing)))
                .hasMessageContaining("edgewatch.http.token-file " + missing + " cannot be read");
        assertThat(ManagementAccess.readToken(Optional.of(Management.TOKEN_FILE))).hasValue(Management.token());
        assertThat(ManagementAccess.readToken(Optional.empty())).isEmpty();
    }
}
