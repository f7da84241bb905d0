package io.edgewatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.pipeline.Agent;
import io.edgewatch.pipeline.RunRequest;
import io.edgewatch.testsupport.HeadlessChromium;
import io.edgewatch.testsupport.Management;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.MosquittoResource;
import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code edgewatch status} against the real agent (vtest.avi with a zone and a counting line, a real Mosquitto,
 * the test profile's access token): the table and the JSON carry the values {@code /q/health/ready} reports; an agent
 * that cannot be reached, or that refuses the token, gives exit 1 and a message naming the URL; the token is never
 * printed. The status page at {@code /} of the management interface shows the same values to a browser that logged in
 * with the token: in a real headless Chromium at a phone's width (login form typed into, the page's values, the
 * inline style applied under the page's Content-Security-Policy, no image, no horizontal scrolling, the session cookie
 * hidden from scripts; screenshots {@code target/status-page-login.png} and {@code target/status-page.png} for a
 * reviewer), and with a plain HTTP client (refused without the token, cookie attributes, wrong tokens limited).
 */
@QuarkusTest
@TestProfile(StatusCommandTest.CameraWithZones.class)
@QuarkusTestResource(value = MosquittoResource.class, restrictToAnnotatedClass = true)
class StatusCommandTest {

    /** One camera on vtest.avi with a zone over its left half and a vertical counting line in the middle. */
    public static class CameraWithZones implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgewatch.cameras.front.source", TestPaths.vtest().toString(),
                    "edgewatch.cameras.front.expected-fps", "10",
                    "edgewatch.cameras.front.zones.left.polygon", "0,0, 0.5,0, 0.5,1, 0,1",
                    "edgewatch.cameras.front.lines.mid.points", "0.5,0,0.5,1",
                    "edgewatch.device-id", "status-test",
                    "edgewatch.spool.dir", tempDir());
        }
    }

    static String tempDir() {
        try {
            return Files.createTempDirectory("status-spool").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Inject
    Agent agent;
    @Inject
    Instance<StatusCommand> commands;
    @Inject
    ObjectMapper mapper;

    record Run(int exit, String out, String err) {
    }

    private Run status(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(commands.get());
        cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void summaryMatchesTheHealthDocument() throws Exception {
        agent.start(new RunRequest(Optional.empty(), "unused", Optional.empty(), 300));
        assertThat(agent.awaitFinished(120_000)).isTrue();
        java.net.URI mgmt = java.net.URI.create(ConfigProvider.getConfig().getValue("test.management.url", String.class)); // .../q
        String url = mgmt.getScheme() + "://" + mgmt.getHost() + ":" + mgmt.getPort();
        JsonNode ready = mapper.readTree(Management.authorized().get("/q/health/ready").then().statusCode(200).extract().asString());
        JsonNode cam = check(ready, "camera-front").path("data");
        JsonNode models = check(ready, "models").path("data");
        JsonNode broker = check(ready, "broker").path("data");
        long lineIn = cam.path("line.mid.in").asLong();
        long lineOut = cam.path("line.mid.out").asLong();
        assertThat(lineIn + lineOut).as("people cross the middle of vtest.avi").isPositive();

        // --json: one object, the health document's values (the token file is the test profile's edgewatch.http.token-file)
        Run json = status("--url", url, "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode s = mapper.readTree(json.out());
        assertThat(s.path("status").asText()).isEqualTo("UP");
        assertThat(s.path("device").asText()).isEqualTo("status-test");
        assertThat(s.path("version").asText()).isEqualTo(ConfigProvider.getConfig().getValue("quarkus.application.version", String.class));
        assertThat(s.path("uptimeS").asLong()).isPositive();
        assertThat(s.path("cameras")).hasSize(1);
        JsonNode c = s.path("cameras").get(0);
        assertThat(c.path("id").asText()).isEqualTo("front");
        assertThat(c.path("status").asText()).isEqualTo("UP");
        assertThat(c.path("state").asText()).isEqualTo(cam.path("state").asText()).isEqualTo("ended");
        assertThat(c.path("fpsExpected").asDouble()).isEqualTo(10.0);
        assertThat(c.path("quality").asText()).isEqualTo(cam.path("quality").asText());
        assertThat(c.path("reconnects").asLong()).isEqualTo(cam.path("reconnects").asLong());
        assertThat(c.path("stalls").asLong()).isEqualTo(cam.path("stalls").asLong());
        assertThat(c.path("activeTracks").asLong()).isEqualTo(cam.path("activeTracks").asLong());
        assertThat(c.path("zoneObjects").path("left").asLong()).isEqualTo(cam.path("zone.left.objects").asLong());
        assertThat(c.path("lineCrossings").path("mid").path("in").asLong()).isEqualTo(lineIn);
        assertThat(c.path("lineCrossings").path("mid").path("out").asLong()).isEqualTo(lineOut);
        assertThat(s.path("models")).hasSize(1);
        JsonNode m = s.path("models").get(0);
        assertThat(m.path("id").asText()).isEqualTo("ssd-mobilenet-v2-coco");
        assertThat(m.path("runsOn").asText()).isEqualTo(models.path("ssd-mobilenet-v2-coco.runsOn").asText());
        assertThat(m.path("delegateApplied").asBoolean()).isEqualTo(models.path("ssd-mobilenet-v2-coco.delegateApplied").asBoolean());
        assertThat(m.path("nodesDelegated").asText()).isEqualTo(models.path("ssd-mobilenet-v2-coco.nodesDelegated").asText());
        assertThat(m.path("golden").asText()).isEqualTo(models.path("ssd-mobilenet-v2-coco.golden").asText());
        assertThat(m.path("steadyInvokeMs").asDouble()).isEqualTo(Double.parseDouble(models.path("ssd-mobilenet-v2-coco.steadyInvokeMs").asText()))
                .isPositive();
        assertThat(s.path("broker").path("connected").asBoolean()).isTrue();
        assertThat(s.path("broker").path("sink").asText()).isEqualTo(broker.path("sink").asText()).startsWith("tcp://127.0.0.1:");
        assertThat(s.path("broker").path("spoolDepth").asLong()).isEqualTo(broker.path("spoolDepth").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(s.path("faces").path("enabled").asBoolean()).isFalse();

        // the table: the same values, one row per camera and model
        Run table = status("--url", url);
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).startsWith("edgewatch UP  device status-test  version ")
                .containsPattern("(?m)^front +UP +ended +[0-9.]+/[0-9.]+/10\\.00 +" + cam.path("quality").asText() + " +"
                        + cam.path("reconnects").asLong() + "\\(0\\) +" + cam.path("stalls").asLong() + "\\(0\\) +"
                        + cam.path("activeTracks").asLong() + " +-$")
                .contains("  front zone left: " + cam.path("zone.left.objects").asLong() + " now\n")
                .contains("  front line mid: in " + lineIn + " out " + lineOut + "\n")
                .containsPattern("(?m)^ssd-mobilenet-v2-coco +" + models.path("ssd-mobilenet-v2-coco.runsOn").asText() + " +not applied +"
                        + models.path("ssd-mobilenet-v2-coco.nodesDelegated").asText() + " +" + models.path("ssd-mobilenet-v2-coco.golden").asText()
                        + " +" + models.path("ssd-mobilenet-v2-coco.steadyInvokeMs").asText() + "$")
                .contains("broker: UP  tcp://127.0.0.1:").contains("faces: off\n");

        // a wrong token: refused, exit 1, and neither token printed
        Path wrong = Files.createTempDirectory("status-token").resolve("token");
        Files.writeString(wrong, "wrong-token-0123456789\n");
        Files.setPosixFilePermissions(wrong, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Run refused = status("--url", url, "--token-file", wrong.toString(), "--json");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(mapper.readTree(refused.out()).path("status").asText()).isEqualTo("REFUSED");
        assertThat(refused.err()).contains("edgewatch agent at " + url + " refused the access token (HTTP 401");
        for (Run r : new Run[]{json, table, refused}) {
            assertThat(r.out() + r.err()).doesNotContain(Management.token()).doesNotContain("wrong-token-0123456789");
        }

        // nothing listening: exit 1 naming the URL; a bad option: exit 2
        String nobody = "http://127.0.0.1:" + Mosquitto.freePort();
        Run unreachable = status("--url", nobody);
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.out()).isEmpty();
        assertThat(unreachable.err()).startsWith("edgewatch agent at " + nobody + " cannot be reached: ");
        Run unreachableJson = status("--url", nobody, "--json");
        assertThat(unreachableJson.exit()).isEqualTo(1);
        assertThat(mapper.readTree(unreachableJson.out()).path("status").asText()).isEqualTo("UNREACHABLE");
        assertThat(status("--url", "ftp://127.0.0.1:1").exit()).isEqualTo(2);
        assertThat(status("--no-such-option").exit()).isEqualTo(2);

        browser(url, cam, models, lineIn, lineOut);
        statusPage(url, cam, models, lineIn, lineOut);
        agent.stop();
    }

    /**
     * The status page in headless Chromium, 412 x 915 CSS pixels (a phone): the technician's path, from the login form
     * to the values {@code /q/health/ready} reports.
     */
    private void browser(String url, JsonNode cam, JsonNode models, long lineIn, long lineOut) throws Exception {
        try (HeadlessChromium chromium = new HeadlessChromium(412, 915)) {
            chromium.navigate(url + "/");
            JsonNode form = chromium.await("(() => ({ready: document.readyState, token: document.querySelector('input[name=token]') !== null,"
                    + " text: document.body ? document.body.innerText : ''}))()",
                    v -> v.path("ready").asText().equals("complete") && v.path("token").asBoolean(), java.time.Duration.ofSeconds(20));
            assertThat(form.path("text").asText()).contains("Access token").contains("No video and no images, by design")
                    .doesNotContain("front").doesNotContain("ssd-mobilenet");
            chromium.screenshot(Path.of("target/status-page-login.png"));

            // the technician types the token and presses the button: the form posts, the answer's cookie opens the page
            chromium.evaluate("document.querySelector('input[name=token]').value = " + mapper.writeValueAsString(Management.token())
                    + "; document.querySelector('button[type=submit]').click(); true");
            JsonNode page = chromium.await("""
                    (() => { const q = s => { const e = document.querySelector(s); return e ? e.textContent : null; };
                      return { path: location.pathname, ready: document.readyState, device: q('#device'), status: q('#status'),
                        fps: q('#camera-front .fps'), quality: q('#camera-front .quality'), tracks: q('#camera-front .tracks'),
                        zone: q('#camera-front .zone'), line: q('#camera-front .line'),
                        invoke: q('#model-ssd-mobilenet-v2-coco .invoke'), text: document.body.innerText,
                        images: document.images.length + document.querySelectorAll('video, canvas, iframe, object, embed').length,
                        cookie: document.cookie, scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
                        statusColour: getComputedStyle(document.getElementById('status')).color,
                        qualityLines: (() => { const r = document.createRange();
                          r.selectNodeContents(document.querySelector('#camera-front .quality')); return r.getClientRects().length; })() }; })()""",
                    v -> v.path("path").asText().equals("/") && v.path("ready").asText().equals("complete") && !v.path("device").isNull(),
                    java.time.Duration.ofSeconds(20));
            assertThat(page.path("device").asText()).isEqualTo("status-test");
            assertThat(page.path("status").asText()).isEqualTo("UP");
            assertThat(page.path("fps").asText()).matches("[0-9.]+ / [0-9.]+ / 10\\.00");
            assertThat(page.path("quality").asText()).isEqualTo(cam.path("quality").asText());
            assertThat(page.path("tracks").asText()).isEqualTo(Long.toString(cam.path("activeTracks").asLong()));
            assertThat(page.path("zone").asText()).isEqualTo(cam.path("zone.left.objects").asLong() + " now");
            assertThat(page.path("line").asText()).isEqualTo("in " + lineIn + ", out " + lineOut);
            assertThat(page.path("invoke").asText()).isEqualTo(models.path("ssd-mobilenet-v2-coco.steadyInvokeMs").asText());
            assertThat(page.path("text").asText()).contains("No video and no images, by design").contains("Face recognition is off.")
                    .contains(models.path("ssd-mobilenet-v2-coco.runsOn").asText()).doesNotContain(Management.token());
            assertThat(page.path("images").asInt()).as("no image, video, canvas or frame element").isZero();
            assertThat(page.path("cookie").asText()).as("the session cookie is HttpOnly: no script sees it").isEmpty();
            assertThat(page.path("scrollWidth").asInt()).as("readable on a phone: no horizontal scrolling")
                    .isLessThanOrEqualTo(page.path("innerWidth").asInt());
            assertThat(page.path("qualityLines").asInt()).as("a short value such as the quality grade is not broken across lines on a phone")
                    .isEqualTo(1);
            assertThat(page.path("statusColour").asText()).as("the inline style applies under the page's CSP").isEqualTo("rgb(10, 107, 45)");

            Path shot = Path.of("target/status-page.png");
            chromium.screenshot(shot);
            byte[] png = Files.readAllBytes(shot);
            assertThat(java.util.Arrays.copyOf(png, 8)).isEqualTo(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            assertThat(java.nio.ByteBuffer.wrap(png, 16, 8).getInt()).as("screenshot width").isEqualTo(412);
            assertThat(png.length).as("a rendered page, not a blank one").isGreaterThan(8_000);
            System.out.println("status page screenshots: target/status-page-login.png, " + shot + " (" + png.length + " bytes)");

            // log out in the browser: back to the login form
            chromium.evaluate("document.querySelector('form[action=\"/logout\"] button').click(); true");
            chromium.await("(() => document.readyState === 'complete' && document.querySelector('input[name=token]') !== null)()",
                    JsonNode::asBoolean, java.time.Duration.ofSeconds(20));
        }
    }

    /** The status page at / over plain HTTP: refused without the token, login form, session cookie, the same values. */
    private void statusPage(String url, JsonNode cam, JsonNode models, long lineIn, long lineOut) throws Exception {
        HttpClient http = HttpClient.newHttpClient(); // no cookie handler: each cookie is sent by hand
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(url + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("<form method=\"post\" action=\"/login\">").contains("name=\"token\"")
                .doesNotContain("front").doesNotContain("ssd-mobilenet");
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(url + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=wrong-token-0123456789")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong access token.");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(url + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + java.net.URLEncoder.encode(Management.token(), StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/");
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("edgewatch_session=").contains("HTTPOnly").contains("SameSite=Strict").contains("Path=/")
                .doesNotContain(Management.token());
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url + "/")).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        String html = page.body();
        assertThat(html).contains("<meta http-equiv=\"refresh\" content=\"5\">").contains("name=\"viewport\"")
                .contains("No video and no images, by design")
                .contains("<span class=\"UP\" id=\"status\">UP</span>")
                .contains("<dd id=\"device\">status-test</dd>")
                .contains("<strong>front</strong> <span class=\"UP\">UP</span> ended")
                .containsPattern("<dd class=\"fps\">[0-9.]+ / [0-9.]+ / 10\\.00</dd>")
                .contains("<dd class=\"quality\">" + cam.path("quality").asText() + "</dd>")
                .contains("<dd class=\"reconnects\">" + cam.path("reconnects").asLong() + " (0)</dd>")
                .contains("<dd class=\"tracks\">" + cam.path("activeTracks").asLong() + "</dd>")
                .contains("<dt>zone left</dt><dd class=\"zone\">" + cam.path("zone.left.objects").asLong() + " now</dd>")
                .contains("<dt>line mid</dt><dd class=\"line\">in " + lineIn + ", out " + lineOut + "</dd>")
                .contains("<dt>runs on</dt><dd>" + models.path("ssd-mobilenet-v2-coco.runsOn").asText() + "</dd>")
                .contains("<dd class=\"invoke\">" + models.path("ssd-mobilenet-v2-coco.steadyInvokeMs").asText() + "</dd>")
                .contains("<p id=\"faces\">Face recognition is off.</p>")
                .doesNotContain(Management.token()).doesNotContain("<img").doesNotContain("<video");
        // the bearer header opens the page too; a wrong one or a forged cookie does not
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/")).header("Authorization", "Bearer " + Management.token()).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("<dd id=\"device\">status-test</dd>");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/")).header("Authorization", "Bearer wrong-token-0123456789").build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/")).header("Cookie", "edgewatch_session=" + "ab".repeat(32)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
        // the cookie is for the page only: health details still need the header
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("{\"status\":\"UP\"}");
        // log out: the session ends
        HttpResponse<Void> logout = http.send(HttpRequest.newBuilder(URI.create(url + "/logout")).header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/")).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);

        // guessing: 5 wrong tokens a minute from one address, then even the right one is refused with 429 and Retry-After
        // (the wrong token above was cleared by the right login after it); the bearer header still opens the page
        java.util.function.Function<String, HttpResponse<String>> post = t -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + java.net.URLEncoder.encode(t, StandardCharsets.UTF_8))).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        for (int i = 1; i <= 5; i++) {
            assertThat(post.apply("guess-" + i).statusCode()).as("wrong token %d", i).isEqualTo(401);
        }
        HttpResponse<String> locked = post.apply(Management.token());
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(v -> assertThat(v).isBetween(1L, 60L));
        assertThat(locked.body()).contains("Too many wrong access tokens from this address");
        assertThat(locked.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/")).header("Authorization", "Bearer " + Management.token()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }
}
