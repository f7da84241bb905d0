package io.edgewatch.pipeline;

import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, "Bad input": a motion mask, region or detection-rate setting out of range stops start-up with a non-zero
 * exit and a message naming the full key ({@code edgewatch.cameras.<id>....}) and why. The bad value is on configured
 * camera {@code front}, and the agent is launched as {@code run --source vtest.avi --camera front}, the only way a
 * {@code --source} run applies a configured camera's settings. Each launch boots Quarkus (about 6 s), so one bad key
 * shows the whole path (Bean Validation at start-up, the message, the exit code); the reason given for every other
 * motion, mask, region and rate key is asserted on the same mapping in {@code ConfigFuzzTest.detectionKeysSayWhy}.
 */
class DetectionConfigErrorsTest {
    static final String CAMERA = "edgewatch.cameras.front.";

    /** Camera {@code front} on vtest.avi with one bad setting. */
    public abstract static class BadSetting implements QuarkusTestProfile {
        private final String key;
        private final String value;

        BadSetting(String key, String value) {
            this.key = key;
            this.value = value;
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(CAMERA + "source", TestPaths.vtest().toString(), CAMERA + key, value);
        }
    }

    /** Launches the agent on camera {@code front} and checks that it stops naming {@code key} with {@code why}. */
    static void stopsNaming(QuarkusMainLauncher launcher, String key, String why) {
        // --max-frames bounds the run should the setting be accepted
        LaunchResult r = launcher.launch("run", "--source", TestPaths.vtest().toString(), "--camera", "front", "--max-frames", "5");
        String err = r.getErrorOutput();
        assertThat(r.exitCode()).as("exit code; error output:%n%s", err).isNotZero();
        assertThat(err).contains(CAMERA + key).contains(why);
    }

    @QuarkusMainTest
    @TestProfile(MaxRegionsZero.Profile.class)
    static class MaxRegionsZero {
        public static class Profile extends BadSetting {
            public Profile() {
                super("regions.max-regions", "0");
            }
        }

        @Test
        void stops(QuarkusMainLauncher launcher) {
            stopsNaming(launcher, "regions.max-regions", "must be greater than or equal to 1, was 0");
        }
    }

    /** A good mask on camera {@code front}, and a {@code --source} run that does not name it: it says the mask is not used. */
    @QuarkusMainTest
    @TestProfile(MaskOfAnotherCamera.Profile.class)
    static class MaskOfAnotherCamera {
        public static class Profile implements QuarkusTestProfile {
            @Override
            public Map<String, String> getConfigOverrides() {
                return Map.of(CAMERA + "source", TestPaths.vtest().toString(), CAMERA + "motion.masks.clock.polygon", "0.1,0.1, 0.5,0.1, 0.5,0.4");
            }
        }

        @Test
        void saysItDoesNotApply(QuarkusMainLauncher launcher) {
            LaunchResult r = launcher.launch("run", "--source", TestPaths.vtest().toString(), "--max-frames", "5");
            String out = r.getOutput() + "\n" + r.getErrorOutput();
            assertThat(r.exitCode()).as("exit code; output:%n%s", out).isZero();
            assertThat(out).contains("camera cam1 is not a configured camera (configured: front): no zones, lines or motion masks apply to --source");
        }
    }
}
