package io.edgewatch.face;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.ArrayList;
import java.util.List;

/**
 * Detect, align, grade and embed faces: one face detector, one aligner sized to the embedder's input, the quality
 * gate and one embedder. Used per camera by {@link FaceStage} and on photos by the CLI. Records the time of each
 * step of the last call. Not thread-safe.
 */
public final class FaceAnalyzer implements AutoCloseable {
    private final FaceDetector detector;
    private final FaceEmbedder embedder;
    private final FaceAligner aligner;
    private final FaceQuality quality;
    private double lastDetectMs;
    private double lastAlignMs;
    private double lastEmbedMs;

    /**
     * A face found, graded and aligned; {@link #close()} releases the aligned image.
     *
     * @param face    the detection, pixels
     * @param quality the quality report
     * @param aligned the aligned BGR face (embedder input size)
     */
    public record Candidate(FaceDetection face, FaceQuality.Report quality, Mat aligned) implements AutoCloseable {
        @Override
        public void close() {
            aligned.close();
        }
    }

    public FaceAnalyzer(FaceDetector detector, FaceEmbedder embedder, FaceQuality quality) {
        this.detector = detector;
        this.embedder = embedder;
        this.quality = quality;
        this.aligner = new FaceAligner(embedder.inputWidth(), embedder.inputHeight());
    }

    /**
     * Loads the detector and embedder named by the settings' manifests.
     *
     * @throws io.edgewatch.inference.ModelException naming the manifest or model file when one is unusable
     */
    public static FaceAnalyzer load(FaceSettings s, ObjectMapper mapper) {
        InterpreterOptions opts = InterpreterOptions.xnnpack(s.threads());
        FaceDetector d = new FaceDetector(TfliteModel.load(ModelManifest.read(s.detectorManifest(), mapper), opts), s.minFaceScore());
        try {
            FaceEmbedder e = new FaceEmbedder(TfliteModel.load(ModelManifest.read(s.embedderManifest(), mapper), opts));
            return new FaceAnalyzer(d, e, new FaceQuality(s.minFacePx(), s.minBlurVariance(), s.maxYaw()));
        } catch (RuntimeException ex) {
            d.close();
            throw ex;
        }
    }

    /** Faces in a region of {@code bgr} (pixels), detected, aligned and graded; best detection first. */
    public List<Candidate> find(Mat bgr, int x, int y, int w, int h) {
        long t0 = System.nanoTime();
        List<FaceDetection> faces = detector.detect(bgr, x, y, w, h);
        long t1 = System.nanoTime();
        List<Candidate> out = new ArrayList<>(faces.size());
        for (FaceDetection f : faces) {
            Mat a;
            try {
                a = aligner.align(bgr, f);
            } catch (IllegalArgumentException e) {
                continue;
            }
            out.add(new Candidate(f, quality.assess(f, a), a));
        }
        lastDetectMs = (t1 - t0) / 1e6;
        lastAlignMs = (System.nanoTime() - t1) / 1e6;
        return out;
    }

    /** Faces in the whole image. */
    public List<Candidate> find(Mat bgr) {
        return find(bgr, 0, 0, bgr.cols(), bgr.rows());
    }

    /** L2-normalised embeddings of aligned faces, in order. */
    public List<float[]> embed(List<Mat> aligned) {
        long t0 = System.nanoTime();
        List<float[]> e = embedder.embed(aligned);
        lastEmbedMs = (System.nanoTime() - t0) / 1e6;
        return e;
    }

    public FaceEmbedder embedder() {
        return embedder;
    }

    public FaceDetector detector() {
        return detector;
    }

    /** Detection time (letterbox, invoke, decode) of the last {@link #find}, ms. */
    public double lastDetectMs() {
        return lastDetectMs;
    }

    /** Alignment and grading time of all faces of the last {@link #find}, ms. */
    public double lastAlignMs() {
        return lastAlignMs;
    }

    /** Time of the last {@link #embed}, ms. */
    public double lastEmbedMs() {
        return lastEmbedMs;
    }

    @Override
    public void close() {
        aligner.close();
        detector.close();
        embedder.close();
    }
}
