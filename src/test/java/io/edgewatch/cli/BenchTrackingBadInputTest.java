package io.edgewatch.cli;

import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench-tracking} refuses bad input with exit code 2 and a message, before loading any model: run through picocli
 * in-process (no configuration is read on these paths, so no application is started).
 */
class BenchTrackingBadInputTest {

    record Result(int exitCode, String err) { }

    private static Result run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter picocliErr = new StringWriter();
        try (PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setErr(err);
            CommandLine cl = new CommandLine(new BenchTrackingCommand(null, null));
            cl.setErr(new PrintWriter(picocliErr, true));
            int code = cl.execute(args);
            return new Result(code, bytes.toString(StandardCharsets.UTF_8) + picocliErr);
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void aMalformedGroundTruthLineIsNamedWithItsFileAndLine() throws Exception {
        Path gt = TestPaths.sharedMedia("tracking/TUD-Campus/gt.txt");
        Path video = gt.resolveSibling("TUD-Campus.mp4");
        List<String> lines = new ArrayList<>(Files.readAllLines(gt, StandardCharsets.UTF_8));
        lines.set(4, "5,2,abc,10,20,30,1,-1,-1,-1");
        Path dir = Files.createDirectories(TestPaths.projectRoot().resolve("target/bench-tracking"));
        Path bad = dir.resolve("bad-gt.txt");
        Files.write(bad, lines, StandardCharsets.UTF_8);
        Path mot = dir.resolve("never.txt");
        Files.deleteIfExists(mot);
        Result r = run("--source", video.toString(), "--gt", bad.toString(), "--mot-out", mot.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("edgewatch: " + bad + " line 5: left is not a decimal number: 'abc'");
        assertThat(mot).doesNotExist(); // stopped before the run
        // a seqinfo.ini that is not one
        Path badInfo = dir.resolve("bad-seqinfo.ini");
        Files.writeString(badInfo, "[Sequence]\nname=x\nseqLength=many\nframeRate=25\n");
        Result info = run("--source", video.toString(), "--gt", gt.toString(), "--seqinfo", badInfo.toString(), "--mot-out", mot.toString());
        assertThat(info.exitCode()).isEqualTo(2);
        assertThat(info.err()).contains(badInfo + " line 3: seqLength is not an integer: 'many'");
    }

    @Test
    void missingFilesAndBadOptionsExitTwo() throws Exception {
        Path video = TestPaths.vtest();
        Path mot = Files.createDirectories(TestPaths.projectRoot().resolve("target/bench-tracking")).resolve("never.txt");
        Result noVideo = run("--source", "/nonexistent/clip.mp4", "--mot-out", mot.toString());
        assertThat(noVideo.exitCode()).isEqualTo(2);
        assertThat(noVideo.err()).contains("--source: video file /nonexistent/clip.mp4 does not exist or is not readable");
        Result noGt = run("--source", video.toString(), "--gt", "/nonexistent/gt.txt", "--mot-out", mot.toString());
        assertThat(noGt.exitCode()).isEqualTo(2);
        assertThat(noGt.err()).contains("--gt: ground truth /nonexistent/gt.txt does not exist or is not readable");
        Result noDir = run("--source", video.toString(), "--mot-out", "/nonexistent/dir/out.txt");
        assertThat(noDir.exitCode()).isEqualTo(2);
        assertThat(noDir.err()).contains("--mot-out: folder /nonexistent/dir does not exist or is not writable");
        Result iou = run("--source", video.toString(), "--mot-out", mot.toString(), "--iou", "0");
        assertThat(iou.exitCode()).isEqualTo(2);
        assertThat(iou.err()).contains("--iou must be in (0, 1], was 0.0");
        Result tile = run("--source", video.toString(), "--mot-out", mot.toString(), "--tile", "5");
        assertThat(tile.exitCode()).isEqualTo(2);
        assertThat(tile.err()).contains("--tile must be 1..4, was 5");
        // outputs that cannot be written are refused before the run, not after it
        Path dir = mot.getParent();
        Result motDir = run("--source", video.toString(), "--mot-out", dir.toString());
        assertThat(motDir.exitCode()).isEqualTo(2);
        assertThat(motDir.err()).contains("--mot-out: " + dir + " is a directory; give a file name");
        Result motEmpty = run("--source", video.toString(), "--mot-out", "");
        assertThat(motEmpty.exitCode()).isEqualTo(2);
        assertThat(motEmpty.err()).contains("--mot-out: no file name given");
        Result motProc = run("--source", video.toString(), "--mot-out", "/proc/edgewatch-mot.txt");
        assertThat(motProc.exitCode()).isEqualTo(2);
        assertThat(motProc.err()).contains("--mot-out: /proc/edgewatch-mot.txt cannot be written");
        Result clipDir = run("--source", video.toString(), "--mot-out", mot.toString(), "--tile", "2", "--tile-clip", dir.toString());
        assertThat(clipDir.exitCode()).isEqualTo(2);
        assertThat(clipDir.err()).contains("--tile-clip: " + dir + " is a directory; give a file name");
        Result clipNoTile = run("--source", video.toString(), "--mot-out", mot.toString(), "--tile-clip", dir.resolve("clip.avi").toString());
        assertThat(clipNoTile.exitCode()).isEqualTo(2);
        assertThat(clipNoTile.err()).contains("--tile-clip needs --tile 2..4");
        // ground truth with nothing to score against: every figure would be 0 and look like a result
        Path emptyGt = dir.resolve("empty-gt.txt");
        Files.writeString(emptyGt, "");
        Result noRows = run("--source", video.toString(), "--gt", emptyGt.toString(), "--mot-out", mot.toString());
        assertThat(noRows.exitCode()).isEqualTo(2);
        assertThat(noRows.err()).contains("--gt: ground truth " + emptyGt + " has no rows: nothing to score against");
        Path dncGt = dir.resolve("dnc-gt.txt");
        Files.writeString(dncGt, "1,1,10,10,20,40,0,-1,-1,-1\n2,1,12,10,20,40,0,-1,-1,-1\n");
        Result onlyDnc = run("--source", video.toString(), "--gt", dncGt.toString(), "--mot-out", mot.toString());
        assertThat(onlyDnc.exitCode()).isEqualTo(2);
        assertThat(onlyDnc.err()).contains("has only do-not-care rows");
        Result missing = run("--source", video.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--mot-out=<motOut>'");
        assertThat(mot).doesNotExist();
    }
}
