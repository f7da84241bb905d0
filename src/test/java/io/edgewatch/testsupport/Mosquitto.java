package io.edgewatch.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Eclipse Mosquitto broker (Debian package, {@code /usr/sbin/mosquitto}) started by a test on a free
 * loopback port, with an optional extra configuration. {@link #kill()} sends SIGKILL, {@link #start()} starts it
 * again on the same port.
 */
public final class Mosquitto implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final String extraConfig;
    private Process process;

    private Mosquitto(int port, Path dir, String extraConfig) {
        this.port = port;
        this.dir = dir;
        this.extraConfig = extraConfig;
    }

    /** Starts an anonymous broker on a free loopback port. */
    public static Mosquitto start(String extraConfig) throws IOException, InterruptedException {
        Mosquitto m = new Mosquitto(freePort(), Files.createTempDirectory("mosquitto"), extraConfig == null ? "" : extraConfig);
        m.start();
        return m;
    }

    /** A free TCP port on the loopback interface. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Path of the broker binary; {@code /usr/sbin/mosquitto} from Debian's package. */
    public static Path binary() {
        Path p = Path.of("/usr/sbin/mosquitto");
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("mosquitto is not installed at " + p + " (apt-get install mosquitto; .ci/run does it)");
        }
        return p;
    }

    /** (Re)starts the broker on its port and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        Path conf = dir.resolve("mosquitto.conf");
        String base = extraConfig.contains("listener ") ? "" : "listener " + port + " 127.0.0.1\nallow_anonymous true\n";
        Files.writeString(conf, base + extraConfig.replace("${port}", Integer.toString(port)) + "\npersistence false\n");
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "-c", conf.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("mosquitto exited: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + " within 10 s");
    }

    /** Kills the broker with SIGKILL ({@link Process#destroyForcibly}) and waits for it to exit. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:<port>} */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Folder holding the config and log (certificates may be written here). */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
