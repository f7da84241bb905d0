package io.edgewatch.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.RtspServer;
import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged agent (a child process, so its whole standard error is read: Java logs and FFmpeg's own native
 * messages) against two real RTSP servers (GStreamer): one that refuses the path and one that demands basic
 * authentication and refuses a wrong password, and a Mosquitto that takes a password over plain TCP (a start-up
 * warning names the keys). No password appears in the log or in any health answer;
 * without the access token the management interface names no camera and no error, with it every detail is there.
 */
class SecretExposureIT {
    /** Percent-encoded in the URL ("Pa@ss/w:rd%" decoded): the path is refused. */
    private static final String PATH_PW = "Pa%40ss%2Fw%3Ard%25";
    /** Written raw in the camera URL, not percent-encoded: '@', '/' and ':' inside the password. */
    private static final String RIGHT_PW = "R1ght@pa/ss:Q7";
    private static final String WRONG_PW = "Wr0ng%40p%3Ass";
    /** The broker's password, given as edgewatch.mqtt.password over tcp:// (a warning names the keys). */
    private static final String MQTT_PW = "Mq77-s3cret-pw";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void noPasswordInLogOrHealthAndNoDetailsWithoutToken() throws Exception {
        Path dir = Files.createTempDirectory("secrets-it");
        Path token = dir.resolve("token");
        Files.writeString(token, "t0ken-" + Long.toHexString(System.nanoTime()) + "-abcdef\n");
        String tok = Files.readString(token).strip();
        Path err = dir.resolve("agent.err");
        Path passwd = dir.resolve("passwd");
        assertThat(new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwd.toString(), "gate-01", MQTT_PW).start().waitFor()).isZero();
        // the broker drops root privileges to user 'mosquitto', which must be able to read the password file
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(passwd, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        try (Mosquitto broker = Mosquitto.start("listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file " + passwd + "\n");
             RtspServer open = RtspServer.start(TestPaths.vtest());
             RtspServer locked = RtspServer.start(TestPaths.vtest(), "--user", "admin", "--password", RIGHT_PW)) {
            int httpPort = Mosquitto.freePort();
            int mgmtPort = Mosquitto.freePort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "-Dquarkus.http.port=" + httpPort, "-Dquarkus.management.port=" + mgmtPort,
                    "-Dedgewatch.http.token-file=" + token, "-Dedgewatch.device-id=secrets-it",
                    "-Dedgewatch.capture.reconnect-max-ms=2000",
                    "-Dedgewatch.mqtt.url=" + broker.url(), "-Dedgewatch.mqtt.username=gate-01", "-Dedgewatch.mqtt.password=" + MQTT_PW,
                    "-Dedgewatch.spool.dir=" + dir.resolve("spool"),
                    "-Dedgewatch.cameras.wrongpath.source=rtsp://admin:" + PATH_PW + "@127.0.0.1:" + open.port() + "/wrongpath",
                    "-Dedgewatch.cameras.badauth.source=rtsp://admin:" + WRONG_PW + "@127.0.0.1:" + locked.port() + "/stream",
                    "-Dedgewatch.cameras.good.source=rtsp://admin:" + RIGHT_PW + "@127.0.0.1:" + locked.port() + "/stream",
                    "-jar", TestPaths.projectRoot().resolve("target/quarkus-app/quarkus-run.jar").toString(), "run"));
            Process agent = new ProcessBuilder(cmd).directory(TestPaths.projectRoot().toFile())
                    .redirectOutput(dir.resolve("agent.out").toFile()).redirectError(err.toFile()).start();
            try {
                String mgmt = "http://127.0.0.1:" + mgmtPort;
                // with the token: details; wait until every failing camera has failed at least twice
                JsonNode ready = null;
                long end = System.currentTimeMillis() + 90_000;
                while (System.currentTimeMillis() < end) {
                    Thread.sleep(500);
                    HttpResponse<String> r = get(mgmt + "/q/health/ready", tok);
                    if (r == null || r.statusCode() == 401) {
                        continue;
                    }
                    ready = MAPPER.readTree(r.body());
                    if (reconnects(ready, "camera-wrongpath") >= 2 && reconnects(ready, "camera-badauth") >= 2
                            && check(ready, "camera-good").at("/data/framesReceived").asLong() > 0) {
                        break;
                    }
                }
                assertThat(ready).as("health with token").isNotNull();
                String details = ready.toString();
                System.out.println("health/ready with the token: " + details);
                assertThat(check(ready, "camera-good").path("status").asText()).as(details).isEqualTo("UP");
                assertThat(check(ready, "broker").path("status").asText()).as(details).isEqualTo("UP"); // the password worked
                String wrongpath = check(ready, "camera-wrongpath").at("/data/lastError").asText();
                String badauth = check(ready, "camera-badauth").at("/data/lastError").asText();
                assertThat(wrongpath).as(details).contains("cannot read rtsp://***@127.0.0.1:" + open.port() + "/wrongpath")
                        .contains("404 Not Found");
                assertThat(badauth).as(details).contains("cannot read rtsp://***@127.0.0.1:" + locked.port() + "/stream")
                        .contains("401 Unauthorized");
                // the cameras' own addresses, never the loopback relay the agent reads RTSP over TCP through
                for (String e : List.of(wrongpath, badauth)) {
                    Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(e);
                    while (m.find()) {
                        assertThat(Integer.parseInt(m.group(1))).as("a port in %s", e).isIn(open.port(), locked.port());
                    }
                }
                assertNoSecret(details);

                String metrics = get(mgmt + "/q/metrics", tok).body();
                assertThat(metrics).contains("edgewatch_capture_frames_received_total{camera=\"good\"}");
                assertNoSecret(metrics);

                // without the token: only the overall status, nothing naming a camera or an error
                HttpResponse<String> anonReady = get(mgmt + "/q/health/ready", null);
                assertThat(anonReady.statusCode()).isEqualTo(503);
                assertThat(anonReady.body()).isEqualTo("{\"status\":\"DOWN\"}");
                HttpResponse<String> anonLive = get(mgmt + "/q/health/live", null);
                assertThat(anonLive.statusCode()).isEqualTo(200);
                assertThat(anonLive.body()).isEqualTo("{\"status\":\"UP\"}");
                assertThat(get(mgmt + "/q/health", null).body()).isEqualTo("{\"status\":\"DOWN\"}");
                HttpResponse<String> anonMetrics = get(mgmt + "/q/metrics", null);
                assertThat(anonMetrics.statusCode()).isEqualTo(401);
                assertThat(anonMetrics.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"edgewatch\"");
                for (String path : List.of("/q/health/ready", "/q/health/live", "/q/metrics", "/q/health/group", "/q/health/well")) {
                    HttpResponse<String> wrong = get(mgmt + path, tok + "x");
                    assertThat(wrong.statusCode()).as("wrong token on " + path).isEqualTo(401);
                    for (HttpResponse<String> r : List.of(wrong, get(mgmt + path, null))) {
                        assertThat(r.body()).as(path).doesNotContain("camera", "wrongpath", "badauth", "good", "401", "404", "rtsp");
                    }
                }
                // the main port serves the public transparency statement and no health
                HttpResponse<String> transparency = get("http://127.0.0.1:" + httpPort + "/transparency", null);
                assertThat(transparency.statusCode()).isEqualTo(200);
                assertThat(MAPPER.readTree(transparency.body()).at("/objectDetection/output").asText())
                        .isEqualTo("metadata events (boxes, tracks, times) on MQTT edgewatch/secrets-it/<camera>/events");
                assertNoSecret(transparency.body());
                assertThat(get("http://127.0.0.1:" + httpPort + "/q/health/ready", null).statusCode()).isEqualTo(404);
            } finally {
                agent.destroy(); // SIGTERM: orderly stop, its last log lines included
                if (!agent.waitFor(20, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            }
            String log = Files.readString(err) + Files.readString(dir.resolve("agent.out"));
            System.out.println("agent log lines naming a camera failure:");
            log.lines().filter(l -> l.contains("cannot read") || l.contains("FFmpeg")).limit(12).forEach(System.out::println);
            assertThat(log).contains("camera wrongpath: cannot read rtsp://***@127.0.0.1:" + open.port() + "/wrongpath")
                    .contains("camera badauth: cannot read rtsp://***@127.0.0.1:" + locked.port() + "/stream")
                    .contains("camera good: opened rtsp://***@127.0.0.1:" + locked.port() + "/stream")
                    .contains("camera wrongpath: FFmpeg rtsp: method DESCRIBE failed: 404 Not Found")
                    .contains("edgewatch.mqtt.url " + broker.url() + " is not encrypted: edgewatch.mqtt.username, edgewatch.mqtt.password"
                            + " cross the network in clear text");
            assertNoSecret(log);
        }
    }

    private static void assertNoSecret(String text) {
        for (String s : List.of(PATH_PW, "Pa@ss", "Pa%40ss", RIGHT_PW, "R1ght", WRONG_PW, "Wr0ng", "admin:", MQTT_PW)) {
            assertThat(text).as("secret " + s).doesNotContain(s);
        }
    }

    private HttpResponse<String> get(String url, String token) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return null; // not listening yet
        }
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        return MAPPER.createObjectNode();
    }

    private static long reconnects(JsonNode health, String name) {
        return check(health, name).at("/data/reconnects").asLong();
    }
}
