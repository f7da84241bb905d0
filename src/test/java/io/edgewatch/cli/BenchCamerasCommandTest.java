package io.edgewatch.cli;

import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench-cameras}, short: two cameras of vtest.avi on the shared detector for a few seconds, then the static
 * scene (skimage's astronaut photo with sensor noise, no movement) with gating off and on. Asserts what it prints and
 * what does not depend on the machine's speed: both cameras decode at the file's 10 fps and are served, and on the
 * static scene gating leaves the detector nearly idle (only full-frame passes) while gating off detects every round.
 */
@QuarkusMainTest
@TestProfile(BenchCamerasCommandTest.Profile.class)
class BenchCamerasCommandTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgewatch.detector.manifest", TestPaths.detectorManifest().toString());
        }
    }

    @Test
    void printsPerCameraAndProcessFiguresAndTheStaticSceneSaving(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("bench-cameras", "--source", TestPaths.vtest().toString(), "--cameras", "2",
                "--warmup-s", "3", "--duration-s", "6", "--compare-gating", "--static-scene",
                TestPaths.fetchedMedia("astronaut.png").toString(), "--compare-warmup-s", "12", "--compare-s", "6");
        assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
        List<String> out = r.getOutputStream();
        System.out.println(String.join("\n", out));
        List<String> cams = out.stream().filter(l -> l.matches("cam[12] .*")).toList();
        assertThat(cams).hasSize(2);
        for (String c : cams) {
            String[] f = c.trim().split("\\s+");
            assertThat(Double.parseDouble(f[1])).as("decoded fps of %s", c).isBetween(8.0, 12.0);
            assertThat(Double.parseDouble(f[3])).as("detection fps of %s", c).isPositive();
            // latency of the measured window's frames with events (vtest has people in every second): at least the
            // detector's own time, and never more than the whole run
            double p50 = Double.parseDouble(f[5]);
            double p95 = Double.parseDouble(f[6]);
            assertThat(p50).as("p50 latency of %s", c).isBetween(5.0, 9000.0);
            assertThat(p95).as("p95 latency of %s", c).isBetween(p50, 9000.0);
        }
        assertThat(out).anySatisfy(l -> assertThat(l).matches("process cpu_cores \\d+\\.\\d\\d .*"));
        double off = value(out, "gating off: cpu_cores [0-9.]+ detection_fps ([0-9.]+)");
        double on = value(out, "gating on:  cpu_cores [0-9.]+ detection_fps ([0-9.]+) motion_fps [0-9.]+");
        // gating off: 5 rounds a second; on: no motion and the person in the photo stationary after 10 s (the warm-up is
        // 12 s), so only the full-frame pass and the stationary re-check, each every 10 s, run the detector
        assertThat(off).isBetween(4.0, 5.5);
        assertThat(on).isLessThan(off * 0.15);
        assertThat(out).anySatisfy(l -> assertThat(l).matches("gating_cpu_ratio \\d+\\.\\d{3} .*static scene astronaut.png.*"));
        // the last line of the command's own output (the test launcher also captures log lines on standard output)
        List<String> own = out.stream().filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).toList();
        String last = own.get(own.size() - 1);
        assertThat(last).matches("cameras 2 detection_fps_min \\d+\\.\\d\\d cpu_cores \\d+\\.\\d\\d rss_mb \\d+");
    }

    @Test
    void badOptionsExitTwoWithAMessage(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult r = launcher.launch("bench-cameras", "--source", TestPaths.vtest().toString(), "--cameras", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.getErrorOutput()).contains("--cameras");
        // vtest.avi lasts 79.5 s; the files are not looped, so a longer run is refused rather than diluted
        LaunchResult tooLong = launcher.launch("bench-cameras", "--source", TestPaths.vtest().toString(), "--duration-s", "90");
        assertThat(tooLong.exitCode()).isEqualTo(2);
        assertThat(tooLong.getErrorOutput()).contains("lasts 79.5 s, the run needs 95 s");
        LaunchResult missing = launcher.launch("bench-cameras", "--source", "/nonexistent/clip.avi");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.getErrorOutput()).contains("/nonexistent/clip.avi");
        // a file of random bytes named .mp4: refused naming the file, FFmpeg's reason, without JavaCV's hints or a trace
        java.nio.file.Path noise = TestPaths.randomBytesFile(".mp4", 200_000);
        LaunchResult bad = launcher.launch("bench-cameras", "--source", noise.toString());
        assertThat(bad.exitCode()).as(bad.getErrorOutput()).isEqualTo(2);
        assertThat(bad.getErrorOutput()).contains("--source: video file " + noise + " cannot be decoded: ").contains("Invalid data found when processing input")
                .doesNotContain("Has setFormat()").doesNotContain("FFmpegLogCallback").doesNotContain("\tat org.bytedeco");
        // --static-scene is checked before the main run (it used to fail after it), and only with --compare-gating
        LaunchResult badImage = launcher.launch("bench-cameras", "--source", TestPaths.vtest().toString(), "--compare-gating",
                "--static-scene", noise.toString());
        assertThat(badImage.exitCode()).as(badImage.getErrorOutput()).isEqualTo(2);
        assertThat(badImage.getErrorOutput()).contains("--static-scene: static scene image " + noise + " is not an image OpenCV can read");
        assertThat(badImage.getOutput()).as("refused before the main run started").doesNotContain("sources [").doesNotContain("cpu_cores");
        LaunchResult alone = launcher.launch("bench-cameras", "--source", TestPaths.vtest().toString(), "--static-scene",
                TestPaths.fetchedMedia("astronaut.png").toString());
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.getErrorOutput()).contains("--static-scene is the clip of --compare-gating");
    }

    private static double value(List<String> out, String regex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        for (String l : out) {
            java.util.regex.Matcher m = p.matcher(l.trim());
            if (m.matches()) {
                return Double.parseDouble(m.group(1));
            }
        }
        throw new AssertionError("no line matching " + regex + " in\n" + String.join("\n", out));
    }
}
