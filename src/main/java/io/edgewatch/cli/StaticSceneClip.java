package io.edgewatch.cli;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_16SC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.randn;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

/**
 * Makes a test clip of a static scene: one still image, repeated, with fresh Gaussian sensor noise on every frame
 * (what a camera pointed at an empty room delivers), encoded with FFmpeg's MPEG-4 part 2 encoder (always built in).
 * Used by {@code bench-cameras --static-scene} and the tests; never shipped media.
 */
public final class StaticSceneClip {
    private StaticSceneClip() {
    }

    /**
     * Writes the clip of one image.
     *
     * @param image      still image (any format OpenCV reads)
     * @param out        output file, {@code .avi} or {@code .mp4}
     * @param seconds    clip length, s, 1..3600
     * @param fps        frame rate, 1..60
     * @param noiseSigma standard deviation of the per-pixel noise, grey levels, 0..50
     * @throws IllegalArgumentException when the image cannot be read or a value is out of range
     */
    public static void write(Path image, Path out, int seconds, double fps, double noiseSigma) throws Exception {
        write(List.of(image), out, seconds, fps, noiseSigma);
    }

    /**
     * Writes a clip of still images shown one after the other, {@code secondsEach} each (e.g. a person standing, then
     * the same place empty). Every image is cropped to the first one's size (even width and height).
     *
     * @throws IllegalArgumentException when an image cannot be read or a value is out of range
     */
    public static void write(List<Path> images, Path out, int secondsEach, double fps, double noiseSigma) throws Exception {
        if (images.isEmpty() || secondsEach < 1 || secondsEach > 3600 || fps < 1 || fps > 60 || noiseSigma < 0 || noiseSigma > 50) {
            throw new IllegalArgumentException("static scene clip: one image or more, seconds 1..3600, fps 1..60, noise 0..50 (was "
                    + images.size() + " images, " + secondsEach + ", " + fps + ", " + noiseSigma + ")");
        }
        List<Mat> stills = new ArrayList<>();
        try (Mat noise = new Mat(); Mat frame = new Mat(); Mat sum = new Mat();
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat();
             Mat mean = new Mat(1, 1, CV_64F, new Scalar(0)); Mat sigma = new Mat(1, 1, CV_64F, new Scalar(noiseSigma))) {
            int w = 0;
            int h = 0;
            for (Path image : images) {
                if (!Files.isReadable(image)) {
                    throw new IllegalArgumentException("static scene image " + image + " does not exist or is not readable");
                }
                try (Mat still = imread(image.toString())) {
                    if (still.empty()) {
                        throw new IllegalArgumentException("static scene image " + image + " is not an image OpenCV can read");
                    }
                    if (w == 0) {
                        w = still.cols() & ~1;
                        h = still.rows() & ~1;
                    }
                    if (still.cols() < w || still.rows() < h) {
                        throw new IllegalArgumentException("static scene image " + image + " is smaller than the first (" + w + "x" + h + ")");
                    }
                    try (Mat crop = new Mat(still, new Rect(0, 0, w, h))) {
                        Mat s16 = new Mat();
                        crop.convertTo(s16, CV_16SC3);
                        stills.add(s16);
                    }
                }
            }
            io.edgewatch.capture.FfmpegLog.install(); // FFmpeg's messages through the log, not on stderr
            try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 0)) {
                rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                rec.setFormat(out.toString().endsWith(".mp4") ? "mp4" : "avi");
                rec.setFrameRate(fps);
                rec.setVideoQuality(3); // qscale: a clean picture, so the noise is the camera's, not the encoder's
                rec.setGopSize((int) Math.round(fps * 2));
                rec.start();
                int frames = (int) Math.round(secondsEach * fps);
                for (Mat base16 : stills) {
                    for (int i = 0; i < frames; i++) {
                        noise.create(h, w, CV_16SC3);
                        randn(noise, mean, sigma);
                        add(base16, noise, sum);
                        sum.convertTo(frame, CV_8UC3);
                        rec.record(conv.convert(frame));
                    }
                }
                rec.stop();
            }
        } finally {
            for (Mat m : stills) {
                m.close();
            }
        }
    }
}
