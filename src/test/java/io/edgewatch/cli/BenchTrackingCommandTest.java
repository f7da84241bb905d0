package io.edgewatch.cli;

import io.edgewatch.eval.MotChallenge;
import io.edgewatch.eval.MotRow;
import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench-tracking} on the real model and the MOT15 TUD sequences (../shared/media/tracking; skipped when
 * absent): the MOT file's format and id mapping, the scores on TUD-Stadtmitte, the wide-view target of issue 9 (a 2x2 tiling of
 * TUD-Stadtmitte keeps at least 0.9 of the untiled recall with regions). Bad input: {@link BenchTrackingBadInputTest}.
 */
@QuarkusMainTest
@TestProfile(BenchTrackingCommandTest.Profile.class)
class BenchTrackingCommandTest {
    private static final Pattern ROW = Pattern.compile("\\d+,\\d+,-?\\d+(\\.\\d+)?,-?\\d+(\\.\\d+)?,\\d+(\\.\\d+)?,\\d+(\\.\\d+)?,"
            + "[01](\\.\\d+)?,-1,-1,-1");
    private static final Pattern SUMMARY = Pattern.compile("mota (-?\\d+\\.\\d{3}) idf1 (\\d\\.\\d{3}) hota (\\d\\.\\d{3}) idsw (\\d+)");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgewatch.detector.manifest", TestPaths.detectorManifest().toString());
        }
    }

    private static Path out(String name) throws Exception {
        Path dir = TestPaths.projectRoot().resolve("target/bench-tracking");
        Files.createDirectories(dir);
        return dir.resolve(name);
    }

    /** Standard output without the log lines the test launcher also captures there. */
    private static List<String> stdout(LaunchResult r) {
        return r.getOutputStream().stream().filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).toList();
    }

    private static double figure(List<String> out, String line, String name) {
        for (String l : out) {
            if (l.startsWith(line + " ")) {
                Matcher m = Pattern.compile(" " + name + " (-?\\d+(\\.\\d+)?)").matcher(l);
                if (m.find()) {
                    return Double.parseDouble(m.group(1));
                }
            }
        }
        throw new AssertionError("no '" + name + "' on a '" + line + "' line in " + out);
    }

    /**
     * The MOT file of a run: one row per confirmed track per matched frame, frames 1..{@code frames}, pixels clamped
     * to the {@code width} x {@code height} frame as events publish them; its ids map one-to-one to the events' track
     * ids (the ids file), every id in the file is mapped, and the run's summary counts them.
     */
    private static void assertMotFile(Path mot, List<String> out, int frames, int width, int height) throws Exception {
        List<String> lines = Files.readAllLines(mot, StandardCharsets.UTF_8);
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches(ROW));
        List<MotRow> rows = MotChallenge.read(mot);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.frame()).isBetween(1, frames);
            assertThat(row.left()).isBetween(0.0, (double) width);
            assertThat(row.top()).isBetween(0.0, (double) height);
            assertThat(row.left() + row.width()).isBetween(0.0, (double) width);
            assertThat(row.top() + row.height()).isBetween(0.0, (double) height);
        });
        Map<Integer, String> ids = new HashMap<>();
        for (String l : Files.readAllLines(BenchTrackingCommand.idsFile(mot), StandardCharsets.UTF_8)) {
            Matcher m = Pattern.compile("mot id (\\d+) = track (bench-tracking-(\\d+))").matcher(l);
            assertThat(m.matches()).as(l).isTrue();
            assertThat(m.group(3)).isEqualTo(m.group(1));
            assertThat(ids.put(Integer.parseInt(m.group(1)), m.group(2))).isNull();
        }
        Set<Integer> used = new TreeSet<>();
        rows.forEach(row -> used.add(row.id()));
        assertThat(ids.keySet()).isEqualTo(used);
        assertThat(new TreeSet<>(ids.values())).hasSize(ids.size());
        assertThat(out).anySatisfy(l -> assertThat(l).contains("rows " + rows.size() + " ").contains("track_ids " + ids.size() + " "));
        assertThat(out).anySatisfy(l -> assertThat(l).isEqualTo("frames gt " + frames + " video " + frames + " result "
                + rows.stream().map(MotRow::frame).distinct().count() + " scored " + frames + " missing 0"));
    }

    /**
     * TUD-Stadtmitte (179 frames, 640x480, 10 people) untiled: the MOT file, its ids and the scores; then tiled 2x2
     * into 1280x960 with regions: at least 0.9 of the untiled recall (issue 9). One sequence for both keeps the test
     * to two runs of the command (TUD-Campus is scored by hand, README "Tracking quality").
     */
    @Test
    void aTwoByTwoWideViewKeepsNinetyPercentOfTheRecallWithRegions(QuarkusMainLauncher launcher) throws Exception {
        Path gt = TestPaths.sharedMedia("tracking/TUD-Stadtmitte/gt.txt");
        Path video = gt.resolveSibling("TUD-Stadtmitte.mp4");
        LaunchResult plain = launcher.launch("bench-tracking", "--source", video.toString(), "--gt", gt.toString(),
                "--mot-out", out("stadtmitte.txt").toString());
        assertThat(plain.exitCode()).as(plain.getErrorOutput()).isZero();
        Path clip = out("stadtmitte-2x2.avi");
        LaunchResult tiled = launcher.launch("bench-tracking", "--source", video.toString(), "--gt", gt.toString(), "--tile", "2",
                "--tile-clip", clip.toString(), "--mot-out", out("stadtmitte-2x2.txt").toString());
        assertThat(tiled.exitCode()).as(tiled.getErrorOutput()).isZero();
        // the before figure (the same wide view with gating off: the whole 1280x960 frame shrunk into the model input,
        // recall 0.499 on 2026-12-02) is measured by hand with --gating false, not here: it asserts nothing
        List<String> p = stdout(plain);
        List<String> t = stdout(tiled);
        p.forEach(l -> System.out.println("Stadtmitte: " + l));
        t.forEach(l -> System.out.println("Stadtmitte 2x2 regions: " + l));
        assertMotFile(out("stadtmitte.txt"), p, 179, 640, 480);
        // people in view from the first frame: their tracks are confirmed on frame 3 (min-hits 3), and the frames they
        // were matched in before that are written under the same id, so frame 1 has rows
        assertThat(MotChallenge.read(out("stadtmitte.txt"))).anySatisfy(r -> assertThat(r.frame()).isEqualTo(1));
        Matcher s = SUMMARY.matcher(p.get(p.size() - 1));
        assertThat(s.matches()).as(p.get(p.size() - 1)).isTrue();
        // measured 2026-12-07: mota 0.739 idf1 0.724 hota 0.519 idsw 10, 10 track ids for 10 people
        assertThat(Double.parseDouble(s.group(1))).isGreaterThan(0.5);
        assertThat(Double.parseDouble(s.group(2))).isGreaterThan(0.5);
        assertThat(Double.parseDouble(s.group(3))).isGreaterThan(0.35);
        assertThat(t).anySatisfy(l -> assertThat(l).contains(" frames 179 ").contains(" size 1280x960 ").contains(" gating on "));
        assertThat(t).anySatisfy(l -> assertThat(l).contains("people 40 "));
        assertThat(Files.size(clip)).isPositive();
        double recall = figure(p, "clear", "recall");
        double recallTiled = figure(t, "clear", "recall");
        System.out.printf("wide view recall: untiled %.3f, 2x2 with regions %.3f (%.2f x)%n", recall, recallTiled, recallTiled / recall);
        // measured 2026-12-02: 0.761, 0.722 (0.95 x), 0.499 (0.66 x)
        assertThat(recall).isGreaterThan(0.6);
        assertThat(recallTiled).as("issue 9: recall on the 2x2 wide view >= 0.9 x untiled").isGreaterThanOrEqualTo(0.9 * recall);
    }
}
