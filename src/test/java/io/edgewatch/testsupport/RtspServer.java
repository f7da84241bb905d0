package io.edgewatch.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real RTSP server for tests: {@code scripts/rtsp-test-server.py} (GStreamer RTSP server from Debian's
 * packages, run by {@code /usr/bin/python3}) serving a video file on a loopback port. {@link #stop()} and
 * {@link #start()} restart it on the same port; {@link #freeze()} keeps sessions connected but stops sending
 * video (a stall).
 */
public final class RtspServer implements AutoCloseable {
    private final int port;
    private final List<String> extraArgs;
    private final Path file;
    private Process process;

    private RtspServer(int port, Path file, List<String> extraArgs) {
        this.port = port;
        this.file = file;
        this.extraArgs = extraArgs;
    }

    /** Starts a server for {@code file} on a free loopback port with extra launcher arguments (--codec h265, --gray, --size WxH). */
    public static RtspServer start(Path file, String... extraArgs) throws IOException, InterruptedException {
        RtspServer s = new RtspServer(Mosquitto.freePort(), file, List.of(extraArgs));
        s.start();
        return s;
    }

    /** (Re)starts the server and waits for its {@code ready} line (15 s at most). */
    public void start() throws IOException, InterruptedException {
        Path script = TestPaths.projectRoot().resolve("scripts/rtsp-test-server.py");
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
            throw new IllegalStateException("/usr/bin/python3 missing (Debian python3 with python3-gi; .ci/run installs it)");
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--port", Integer.toString(port), "--file", file.toString()));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long end = System.currentTimeMillis() + 15_000;
        StringBuilder out = new StringBuilder();
        while (System.currentTimeMillis() < end) {
            String line = r.readLine();
            if (line == null) {
                break;
            }
            out.append(line).append('\n');
            if (line.startsWith("ready ")) {
                Thread.ofVirtual().start(() -> {
                    try {
                        while (r.readLine() != null) {
                            // drain
                        }
                    } catch (IOException ignored) {
                        // server ended
                    }
                });
                return;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("RTSP test server did not start on " + port + ": " + out
                + " (needs gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-*, gstreamer1.0-libav, python3-gi; .ci/run installs them)");
    }

    /** Stops the server (SIGKILL, so clients see the connection drop) and waits for it. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Keeps every current session connected but sends no more video (SIGUSR1). */
    public void freeze() throws IOException, InterruptedException {
        signal("USR1");
    }

    /** Resumes video of frozen sessions (SIGUSR2). */
    public void unfreeze() throws IOException, InterruptedException {
        signal("USR2");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start().waitFor();
    }

    public int port() {
        return port;
    }

    /** {@code rtsp://127.0.0.1:<port>/stream} */
    public String url() {
        return "rtsp://127.0.0.1:" + port + "/stream";
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
