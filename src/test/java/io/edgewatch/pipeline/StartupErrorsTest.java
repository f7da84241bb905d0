package io.edgewatch.pipeline;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input at start-up: a clear message naming the culprit and a non-zero exit, never a crash. */
class StartupErrorsTest {

    @QuarkusMainTest
    static class UnreadableSource {
        @Test
        void namesThePath(QuarkusMainLauncher launcher) {
            LaunchResult r = launcher.launch("run", "--source", "/nonexistent/video.mp4");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.getErrorOutput()).contains("/nonexistent/video.mp4").contains("does not exist");
        }

        @Test
        void refusesADirectoryAsSource(QuarkusMainLauncher launcher) throws Exception {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("not-a-video");
            LaunchResult r = launcher.launch("run", "--source", dir.toString());
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.getErrorOutput()).contains("--source: " + dir + " is a directory, not a video file");
        }

        @Test
        void refusesNotANumberForTheRates(QuarkusMainLauncher launcher) {
            for (String o : new String[]{"--replay-speed", "--detect-fps"}) {
                LaunchResult r = launcher.launch("run", "--source", "x.avi", o, "NaN");
                assertThat(r.exitCode()).as(o).isEqualTo(2);
                assertThat(r.getErrorOutput()).as(o).contains(o + " must be 0..").contains("was NaN");
            }
        }

        @Test
        void rejectsANegativeFrameLimit(QuarkusMainLauncher launcher) {
            LaunchResult r = launcher.launch("run", "--source", "x.avi", "--max-frames", "-5");
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.getErrorOutput()).contains("--max-frames");
        }

        @Test
        void refusesSourceOnlyOptionsWithoutASource(QuarkusMainLauncher launcher) {
            // without --source they were ignored and every configured camera ran (a dead live one kept run alive)
            for (String[] o : new String[][]{{"--camera", "door"}, {"--replay-speed", "1"}, {"--detect-fps", "2"}, {"--motion-gating", "false"}}) {
                LaunchResult r = launcher.launch("run", o[0], o[1], "--max-frames", "5");
                assertThat(r.exitCode()).as(o[0]).isEqualTo(2);
                assertThat(r.getErrorOutput()).as(o[0]).contains(o[0] + " applies to --source only");
            }
        }
    }

    @QuarkusMainTest
    @TestProfile(MissingTokenFile.Profile.class)
    static class MissingTokenFile {
        public static class Profile implements QuarkusTestProfile {
            @Override
            public Map<String, String> getConfigOverrides() {
                return Map.of("edgewatch.http.token-file", "/nonexistent/http-token");
            }
        }

        @Test
        void namesKeyAndFileInOneLine(QuarkusMainLauncher launcher) {
            LaunchResult r = launcher.launch("run", "--source", io.edgewatch.testsupport.TestPaths.vtest().toString());
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.getErrorOutput()).contains("edgewatch: edgewatch.http.token-file /nonexistent/http-token cannot be read")
                    .doesNotContain("Failed to start").doesNotContain("\tat io.quarkus").doesNotContain("camera cam1: started");
        }
    }

    /** Every configured camera disabled, and two keys that contradict each other: configuration errors, exit 1. */
    @QuarkusMainTest
    @TestProfile(EveryCameraDisabled.Profile.class)
    static class EveryCameraDisabled {
        public static class Profile implements QuarkusTestProfile {
            @Override
            public Map<String, String> getConfigOverrides() {
                return Map.of("edgewatch.cameras.gate.source", io.edgewatch.testsupport.TestPaths.vtest().toString(),
                        "edgewatch.cameras.gate.enabled", "false");
            }
        }

        @Test
        void isAConfigurationError(QuarkusMainLauncher launcher) {
            LaunchResult r = launcher.launch("run", "--max-frames", "5");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.getErrorOutput()).contains("edgewatch: no camera to process: every configured camera (gate) has"
                    + " edgewatch.cameras.<id>.enabled=false");
        }
    }

    @QuarkusMainTest
    @TestProfile(ContradictingKeys.Profile.class)
    static class ContradictingKeys {
        public static class Profile implements QuarkusTestProfile {
            @Override
            public Map<String, String> getConfigOverrides() {
                return Map.of("edgewatch.detector.weak-score", "0.9");
            }
        }

        @Test
        void isAConfigurationErrorNamingBoth(QuarkusMainLauncher launcher) {
            LaunchResult r = launcher.launch("run", "--source", io.edgewatch.testsupport.TestPaths.vtest().toString(), "--max-frames", "5");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.getErrorOutput()).contains("edgewatch: edgewatch.detector.weak-score (0.9) must not be above edgewatch.detector.min-score (0.5)")
                    .doesNotContain("camera cam1: started");
        }
    }

    @QuarkusMainTest
    @TestProfile(MissingManifest.Profile.class)
    static class MissingManifest {
        public static class Profile implements QuarkusTestProfile {
            @Override
            public Map<String, String> getConfigOverrides() {
                return Map.of("edgewatch.detector.manifest", "/nonexistent/detector.manifest.json");
            }
        }

        @Test
        void namesTheManifest(QuarkusMainLauncher launcher) {
            LaunchResult r = launcher.launch("run", "--source", io.edgewatch.testsupport.TestPaths.vtest().toString());
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.getErrorOutput()).contains("/nonexistent/detector.manifest.json");
        }
    }

    @QuarkusMainTest
    @TestProfile(MalformedValue.Profile.class)
    static class MalformedValue {
        public static class Profile implements QuarkusTestProfile {
            @Override
            public Map<String, String> getConfigOverrides() {
                return Map.of("edgewatch.detector.threads", "two");
            }
        }

        @Test
        void namesTheKeyAndValue(QuarkusMainLauncher launcher) {
            LaunchResult r = launcher.launch("run", "--source", "x.avi");
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.getErrorOutput()).contains("edgewatch.detector.threads").contains("two");
        }
    }

    @QuarkusMainTest
    @TestProfile(OutOfRange.Profile.class)
    static class OutOfRange {
        public static class Profile implements QuarkusTestProfile {
            @Override
            public Map<String, String> getConfigOverrides() {
                return Map.of("edgewatch.detector.min-score", "1.5", "edgewatch.detectr.threads", "2");
            }
        }

        @Test
        void namesTheKeyAndTheUnknownKey(QuarkusMainLauncher launcher) {
            LaunchResult r = launcher.launch("run", "--source", "x.avi");
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.getErrorOutput()).contains("edgewatch.detector.min-score").contains("less than or equal to 1");
            assertThat(r.getErrorOutput()).contains("edgewatch.detectr.threads");
        }
    }
}
