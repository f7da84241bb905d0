package io.edgewatch.motion;

import io.edgewatch.testsupport.TestPaths;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A still scene with sensor noise, encoded as a camera would (H.264 at 2 or 0.5 Mbit/s with a key frame every 2.5 s, or
 * MJPEG) into target/motion-media and decoded again: the compression artefacts of noise, which change from frame to
 * frame and jump at key frames, are not motion either.
 */
class MotionCompressedNoiseTest {

    @ParameterizedTest(name = "{0} sigma {1} {2} bit/s")
    @CsvSource({"h264,3,2000000", "h264,5,2000000", "h264,5,500000", "mjpeg,5,0"})
    void compressedNoisyStillIsNoMotion(String codec, double sigma, int bitrate) throws Exception {
        int frames = 110;
        Path clip = MotionMedia.workDir().resolve("noisy-still-" + codec + "-" + (int) sigma + "-" + bitrate + (codec.equals("mjpeg") ? ".avi" : ".mp4"));
        String used;
        MotionMedia.seed(7);
        try (Mat still = MotionMedia.frame(TestPaths.vtest(), 0)) {
            used = MotionMedia.encodeNoisyStill(still, sigma, frames,
                    clip, codec.equals("mjpeg") ? avcodec.AV_CODEC_ID_MJPEG : avcodec.AV_CODEC_ID_H264, bitrate);
        }
        int warmup = MotionSettings.DEFAULT_WARMUP_FRAMES + 1;
        int[] motion = new int[1];
        double[] maxChanged = new double[1];
        int n;
        try (MotionDetector d = new MotionDetector(MotionSettings.defaults())) {
            n = MotionMedia.forEachFrame(clip, Integer.MAX_VALUE, (i, f) -> {
                MotionResult r = d.detect(f);
                if (i >= warmup) {
                    motion[0] += r.hasMotion() ? 1 : 0;
                    maxChanged[0] = Math.max(maxChanged[0], r.changedFraction());
                }
            });
        }
        System.out.printf("%s (encoder %s, %d bit/s), noise sigma %.0f: %d motion frames of %d, largest changed fraction %.6f%n",
                codec, used, bitrate, sigma, motion[0], n - warmup, maxChanged[0]);
        assertThat(n).isEqualTo(frames);
        assertThat(motion[0]).isZero();
    }
}
