package io.edgewatch.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.mqtt.MqttSettings;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The doctor against real things: the pinned detector model, vtest.avi, a closed port standing in for an
 * unreachable RTSP camera, and a real Mosquitto broker that requires a password.
 */
class DoctorTest {
    static Mosquitto broker;
    static Path passwordFile;

    @BeforeAll
    static void startBroker() throws Exception {
        Path dir = Files.createTempDirectory("doctor-broker");
        Path passwd = dir.resolve("passwd");
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwd.toString(), "gate-01", "s3cret").redirectErrorStream(true).start();
        assertThat(p.waitFor()).as("mosquitto_passwd").isZero();
        // the broker drops root privileges to user 'mosquitto', which must be able to read the password file
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(passwd, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        broker = Mosquitto.start("listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file " + passwd + "\n");
        passwordFile = dir.resolve("mqtt-password");
        Files.writeString(passwordFile, "s3cret\n");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    /** What the broker check adds for a password over tcp:// (the broker of these tests). */
    static String clearText(String url) {
        return "; edgewatch.mqtt.url " + url + " is not encrypted: edgewatch.mqtt.username, edgewatch.mqtt.password-file cross the network in clear text; use ssl:// or wss:// (edgewatch.mqtt.ca-file for a private CA)";
    }

    static MqttSettings mqtt(String url, Path password) {
        return new MqttSettings(url, "edgewatch-doctor-test", Optional.of("gate-01"), Optional.empty(), Optional.of(password),
                Optional.empty(), Optional.empty(), Optional.empty(), 1, 30, "edgewatch/doctor-test/availability");
    }

    static Map<String, CheckResult> byName(DoctorReport r) {
        return r.checks().stream().collect(Collectors.toMap(CheckResult::name, Function.identity()));
    }

    @Test
    void goodInstallationPasses(@TempDir Path state) {
        DoctorPlan plan = new DoctorPlan("gate-01", List.of(CaptureSettings.defaults("front", TestPaths.vtest().toString())),
                List.of(TestPaths.detectorManifest()), InterpreterOptions.xnnpack(2), Optional.of(mqtt(broker.url(), passwordFile)), 5,
                List.of(state), 1);
        DoctorReport r = new Doctor(new ObjectMapper(), List.of()).run(plan);

        assertThat(r.passed()).as(r.toText()).isTrue();
        assertThat(r.exitCode()).isZero();
        Map<String, CheckResult> c = byName(r);
        assertThat(c.get("model ssd-mobilenet-v2-coco").detail()).contains("sha256 7046f31a72ec... ok", "runs on xnnpack", "of 99 nodes", "96 on XNNPACK");
        assertThat(c.get("camera front").detail()).contains("768x576", "msmpeg4");
        // a password over tcp:// works, and is a warning naming the keys
        assertThat(c.get("broker").status()).isEqualTo(CheckStatus.WARN);
        assertThat(c.get("broker").detail()).isEqualTo("connected to " + broker.url() + " as gate-01 with password"
                + clearText(broker.url()));
        assertThat(c.get("state folder " + state.toAbsolutePath()).status()).isEqualTo(CheckStatus.OK);
        assertThat(r.checks()).filteredOn(ch -> !ch.name().equals("broker")).extracting(CheckResult::status).containsOnly(CheckStatus.OK);
        assertThat(r.toText()).startsWith("edgewatch doctor, device gate-01\n").endsWith("PASSED: 5 checks, 0 failed, 1 warnings\n");
    }

    @Test
    void eachBrokenPieceFailsNamingTheCulprit(@TempDir Path tmp) throws Exception {
        // a manifest whose model file is missing (copied away from models-tflite/files)
        Path manifest = tmp.resolve("ssd-mobilenet-v2-coco.manifest.json");
        Files.copy(TestPaths.detectorManifest(), manifest);
        int closedPort = Mosquitto.freePort();
        int noBrokerPort = Mosquitto.freePort();
        DoctorPlan plan = new DoctorPlan("gate-01",
                List.of(CaptureSettings.defaults("front", TestPaths.vtest().toString()),
                        CaptureSettings.defaults("yard", "rtsp://viewer:pw@127.0.0.1:" + closedPort + "/stream1"),
                        CaptureSettings.defaults("door", tmp.resolve("missing.mp4").toString())),
                List.of(manifest), InterpreterOptions.xnnpack(1),
                Optional.of(mqtt("tcp://127.0.0.1:" + noBrokerPort, passwordFile)), 3,
                List.of(tmp.resolve("no-such-state")), 1);
        DoctorReport r = new Doctor(new ObjectMapper(), List.of(() -> List.of(new CheckResult("delegate test", CheckStatus.SKIP, "none configured", 0)))).run(plan);

        assertThat(r.passed()).isFalse();
        assertThat(r.exitCode()).isEqualTo(1);
        Map<String, CheckResult> c = byName(r);
        assertThat(c.get("model ssd-mobilenet-v2-coco").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(c.get("model ssd-mobilenet-v2-coco").detail())
                .contains(tmp.resolve("files/mobilenet_ssd_v2_coco_quant_postprocess.tflite").toString(), "does not exist");
        assertThat(c.get("camera front").status()).isEqualTo(CheckStatus.OK);
        assertThat(c.get("camera yard").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(c.get("camera yard").detail()).contains("rtsp://***@127.0.0.1:" + closedPort + "/stream1", "error -111 (Connection refused)")
                .doesNotContain("pw@", "setFormat");
        assertThat(c.get("camera door").detail()).contains("edgewatch.cameras.door.source", "missing.mp4", "does not exist");
        assertThat(c.get("broker").status()).isEqualTo(CheckStatus.FAIL);
        assertThat(c.get("broker").detail()).startsWith("cannot connect to tcp://127.0.0.1:" + noBrokerPort);
        assertThat(c.get("state folder " + tmp.resolve("no-such-state")).detail()).contains("does not exist");
        assertThat(c.get("delegate test").status()).isEqualTo(CheckStatus.SKIP);
        assertThat(r.toText()).endsWith("FAILED: 8 checks, 5 failed, 0 warnings\n");
    }

    @Test
    void aCameraThatAcceptsAndNeverAnswersIsAnOpenTimeOut() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> { // accept and hold, never a byte back
                List<java.net.Socket> held = new java.util.ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    held.forEach(x -> { try { x.close(); } catch (java.io.IOException ignored) { } });
                }
            });
            CaptureSettings d = CaptureSettings.defaults("mute", "rtsp://viewer:Secr3t@127.0.0.1:" + silent.getLocalPort() + "/s");
            CaptureSettings cam = new CaptureSettings(d.cameraId(), d.source(), d.rtspTransport(), 1500, 1500, d.reconnectMinMs(),
                    d.reconnectMaxMs(), 0, d.stallTimeoutMs(), d.maxFramePx());
            CheckResult r = Doctor.checkCamera(cam);
            assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(r.detail()).startsWith("open time-out: no stream from rtsp://***@127.0.0.1:" + silent.getLocalPort() + "/s within 1500 ms")
                    .contains("edgewatch.cameras.mute.open-timeout-ms").doesNotContain("Secr3t").doesNotContain("setFormat");
        }
    }

    @Test
    void wrongPasswordAndNoBrokerAreReported(@TempDir Path tmp) throws Exception {
        Path wrong = tmp.resolve("pw");
        Files.writeString(wrong, "not-it");
        CheckResult refused = Doctor.checkBroker(new DoctorPlan("d", List.of(), List.of(), InterpreterOptions.xnnpack(1),
                Optional.of(mqtt(broker.url(), wrong)), 5, List.of(), 0));
        assertThat(refused.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(refused.detail()).isEqualTo("cannot connect to " + broker.url()
                + ": the broker refused the credentials (edgewatch.mqtt.username / password / password-file)" + clearText(broker.url()));

        CheckResult unset = Doctor.checkBroker(new DoctorPlan("d", List.of(), List.of(), InterpreterOptions.xnnpack(1),
                Optional.empty(), 5, List.of(), 0));
        assertThat(unset.status()).isEqualTo(CheckStatus.WARN);

        CheckResult noCamera = Doctor.checkConfig(new DoctorPlan("d", List.of(), List.of(), InterpreterOptions.xnnpack(1),
                Optional.empty(), 5, List.of(), 0));
        assertThat(noCamera.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(noCamera.detail()).contains("edgewatch.cameras.<id>.source");

        CheckResult full = Doctor.checkStateDir(tmp, Long.MAX_VALUE / (1024 * 1024 * 2));
        assertThat(full.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(full.detail()).contains("MiB free, edgewatch.doctor.min-free-mb requires");
    }
}
