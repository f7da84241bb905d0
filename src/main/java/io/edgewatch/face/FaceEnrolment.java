package io.edgewatch.face;

import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

/**
 * Enrolment and identification on still images (CLI {@code enroll} and {@code identify}), writing the audit log.
 * Thread-safe as far as its {@link FaceService} is; the analyzer is used by one thread.
 */
public final class FaceEnrolment {
    private final FaceService service;
    private final FaceAnalyzer analyzer;

    public FaceEnrolment(FaceService service, FaceAnalyzer analyzer) {
        this.service = service;
        this.analyzer = analyzer;
    }

    /**
     * Reads an image file.
     *
     * @throws FaceException naming the file when it is missing or not an image OpenCV can decode
     */
    public static Mat read(Path image) {
        if (!Files.isRegularFile(image)) {
            throw new FaceException("image " + image + " does not exist");
        }
        Mat m = imread(image.toString());
        if (m == null || m.empty()) {
            throw new FaceException("image " + image + " is not an image OpenCV can read");
        }
        return m;
    }

    /**
     * Enrols the single face of an image: detects, aligns, checks quality, embeds and stores one template, then
     * writes an {@code enrol} audit entry.
     *
     * @param source name of the image for messages and the audit log
     * @return the stored template's quality report
     * @throws FaceException when the image holds no face, several faces, a face that fails the quality gate, or a face
     *                       inconsistent with the gallery (see {@link #enroll(String, Mat, String, String, long, boolean)})
     */
    public FaceQuality.Report enroll(String identity, Mat bgr, String source, String actor, long nowMs) {
        return enroll(identity, bgr, source, actor, nowMs, false);
    }

    /**
     * Enrols the single face of an image, guarding against enrolment mistakes unless {@code allowMismatch}: the face
     * must reach the identification threshold against the identity's templates already stored (a photo of someone
     * else under the same name would make the gallery identify two people as one), and must not reach it against
     * another identity (the same person under two names makes decisions ambiguous). Both compare cosine similarity
     * with {@code edgewatch.faces.threshold} and templates of the same embedding model only.
     *
     * @throws FaceException as {@link #enroll(String, Mat, String, String, long)}, and for a face inconsistent with
     *                       the gallery, with the similarity and what to do
     */
    public FaceQuality.Report enroll(String identity, Mat bgr, String source, String actor, long nowMs, boolean allowMismatch) {
        List<FaceAnalyzer.Candidate> faces = analyzer.find(bgr);
        try {
            if (faces.isEmpty()) {
                throw new FaceException("image " + source + ": no face found; nothing enrolled");
            }
            if (faces.size() > 1) {
                throw new FaceException("image " + source + ": " + faces.size() + " faces found, enrolment needs exactly one; nothing enrolled");
            }
            FaceAnalyzer.Candidate c = faces.get(0);
            if (!c.quality().passed()) {
                throw new FaceException("image " + source + ": face refused by the quality gate (" + c.quality().reason() + "); nothing enrolled");
            }
            if (c.quality().grayscale() && service.settings().grayscalePolicy() == FaceSettings.GrayscalePolicy.REFUSE) {
                throw new FaceException("image " + source + ": grayscale/IR face refused (edgewatch.faces.grayscale-policy=refuse); nothing enrolled");
            }
            float[] e = analyzer.embed(List.of(c.aligned())).get(0);
            try {
                if (!allowMismatch) {
                    checkConsistent(identity, e, source);
                }
                service.gallery().add(identity, e, analyzer.embedder().modelId(), c.quality().weight(), nowMs, service.settings().retentionMs());
            } finally {
                java.util.Arrays.fill(e, 0f); // the store holds its own encrypted copy; a refused face leaves nothing
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("actor", actor);
            f.put("identity", identity);
            f.put("source", source);
            f.put("model", analyzer.embedder().modelId());
            f.put("quality", Math.round(c.quality().weight() * 1000) / 1000.0);
            if (allowMismatch) {
                f.put("allowMismatch", true); // the operator switched the consistency check off
            }
            service.audit().append("enrol", nowMs, f);
            return c.quality();
        } finally {
            faces.forEach(FaceAnalyzer.Candidate::close);
        }
    }

    private void checkConsistent(String identity, float[] e, String source) {
        double thr = service.settings().threshold();
        Map<String, Double> sims = FaceMatcher.similarities(e, service.templates(analyzer.embedder().modelId()));
        Double own = sims.get(identity);
        if (own != null && own < thr) {
            throw new FaceException(String.format(java.util.Locale.ROOT, "image %s: the face does not match the face(s) already"
                    + " enrolled as %s (best cosine similarity %.3f, threshold %.2f): a different person, or a photo too unlike"
                    + " the others; nothing enrolled (enroll --allow-mismatch stores it anyway)", source, identity, own, thr));
        }
        for (Map.Entry<String, Double> o : sims.entrySet()) {
            if (!o.getKey().equals(identity) && o.getValue() >= thr) {
                throw new FaceException(String.format(java.util.Locale.ROOT, "image %s: the face matches the enrolled identity %s"
                        + " (cosine similarity %.3f >= threshold %.2f): the same person under two names makes decisions ambiguous;"
                        + " nothing enrolled (enroll --allow-mismatch stores it anyway)", source, o.getKey(), o.getValue(), thr));
            }
        }
    }

    /**
     * One identified face of a still image.
     *
     * @param box       {@code xMin, yMin, xMax, yMax} in pixels
     * @param identity  enrolled identity whose similarity reaches the threshold, or null
     * @param score     best cosine similarity -1..1 (NaN when the gallery is empty)
     * @param quality   quality report
     */
    public record Identified(double[] box, String identity, double score, FaceQuality.Report quality) { }

    /**
     * Identifies every face of an image (one attempt each) and writes a {@code decision} audit entry per identified
     * face; embeddings are zeroed after comparison and nothing of an unknown face is stored or logged.
     */
    public List<Identified> identify(Mat bgr, String source, String actor, long nowMs) {
        List<FaceAnalyzer.Candidate> faces = analyzer.find(bgr);
        List<Identified> out = new ArrayList<>();
        try {
            List<Gallery.Template> templates = service.templates(analyzer.embedder().modelId());
            for (FaceAnalyzer.Candidate c : faces) {
                FaceDetection d = c.face();
                double[] box = {d.xMin(), d.yMin(), d.xMax(), d.yMax()};
                boolean grayRefused = c.quality().grayscale() && service.settings().grayscalePolicy() == FaceSettings.GrayscalePolicy.REFUSE;
                if (!c.quality().passed() || grayRefused) {
                    out.add(new Identified(box, null, Double.NaN, c.quality()));
                    continue;
                }
                float[] e = analyzer.embed(List.of(c.aligned())).get(0);
                FaceMatcher.Match m = FaceMatcher.best(e, templates);
                java.util.Arrays.fill(e, 0f);
                double thr = c.quality().grayscale() ? service.settings().grayscaleThreshold() : service.settings().threshold();
                String id = m.identity() != null && m.score() >= thr ? m.identity() : null;
                if (id != null) {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("actor", actor);
                    f.put("camera", null);
                    f.put("source", source);
                    f.put("identity", id);
                    f.put("score", Math.round(m.score() * 10_000) / 10_000.0);
                    f.put("attempts", 1);
                    service.audit().append("decision", nowMs, f);
                }
                out.add(new Identified(box, id, m.score(), c.quality()));
            }
            return out;
        } finally {
            faces.forEach(FaceAnalyzer.Candidate::close);
        }
    }
}
