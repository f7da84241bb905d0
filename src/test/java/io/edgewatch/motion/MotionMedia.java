package io.edgewatch.motion;

import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CapturedFrame;
import io.edgewatch.capture.FfmpegFrameReader;
import io.edgewatch.detect.BoxNorm;
import io.edgewatch.testsupport.TestPaths;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.bytedeco.opencv.global.opencv_core.CV_16SC1;
import static org.bytedeco.opencv.global.opencv_core.CV_16SC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.randn;
import static org.bytedeco.opencv.global.opencv_core.setRNGSeed;

/** Test media for the motion tests: decoded clips, synthetic sensor noise, clips encoded into target/, MOT ground truth. */
final class MotionMedia {
    private MotionMedia() {
    }

    /** Receives one decoded frame (owned by the caller of the callback: do not keep it) and its index from 0. */
    interface FrameSink {
        void accept(int index, Mat bgr) throws Exception;
    }

    /**
     * Decodes up to {@code max} frames of a file and hands each to {@code sink}.
     *
     * @return frames decoded
     */
    static int forEachFrame(Path file, int max, FrameSink sink) throws Exception {
        return forEachFrame(file, max, 0, (i, bgr, grey) -> sink.accept(i, bgr));
    }

    interface FrameAndGreySink {
        void accept(int index, Mat bgr, Mat grey) throws Exception;
    }

    /**
     * Decodes up to {@code max} frames of a file and hands each to {@code sink} with the reader's grey copy of
     * {@code greyWidthPx} (as the capture makes it for motion; null with 0).
     *
     * @return frames decoded
     */
    static int forEachFrame(Path file, int max, int greyWidthPx, FrameAndGreySink sink) throws Exception {
        int n = 0;
        try (FfmpegFrameReader r = new FfmpegFrameReader(CaptureSettings.defaults("motion-test", file.toString()), 0)) {
            r.greyCopy(greyWidthPx);
            r.open();
            while (n < max) {
                CapturedFrame f = r.next();
                if (f == null) {
                    break;
                }
                try (f) {
                    sink.accept(n++, f.image(), f.grey());
                }
            }
        }
        return n;
    }

    /** Frame {@code index} of a file as a new image owned by the caller. */
    static Mat frame(Path file, int index) throws Exception {
        Mat[] out = new Mat[1];
        forEachFrame(file, index + 1, (i, m) -> {
            if (i == index) {
                out[0] = m.clone();
            }
        });
        return out[0];
    }

    /**
     * {@code still} plus Gaussian luminance noise, independent per pixel and frame (mean 0, {@code sigma} grey levels,
     * the same in the three channels as a sensor's luma noise is), saturated to 0..255, written into {@code out}
     * (CV_8UC3). {@code noise} is a scratch buffer.
     */
    static void addNoise(Mat still, double sigma, Mat noise, Mat out) {
        if (noise.empty()) {
            noise.create(still.rows(), still.cols(), CV_16SC1);
        }
        try (Scalar zero = new Scalar(0); Scalar s = new Scalar(sigma);
             Mat mean = new Mat(1, 1, CV_64F, zero); Mat sd = new Mat(1, 1, CV_64F, s)) {
            randn(noise, mean, sd);
        }
        try (Mat wide = new Mat(); Mat noise3 = new Mat(); MatVector planes = new MatVector(noise, noise, noise); Mat none = new Mat()) {
            merge(planes, noise3);
            still.convertTo(wide, CV_16SC3);
            add(wide, noise3, wide, none, CV_16SC3);
            wide.convertTo(out, CV_8UC3);
        }
    }

    static void seed(long s) {
        setRNGSeed((int) s);
    }

    /**
     * Encodes {@code frames} noisy copies of {@code still} into {@code file} with the given codec (for example
     * {@link avcodec#AV_CODEC_ID_H264} at {@code bitrate} bit/s, or MJPEG at qscale 4, where the bitrate is unused),
     * 10 fps, a key frame every 25 frames.
     *
     * @return the codec name the recorder used
     */
    static String encodeNoisyStill(Mat still, double sigma, int frames, Path file, int codecId, int bitrate) throws Exception {
        Files.createDirectories(file.getParent());
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), still.cols(), still.rows(), 0);
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat();
             Mat noise = new Mat(); Mat noisy = new Mat()) {
            rec.setVideoCodec(codecId);
            rec.setFrameRate(10);
            rec.setGopSize(25);
            if (codecId == avcodec.AV_CODEC_ID_MJPEG) {
                rec.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
                rec.setVideoQuality(4); // qscale: a typical camera's JPEG
            } else {
                rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                rec.setVideoBitrate(bitrate);
            }
            rec.start();
            for (int i = 0; i < frames; i++) {
                addNoise(still, sigma, noise, noisy);
                Frame f = conv.convert(noisy);
                rec.record(f);
            }
            var enc = avcodec.avcodec_find_encoder(codecId);
            String name = enc == null || enc.name() == null ? Integer.toString(codecId) : enc.name().getString();
            rec.stop();
            return name;
        }
    }

    /** Folder under target/ for clips the tests make. */
    static Path workDir() throws IOException {
        Path d = TestPaths.projectRoot().resolve("target/motion-media");
        Files.createDirectories(d);
        return d;
    }

    /**
     * MOTChallenge ground truth {@code frame,id,left,top,width,height,flag,...} (pixels, frames from 1), only rows with
     * flag 1, as normalized boxes per frame index from 0.
     */
    static Map<Integer, List<BoxNorm>> groundTruth(Path gt, int width, int height) throws IOException {
        Map<Integer, List<BoxNorm>> out = new TreeMap<>();
        for (String line : Files.readAllLines(gt)) {
            String[] p = line.split(",");
            if (p.length < 7 || !p[6].strip().equals("1")) {
                continue;
            }
            int frame = Integer.parseInt(p[0].strip()) - 1;
            double l = Double.parseDouble(p[2]), t = Double.parseDouble(p[3]);
            double w = Double.parseDouble(p[4]), h = Double.parseDouble(p[5]);
            out.computeIfAbsent(frame, k -> new ArrayList<>())
                    .add(new BoxNorm(l / width, t / height, (l + w) / width, (t + h) / height).clamped());
        }
        return out;
    }
}
