package io.edgewatch.face;

import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Privacy by default: faces enabled without a declared purpose stop start-up with a clear message. */
@QuarkusMainTest
@TestProfile(FaceStartupTest.NoPurpose.class)
class FaceStartupTest {

    /** Faces enabled, nothing declared. */
    public static class NoPurpose implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgewatch.faces.enabled", "true", "quarkus.http.test-port", "0");
        }
    }

    @Test
    void enabledWithoutPurposeFailsStartUp(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("run", "--source", TestPaths.vtest().toString(), "--max-frames", "5");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.getErrorOutput()).contains("edgewatch.faces.purpose").contains("GDPR Art. 9");
    }
}
