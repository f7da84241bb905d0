package io.edgewatch.pipeline;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A camera's ca-file that does not exist stops start-up before any camera or model, naming the key and the file. */
@QuarkusMainTest
@TestProfile(CameraTlsStartupTest.Profile.class)
class CameraTlsStartupTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgewatch.cameras.gate.source", "rtsps://viewer:Secr3t-pw@camera.invalid/stream",
                    "edgewatch.cameras.gate.ca-file", "/nonexistent/gate-ca.pem");
        }
    }

    @Test
    void missingCaFileStopsStartUp(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("run");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.getErrorOutput()).contains("edgewatch.cameras.gate.ca-file: CA file /nonexistent/gate-ca.pem does not exist")
                .doesNotContain("Secr3t-pw");
    }
}
