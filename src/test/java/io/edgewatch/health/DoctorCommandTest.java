package io.edgewatch.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.testsupport.Mosquitto;
import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code edgewatch doctor} as an installer runs it: the real application with a configuration naming vtest.avi as
 * camera {@code front} and a real Mosquitto that requires the password given as a credential file.
 */
@QuarkusMainTest
@TestProfile(DoctorCommandTest.Installed.class)
class DoctorCommandTest {

    /** Configuration of an installed device. */
    public static class Installed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgewatch.device-id", "gate-01",
                    "edgewatch.cameras.front.source", TestPaths.vtest().toString(),
                    "edgewatch.doctor.min-free-mb", "1",
                    "edgewatch.http.token-file", tokenFile(),
                    "quarkus.http.port", "0");
        }

        /** The access token as install.sh leaves it: a file only its owner reads. */
        static String tokenFile() {
            try {
                Path f = Files.createTempDirectory("doctor-token").resolve("http-token");
                Files.writeString(f, "0123456789abcdef0123456789abcdef\n");
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                return f.toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PasswordBroker.class));
        }
    }

    /** A Mosquitto that accepts only gate-01 / s3cret; the password reaches the agent as a file (systemd credential). */
    public static class PasswordBroker implements QuarkusTestResourceLifecycleManager {
        private Mosquitto broker;

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Files.createTempDirectory("doctor-cmd");
                Path passwd = dir.resolve("passwd");
                Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwd.toString(), "gate-01", "s3cret").start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("mosquitto_passwd failed");
                }
                // the broker drops root privileges to user 'mosquitto', which must be able to read the password file
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setPosixFilePermissions(passwd, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                broker = Mosquitto.start("listener ${port} 127.0.0.1\nallow_anonymous false\npassword_file " + passwd + "\n");
                Path cred = dir.resolve("mqtt-password");
                Files.writeString(cred, "s3cret\n");
                return Map.of("edgewatch.mqtt.url", broker.url(), "edgewatch.mqtt.username", "gate-01",
                        "edgewatch.mqtt.password-file", cred.toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            try {
                broker.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    @Launch("doctor")
    void checklistPasses(LaunchResult result) {
        assertThat(result.exitCode()).as(result.getOutput()).isZero();
        String out = result.getOutput();
        assertThat(out).contains("edgewatch doctor, device gate-01", "[OK  ] model ssd-mobilenet-v2-coco", "[OK  ] camera front",
                "768x576", "[WARN] broker", "as gate-01 with password",
                "is not encrypted: edgewatch.mqtt.username, edgewatch.mqtt.password-file cross the network in clear text",
                "[OK  ] http access", "details and metrics need Authorization: Bearer",
                "[OK  ] aot cache", "no AOT cache", // a test JVM has none; systemd/check.sh checks the installed one
                "PASSED: 7 checks, 0 failed, 1 warnings");
    }

    @Test
    @Launch({"doctor", "--json"})
    void jsonReport(LaunchResult result) throws Exception {
        assertThat(result.exitCode()).isZero();
        String line = result.getOutputStream().stream().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("device").asText()).isEqualTo("gate-01");
        assertThat(json.get("passed").asBoolean()).isTrue();
        assertThat(json.get("checks")).hasSize(7);
        assertThat(json.get("checks").get(2).get("name").asText()).isEqualTo("camera front");
        assertThat(json.get("checks").get(2).get("status").asText()).isEqualTo("OK");
    }
}
