package io.edgewatch.capture;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** FFmpeg's error codes in the messages a technician reads carry FFmpeg's own words for them (av_strerror). */
class FfmpegLogTest {

    @Test
    void aCodeGetsFfmpegsWords() {
        assertThat(FfmpegLog.explain("avformat_open_input() error -1094995529: Could not open input \"/tmp/x.avi\"."))
                .isEqualTo("avformat_open_input() error -1094995529 (Invalid data found when processing input): Could not open input \"/tmp/x.avi\".");
        assertThat(FfmpegLog.explain("avformat_open_input() error -21: Could not open input \"/tmp\"."))
                .contains("error -21 (Is a directory):");
        assertThat(FfmpegLog.explain("no code here")).isEqualTo("no code here");
    }

    /** A file that is not a video, opened for real: the reader's error says why in words. */
    @Test
    void aFileThatIsNotAVideoSaysWhy() throws Exception {
        Path junk = Files.createTempFile("not-a-video", ".avi");
        try {
            Files.write(junk, new byte[4096]);
            CaptureSettings cs = CaptureSettings.defaults("junk", junk.toString());
            try (FfmpegFrameReader r = new FfmpegFrameReader(cs, 0)) {
                assertThatThrownBy(r::open).satisfies(e -> assertThat(FfmpegLog.explain(e.getMessage()))
                        .containsPattern("error -\\d+ \\([A-Z][^)]+\\): Could not open input"));
            }
        } finally {
            Files.deleteIfExists(junk);
        }
    }
}
