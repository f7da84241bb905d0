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
 * {@code bench} on the real video and model: the table, the warm-up pass's cold ratio and the last line
 * {@code ratio <x>} are printed (no speed is asserted here: the figures belong in the README and the issue note);
 * bad options exit 2 with a message.
 */
@QuarkusMainTest
@TestProfile(BenchCommandTest.Profile.class)
class BenchCommandTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgewatch.detector.manifest", TestPaths.detectorManifest().toString());
        }
    }

    @Test
    void printsStagesColdRatioAndRatioLast(QuarkusMainLauncher launcher) {
        // --progress forces the progress lines (standard error is not a terminal here): they go to standard error only
        LaunchResult r = launcher.launch("bench", "--source", TestPaths.vtest().toString(), "--frames", "90", "--threads", "1", "--progress",
                "--run-baseline");
        assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
        List<String> out = r.getOutputStream();
        assertThat(out).noneSatisfy(l -> assertThat(l).startsWith("bench:"));
        List<String> progress = r.getErrorStream().stream().filter(l -> l.startsWith("bench: ")).toList();
        // 90 frames in each of the warm-up, timed, run and baseline run passes
        assertThat(progress.get(0)).isEqualTo("bench: 0/360 frames  0%  elapsed 0:00");
        assertThat(progress.subList(1, progress.size() - 1)).allSatisfy(l -> assertThat(l)
                .matches("bench: (warm-up pass 1/1|timed pass|run pass)  \\d+/360 frames  \\d+%  elapsed \\d+:\\d\\d( {2}left \\d+:\\d\\d)?"));
        assertThat(progress.get(progress.size() - 1)).matches("bench: done  360/360 frames  in \\d+:\\d\\d");
        for (String stage : List.of("decode", "preprocess", "invoke", "postprocess", "track", "publish", "pipeline", "raw_invoke")) {
            assertThat(out).as(stage).anySatisfy(l -> assertThat(l).matches(stage + " +\\d+\\.\\d{3} +\\d+\\.\\d{3}"));
        }
        // the track stage on crowded frames is its own row (figures, or "-" when no frame had 20 detections), and the
        // people in view are counted: vtest.avi shows about 5 to 15 people at a time
        assertThat(out).anySatisfy(l -> assertThat(l).matches("track@20\\+ +(\\d+\\.\\d{3} +\\d+\\.\\d{3}|- +-)"));
        String people = out.stream().filter(l -> l.startsWith("people ")).findFirst().orElseThrow();
        java.util.regex.Matcher pm = java.util.regex.Pattern.compile(
                "people \\(detections per analysed frame\\) median (\\d+) max (\\d+); frames with >= 20: (\\d+)").matcher(people);
        assertThat(pm.matches()).as(people).isTrue();
        assertThat(Integer.parseInt(pm.group(1))).as(people).isBetween(2, 20);
        assertThat(Integer.parseInt(pm.group(2))).as(people).isGreaterThanOrEqualTo(Integer.parseInt(pm.group(1)));
        assertThat(Integer.parseInt(pm.group(3))).as(people).isLessThanOrEqualTo(60);
        // the run pass as 'run' wires a file analysed as fast as possible (an interpreter per core, as many rounds in
        // flight), and the baseline: one interpreter (of --threads 1), one round in flight
        int cores = Runtime.getRuntime().availableProcessors();
        String runRe = "run_ms_per_frame (\\d+\\.\\d{3}) raw_invoke_ms (\\d+\\.\\d{3}) run_ratio (\\d+\\.\\d{3}) \\(raw invoke / run ms per frame, 60 frames;"
                + " run: %d interpreter\\(s\\) x 1 thread\\(s\\), %d round\\(s\\) in flight; target >= 0.95\\)";
        String run = out.stream().filter(l -> l.startsWith("run_ms_per_frame ")).findFirst().orElseThrow();
        java.util.regex.Matcher rm = java.util.regex.Pattern.compile(String.format(runRe, Math.min(cores, 16), Math.min(cores, 4))).matcher(run);
        assertThat(rm.matches()).as(run).isTrue();
        // raw invoke / run ms per frame; on 2 cores the two interpreters make it about 1 (0.9 to 1.1 on a quiet machine)
        assertThat(Double.parseDouble(rm.group(3))).as(run).isGreaterThan(0.3).isLessThan(4.0);
        assertThat(Double.parseDouble(rm.group(3))).as(run)
                .isCloseTo(Double.parseDouble(rm.group(2)) / Double.parseDouble(rm.group(1)), org.assertj.core.data.Offset.offset(0.002));
        String baseline = out.stream().filter(l -> l.startsWith("baseline ")).findFirst().orElseThrow();
        assertThat(baseline.substring("baseline ".length())).matches(String.format(runRe, 1, 1));
        // 90 frames, 30 of them warm-up in each pass: 60 timed frames
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("frames 60 "));
        assertThat(out).anySatisfy(l -> assertThat(l).matches("cold_ratio \\d+\\.\\d{3} .*"));
        // the table's last line (the test launcher also captures log lines on standard output)
        List<String> table = out.stream().filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).toList();
        String last = table.get(table.size() - 1);
        assertThat(last).matches("ratio \\d+\\.\\d{3}");
        double ratio = Double.parseDouble(last.substring("ratio ".length()));
        // pipeline time per frame includes decode and invoke, so it is not far below their sum; but the raw invoke is timed
        // after the pass, and on a shared 2-core machine the load then can differ (CI saw 0.868: invoke 37 ms in the
        // pass, 47 ms raw), so only a gross error (units, a wrong denominator) is caught here
        assertThat(ratio).isGreaterThan(0.7).isLessThan(5.0);
    }

    @Test
    void badOptionsExitTwoWithAMessage(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult passes = launcher.launch("bench", "--source", TestPaths.vtest().toString(), "--warmup-passes", "11");
        assertThat(passes.exitCode()).isEqualTo(2);
        assertThat(passes.getErrorOutput()).contains("--warmup-passes must be 0..10, was 11");
        // --frames within the warm-up is the option's fault, not the file's (vtest.avi has 795 frames)
        LaunchResult few = launcher.launch("bench", "--source", TestPaths.vtest().toString(), "--frames", "20");
        assertThat(few.exitCode()).isEqualTo(2);
        assertThat(few.getErrorOutput()).contains("--frames must be 0 (the whole file) or more than 30").contains("was 20")
                .doesNotContain("has 20 frames");
        LaunchResult missing = launcher.launch("bench", "--source", "/nonexistent/clip.mp4");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.getErrorOutput()).contains("video file /nonexistent/clip.mp4 does not exist or is not readable");
        // a file of random bytes named .mp4: refused naming the file, FFmpeg's reason, without JavaCV's hints or a trace
        java.nio.file.Path noise = TestPaths.randomBytesFile(".mp4", 200_000);
        LaunchResult bad = launcher.launch("bench", "--source", noise.toString());
        assertThat(bad.exitCode()).as(bad.getErrorOutput()).isEqualTo(2);
        assertThat(bad.getErrorOutput()).contains("video file " + noise + " cannot be decoded: ").contains("Invalid data found when processing input")
                .doesNotContain("Has setFormat()").doesNotContain("FFmpegLogCallback").doesNotContain("\tat org.bytedeco");
    }
}
