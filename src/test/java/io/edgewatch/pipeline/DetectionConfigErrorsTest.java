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
 * {@code --source} run applies a configured camera's settings. One bad key per launch, so that each one alone is
 * shown to stop start-up.
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

    @QuarkusMainTest
    @TestProfile(MaxDownscaleBelowOne.Profile.class)
    static class MaxDownscaleBelowOne {
        public static class Profile extends BadSetting {
            public Profile() {
                super("regions.max-downscale", "0.5");
            }
        }

        @Test
        void stops(QuarkusMainLauncher launcher) {
            stopsNaming(launcher, "regions.max-downscale", "must be greater than or equal to 1, was 0.5");
        }
    }

    @QuarkusMainTest
    @TestProfile(MotionThresholdZero.Profile.class)
    static class MotionThresholdZero {
        public static class Profile extends BadSetting {
            public Profile() {
                super("motion.threshold", "0");
            }
        }

        @Test
        void stops(QuarkusMainLauncher launcher) {
            stopsNaming(launcher, "motion.threshold", "must be greater than or equal to 1");
        }
    }

    @QuarkusMainTest
    @TestProfile(LightningThresholdAboveOne.Profile.class)
    static class LightningThresholdAboveOne {
        public static class Profile extends BadSetting {
            public Profile() {
                super("motion.lightning-threshold", "1.5");
            }
        }

        @Test
        void stops(QuarkusMainLauncher launcher) {
            stopsNaming(launcher, "motion.lightning-threshold", "must be less than or equal to 1");
        }
    }

    @QuarkusMainTest
    @TestProfile(NegativeDetectFps.Profile.class)
    static class NegativeDetectFps {
        public static class Profile extends BadSetting {
            public Profile() {
                super("detect-fps", "-1");
            }
        }

        @Test
        void stops(QuarkusMainLauncher launcher) {
            stopsNaming(launcher, "detect-fps", "must be 0 (every frame) .. 120");
        }
    }

    @QuarkusMainTest
    @TestProfile(StationaryIntervalZero.Profile.class)
    static class StationaryIntervalZero {
        public static class Profile extends BadSetting {
            public Profile() {
                super("stationary-interval-s", "0");
            }
        }

        @Test
        void stops(QuarkusMainLauncher launcher) {
            stopsNaming(launcher, "stationary-interval-s", "must be greater than or equal to 0.1");
        }
    }

    @QuarkusMainTest
    @TestProfile(MaskWithTwoPoints.Profile.class)
    static class MaskWithTwoPoints {
        public static class Profile extends BadSetting {
            public Profile() {
                super("motion.masks.clock.polygon", "0.1,0.1, 0.5,0.5");
            }
        }

        @Test
        void stops(QuarkusMainLauncher launcher) {
            stopsNaming(launcher, "motion.masks.clock.polygon", "a motion mask polygon needs 3 to 64 points (x,y pairs), got 2");
        }
    }

    @QuarkusMainTest
    @TestProfile(MaskCoordinateOutside.Profile.class)
    static class MaskCoordinateOutside {
        public static class Profile extends BadSetting {
            public Profile() {
                super("motion.masks.clock.polygon", "0.1,0.1, 0.5,0.1, 1.5,0.4");
            }
        }

        @Test
        void stops(QuarkusMainLauncher launcher) {
            stopsNaming(launcher, "motion.masks.clock.polygon", "a motion mask polygon: coordinate 1.5 is outside 0..1");
        }
    }

    @QuarkusMainTest
    @TestProfile(MaskNameWithASpace.Profile.class)
    static class MaskNameWithASpace {
        public static class Profile extends BadSetting {
            public Profile() {
                super("motion.masks.wall clock.polygon", "0.1,0.1, 0.5,0.1, 0.5,0.4");
            }
        }

        @Test
        void stops(QuarkusMainLauncher launcher) {
            // Bean Validation names the map entry (the mask), not its polygon key
            stopsNaming(launcher, "motion.masks.wall clock", "mask names must be 1..64 letters, digits, '-' or '_'");
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
