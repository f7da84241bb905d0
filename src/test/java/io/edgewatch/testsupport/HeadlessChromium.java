package io.edgewatch.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol (CDP, https://chromedevtools.github.io/devtools-protocol/)
 * for tests of the status page: Debian's {@code chromium-headless-shell} (or {@code chromium}; {@code .ci/run}
 * installs the first), started with {@code --remote-debugging-port=0} on a throw-away profile, one page target,
 * commands sent as JSON over the page's WebSocket with the JDK's {@link WebSocket}. Only the five commands the tests
 * need ({@code Page.navigate}, {@code Runtime.evaluate}, {@code Page.captureScreenshot}, {@code Emulation.setDeviceMetricsOverride},
 * {@code Browser.close}); Selenium and chromium-driver would bring about twenty jars (OpenTelemetry, Guava, Byte
 * Buddy) onto the Quarkus test class path for them.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/chromium-headless-shell"), Path.of("/usr/bin/chromium"));

    private final ObjectMapper mapper = new ObjectMapper();
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /**
     * The browser binary: {@code EDGEWATCH_CHROMIUM} when set, else the first of {@code /usr/bin/chromium-headless-shell},
     * {@code /usr/bin/chromium} that exists.
     *
     * @throws IllegalStateException naming the package to install when there is none
     */
    public static Path binary() {
        String env = System.getenv("EDGEWATCH_CHROMIUM");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException(
                "no headless Chromium at " + CANDIDATES + ": apt-get install chromium-headless-shell (.ci/run does), or set EDGEWATCH_CHROMIUM"));
    }

    /**
     * Starts the browser with an empty page and a viewport of {@code widthPx} x {@code heightPx} CSS pixels at device
     * scale 1 (a phone: 412 x 915).
     *
     * @throws IOException when the browser cannot be started or its DevTools endpoint does not answer within 30 s
     */
    public HeadlessChromium(int widthPx, int heightPx) throws IOException, InterruptedException {
        profile = Files.createTempDirectory("chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=" + widthPx + "," + heightPx,
                "about:blank"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path activePort = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(activePort) || Files.readAllLines(activePort).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.exists(profile.resolve("chromium.log")) ? Files.readString(profile.resolve("chromium.log")) : "";
                close();
                throw new IOException("headless Chromium did not open its DevTools port (alive " + process.isAlive() + "): " + log);
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(activePort).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        String wsUrl = null;
        while (wsUrl == null) {
            JsonNode targets = mapper.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    wsUrl = t.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (wsUrl == null) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IOException("headless Chromium has no page target: " + targets);
                }
                Thread.sleep(50);
            }
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new Listener()).join();
        ObjectNode metrics = mapper.createObjectNode().put("width", widthPx).put("height", heightPx).put("deviceScaleFactor", 1).put("mobile", true);
        send("Emulation.setDeviceMetricsOverride", metrics);
    }

    /** Loads {@code url} in the page (returns when the navigation is committed, not when the page has loaded). */
    public void navigate(String url) throws IOException {
        JsonNode r = send("Page.navigate", mapper.createObjectNode().put("url", url));
        if (r.hasNonNull("errorText")) {
            throw new IOException("navigating to " + url + " failed: " + r.path("errorText").asText());
        }
    }

    /**
     * Evaluates a JavaScript expression in the page (DevTools evaluation, which the page's Content-Security-Policy does
     * not govern) and returns its value as JSON.
     *
     * @throws IOException when the expression throws, with the exception's text
     */
    public JsonNode evaluate(String expression) throws IOException {
        JsonNode r = send("Runtime.evaluate", mapper.createObjectNode().put("expression", expression).put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IOException("'" + expression + "' threw: " + r.path("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /**
     * Evaluates {@code expression} every 100 ms until {@code done} accepts its value, for at most {@code timeout};
     * evaluations that fail while the page is being replaced (navigation, meta refresh) are retried.
     *
     * @return the accepted value
     * @throws IOException with the last value or error when the time runs out
     */
    public JsonNode await(String expression, Predicate<JsonNode> done, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = null;
        while (System.nanoTime() < deadline) {
            try {
                JsonNode v = evaluate(expression);
                if (done.test(v)) {
                    return v;
                }
                last = v;
            } catch (IOException e) {
                last = e.getMessage();
            }
            Thread.sleep(100);
        }
        throw new IOException("'" + expression + "' not as awaited within " + timeout + "; last: " + last);
    }

    /** A PNG of the viewport, written to {@code file}. */
    public void screenshot(Path file) throws IOException {
        JsonNode r = send("Page.captureScreenshot", mapper.createObjectNode().put("format", "png"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    }

    private JsonNode send(String method, ObjectNode params) throws IOException {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode msg = mapper.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(msg.toString(), true).join();
        try {
            JsonNode a = answer.get(30, TimeUnit.SECONDS);
            if (a.has("error")) {
                throw new IOException(method + " failed: " + a.path("error"));
            }
            return a.path("result");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(method + ": no answer from Chromium", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Collects a message's fragments; answers (with an {@code id}) complete their command, events are ignored. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode m = mapper.readTree(text.toString());
                    CompletableFuture<JsonNode> f = m.has("id") ? pending.get(m.path("id").asInt()) : null;
                    if (f != null) {
                        f.complete(m);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            try {
                send("Browser.close", mapper.createObjectNode());
            } catch (IOException ignored) {
                // the browser may already be closing
            }
            socket.abort();
        }
        // Chromium's helper processes (zygote, GPU, network service) may outlive the browser process for a moment and
        // keep writing to the profile (a DIPS-wal appearing and vanishing made a walk fail in CI): stop them all first
        java.util.List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle h : helpers) {
                h.destroy();
                h.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            helpers.forEach(ProcessHandle::destroyForcibly);
        }
        deleteProfile();
    }

    /** Deletes the throw-away profile; a file that vanishes during the walk is no error, one pass is retried. */
    private void deleteProfile() throws IOException {
        for (int attempt = 1; Files.exists(profile); attempt++) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                return;
            } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
                if (attempt == 3) {
                    throw e instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) e;
                }
            }
        }
    }
}
