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
    private final int tlsPort;
    private final Path dir;
    private final String extraConfig;
    private Process process;

    private Mosquitto(int port, Path dir, String extraConfig) {
        this.port = port;
        this.tlsPort = freePortUnchecked();
        this.dir = dir;
        this.extraConfig = extraConfig;
    }

    /** Starts an anonymous broker on a free loopback port. */
    public static Mosquitto start(String extraConfig) throws IOException, InterruptedException {
        Mosquitto m = new Mosquitto(freePort(), Files.createTempDirectory("mosquitto"), extraConfig == null ? "" : extraConfig);
        m.start();
        return m;
    }

    private static int freePortUnchecked() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /**
     * Starts a broker with two loopback listeners: {@link #port()} anonymous plain TCP (for test subscribers) and
     * {@link #tlsPort()} with TLS (server certificate signed by a CA made by {@link #makeCertificates}), a password
     * file with user {@code user} / {@code password}, and a required client certificate. Persistence is on and
     * saved on every change, so a persistent subscriber session and its queued messages survive a SIGKILL.
     */
    public static Mosquitto startSecured(String user, String password) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("mosquitto");
        makeCertificates(dir);
        run(dir, "/usr/bin/mosquitto_passwd", "-b", "-c", dir.resolve("passwd").toString(), user, password);
        String conf = """
                user root
                per_listener_settings true
                listener ${port} 127.0.0.1
                allow_anonymous true
                listener ${tlsPort} 127.0.0.1
                allow_anonymous false
                password_file DIR/passwd
                cafile DIR/ca.pem
                certfile DIR/server.pem
                keyfile DIR/server.key
                require_certificate true
                persistence true
                persistence_location DIR/
                autosave_interval 1
                autosave_on_changes true
                """.replace("DIR", dir.toString());
        Mosquitto m = new Mosquitto(freePort(), dir, conf);
        m.start();
        return m;
    }

    /**
     * Makes a test PKI with openssl in {@code dir}: {@code ca.pem}/{@code ca.key}, a server certificate for
     * 127.0.0.1 ({@code server.pem}/{@code server.key}) and a client certificate ({@code client.pem} with a PKCS#8
     * {@code client.key}), EC P-256, valid one day.
     */
    public static void makeCertificates(Path dir) throws IOException, InterruptedException {
        String d = dir.toString();
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                "-subj", "/CN=edgewatch-test-ca", "-keyout", d + "/ca.key", "-out", d + "/ca.pem");
        for (String name : new String[]{"server", "client"}) {
            run(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", d + "/" + name + ".key");
            run(dir, "openssl", "req", "-new", "-key", d + "/" + name + ".key", "-subj", "/CN=" + (name.equals("server") ? "127.0.0.1" : "edgewatch-client"),
                    "-out", d + "/" + name + ".csr");
            Files.writeString(dir.resolve(name + ".ext"), name.equals("server") ? "subjectAltName=IP:127.0.0.1,DNS:localhost\n" : "extendedKeyUsage=clientAuth\n");
            run(dir, "openssl", "x509", "-req", "-in", d + "/" + name + ".csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca.key",
                    "-CAcreateserial", "-days", "1", "-extfile", d + "/" + name + ".ext", "-out", d + "/" + name + ".pem");
        }
    }

    /** Runs a command in {@code dir} (e.g. mosquitto_passwd) and fails when it exits non-zero. */
    public static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
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
        Files.writeString(conf, base + extraConfig.replace("${port}", Integer.toString(port)).replace("${tlsPort}", Integer.toString(tlsPort))
                + (extraConfig.contains("persistence true") ? "\n" : "\npersistence false\n"));
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

    /** Sends SIGHUP: Mosquitto reloads its configuration, ACL and password files without dropping clients. */
    public void reload() throws IOException, InterruptedException {
        if (new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("kill -HUP " + process.pid() + " failed");
        }
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

    /** Port of the TLS listener of {@link #startSecured}. */
    public int tlsPort() {
        return tlsPort;
    }

    /** {@code ssl://127.0.0.1:<tlsPort>} */
    public String tlsUrl() {
        return "ssl://127.0.0.1:" + tlsPort;
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
