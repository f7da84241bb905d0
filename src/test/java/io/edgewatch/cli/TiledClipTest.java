package io.edgewatch.cli;

import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CapturedFrame;
import io.edgewatch.capture.FfmpegFrameReader;
import io.edgewatch.eval.MotRow;
import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TiledClipTest {

    @Test
    void groundTruthIsRepeatedPerTileWithOffsetsAndDistinctIds() {
        List<MotRow> gt = List.of(new MotRow(3, 7, 10, 20, 30, 40, 1, 5, 6, 7), MotRow.doNotCare(4, 8, 0, 0, 5, 5));
        List<MotRow> t = TiledClip.groundTruth(gt, 2, 640, 480);
        assertThat(t).hasSize(8);
        assertThat(t).filteredOn(r -> r.frame() == 3).containsExactly(
                new MotRow(3, 7, 10, 20, 30, 40, 1, 5, 6, 7),
                new MotRow(3, 100_007, 650, 20, 30, 40, 1, 5, 6, 7),
                new MotRow(3, 200_007, 10, 500, 30, 40, 1, 5, 6, 7),
                new MotRow(3, 300_007, 650, 500, 30, 40, 1, 5, 6, 7));
        assertThat(t).filteredOn(r -> r.frame() == 4).allMatch(MotRow::doNotCare);
        assertThatThrownBy(() -> TiledClip.groundTruth(List.of(MotRow.gt(1, 100_000, 0, 0, 1, 1)), 2, 640, 480))
                .hasMessageContaining("id 100000");
        assertThatThrownBy(() -> TiledClip.groundTruth(gt, 5, 640, 480)).hasMessageContaining("--tile must be 1..4");
    }

    @Test
    void clipShowsTheSameFrameInEveryQuadrant() throws Exception {
        Path src = TestPaths.sharedMedia("tracking/TUD-Campus/TUD-Campus.mp4");
        Path out = TestPaths.projectRoot().resolve("target/tiled-campus-test.avi");
        Files.createDirectories(out.getParent());
        TiledClip.Info info = TiledClip.write(src, out, 2);
        assertThat(info.width()).isEqualTo(640);
        assertThat(info.height()).isEqualTo(480);
        assertThat(info.frames()).isEqualTo(71);
        try (FfmpegFrameReader r = new FfmpegFrameReader(CaptureSettings.defaults("t", out.toString()), 0)) {
            r.open();
            int n = 0;
            CapturedFrame f;
            while ((f = r.next()) != null) {
                try (CapturedFrame frame = f) {
                    assertThat(frame.width()).isEqualTo(1280);
                    assertThat(frame.height()).isEqualTo(960);
                    if (n == 50) {
                        // the four quadrants are the same picture, up to the encoder's error
                        var m = frame.image();
                        var ind = m.createIndexer();
                        double diff = 0;
                        int samples = 0;
                        for (int y = 0; y < 480; y += 16) {
                            for (int x = 0; x < 640; x += 16) {
                                for (int[] o : new int[][]{{640, 0}, {0, 480}, {640, 480}}) {
                                    diff += Math.abs(((org.bytedeco.javacpp.indexer.UByteIndexer) ind).get(y, x, 1)
                                            - ((org.bytedeco.javacpp.indexer.UByteIndexer) ind).get(y + o[1], x + o[0], 1));
                                    samples++;
                                }
                            }
                        }
                        ind.close();
                        assertThat(diff / samples).as("mean abs difference between quadrants").isLessThan(4);
                    }
                }
                n++;
            }
            assertThat(n).isEqualTo(71);
        }
    }
}
