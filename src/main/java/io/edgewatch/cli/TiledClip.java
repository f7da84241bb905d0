package io.edgewatch.cli;

import io.edgewatch.eval.MotRow;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/**
 * A wide view made from an ordinary clip: every output frame shows the same input frame {@code n x n} times
 * ({@code nW x nH} pixels, each person at 1/n of their relative size), encoded as MPEG-4 part 2 like
 * {@link StaticSceneClip}; and the matching ground truth, each box repeated in every tile with its offset and its id
 * shifted by {@link #ID_OFFSET} per tile so that the copies stay distinct identities. Tiles are numbered row by row:
 * tile {@code k} is at column {@code k % n}, row {@code k / n}, offset {@code (col W, row H)}, ids
 * {@code id + k * ID_OFFSET}. Used by {@code bench-tracking --tile} and the tests; the clip is test material, never
 * shipped.
 */
public final class TiledClip {
    /** Id shift per tile. */
    public static final int ID_OFFSET = 100_000;

    private TiledClip() {
    }

    /**
     * What was tiled.
     *
     * @param width  source width, pixels
     * @param height source height, pixels
     * @param frames frames written
     * @param fps    frame rate of the clip, Hz
     */
    public record Info(int width, int height, int frames, double fps) { }

    /**
     * Writes the tiled clip.
     *
     * @param source video file
     * @param out    output file, {@code .avi} (default) or {@code .mp4}
     * @param n      tiles per side, 1..4
     * @throws IllegalArgumentException when the source is missing or {@code n} is out of range
     */
    public static Info write(Path source, Path out, int n) throws Exception {
        checkTiles(n);
        if (!Files.isReadable(source)) {
            throw new IllegalArgumentException("video file " + source + " does not exist or is not readable");
        }
        io.edgewatch.capture.FfmpegLog.install(); // FFmpeg's messages through the log, not its stream dump on stderr
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(source.toFile());
             OpenCVFrameConverter.ToMat in = new OpenCVFrameConverter.ToMat();
             OpenCVFrameConverter.ToMat outConv = new OpenCVFrameConverter.ToMat()) {
            grabber.start();
            int w = grabber.getImageWidth();
            int h = grabber.getImageHeight();
            double fps = grabber.getFrameRate() > 0 && grabber.getFrameRate() < 1000 ? grabber.getFrameRate() : 25;
            int frames = 0;
            try (Mat tiled = new Mat(n * h, n * w, CV_8UC3);
                 FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), n * w, n * h, 0)) {
                rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                rec.setFormat(out.toString().endsWith(".mp4") ? "mp4" : "avi");
                rec.setFrameRate(fps);
                rec.setVideoQuality(2); // qscale 2: close to the source, so the tiling, not the encoder, is measured
                rec.setGopSize((int) Math.round(fps * 2));
                rec.start();
                Frame f;
                while ((f = grabber.grabImage()) != null) {
                    Mat m = in.convert(f);
                    if (m == null || m.empty()) {
                        continue;
                    }
                    if (m.cols() != w || m.rows() != h || m.type() != CV_8UC3) {
                        throw new IllegalArgumentException("video file " + source + ": frame " + (frames + 1) + " is "
                                + m.cols() + "x" + m.rows() + " type " + m.type() + ", expected " + w + "x" + h + " BGR");
                    }
                    for (int k = 0; k < n * n; k++) {
                        try (Mat tile = new Mat(tiled, new Rect((k % n) * w, (k / n) * h, w, h))) {
                            m.copyTo(tile);
                        }
                    }
                    rec.record(outConv.convert(tiled));
                    frames++;
                }
                rec.stop();
            }
            grabber.stop();
            return new Info(w, h, frames, fps);
        }
    }

    /**
     * The ground truth of the tiled clip: every row repeated in each tile, moved by the tile's offset, its id plus
     * {@code k * ID_OFFSET}; flag and world coordinates kept. Rows come out tile by tile.
     *
     * @param width  source width, pixels
     * @param height source height, pixels
     * @throws IllegalArgumentException when an id is outside {@code 0..ID_OFFSET-1} (the copies would collide) or
     *                                  {@code n} is out of range
     */
    public static List<MotRow> groundTruth(List<MotRow> gt, int n, int width, int height) {
        checkTiles(n);
        List<MotRow> out = new ArrayList<>(gt.size() * n * n);
        for (MotRow r : gt) {
            if (r.id() < 0 || r.id() >= ID_OFFSET) {
                throw new IllegalArgumentException("ground-truth id " + r.id() + " in frame " + r.frame()
                        + " is outside 0.." + (ID_OFFSET - 1) + ": tiled copies would share ids");
            }
        }
        for (int k = 0; k < n * n; k++) {
            double dx = (k % n) * (double) width;
            double dy = (k / n) * (double) height;
            for (MotRow r : gt) {
                out.add(new MotRow(r.frame(), r.id() + k * ID_OFFSET, r.left() + dx, r.top() + dy, r.width(), r.height(),
                        r.flagOrScore(), r.x(), r.y(), r.z()));
            }
        }
        return out;
    }

    private static void checkTiles(int n) {
        if (n < 1 || n > 4) {
            throw new IllegalArgumentException("--tile must be 1..4 tiles per side, was " + n);
        }
    }
}
