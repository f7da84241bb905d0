package io.edgewatch.face;

import io.edgewatch.testsupport.TestPaths;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Enrolment and identification on real photos with the real models: person A enrolled from obama.jpg, obama2.jpg is
 * A; biden.jpg, grace_hopper.bmp and astronaut.png are unknown. Prints the measured similarities.
 */
class FacePhotoTest {
    @TempDir
    static Path dir;
    static FaceService svc;
    static FaceAnalyzer analyzer;
    static FaceEnrolment enrolment;

    @BeforeAll
    static void open() {
        FaceSettings s = FaceTestSupport.settings(dir);
        svc = FaceService.open(s, FaceTestSupport.MAPPER, "test", System.currentTimeMillis());
        analyzer = FaceAnalyzer.load(s, FaceTestSupport.MAPPER);
        enrolment = new FaceEnrolment(svc, analyzer);
    }

    @AfterAll
    static void close() {
        analyzer.close();
        svc.close();
    }

    static Path photo(String name) {
        return name.equals("astronaut.png") ? TestPaths.fetchedMedia(name) : TestPaths.sharedMedia("faces/" + name);
    }

    @Test
    void enrolmentMistakesAreRefusedUnlessOverridden(@org.junit.jupiter.api.io.TempDir Path own) throws Exception {
        // a gallery of its own: the identities enrolled here must not reach the other tests
        try (FaceService g = FaceService.open(FaceTestSupport.settings(own), FaceTestSupport.MAPPER, "test", System.currentTimeMillis())) {
            FaceEnrolment e = new FaceEnrolment(g, analyzer);
            try (Mat obama = FaceEnrolment.read(photo("obama.jpg")); Mat obama2 = FaceEnrolment.read(photo("obama2.jpg"));
                 Mat biden = FaceEnrolment.read(photo("biden.jpg"))) {
                e.enroll("person-A", obama, "obama.jpg", "test", 1_000);
                // someone else's photo under the same name: biden vs obama measured -0.119
                assertThatThrownBy(() -> e.enroll("person-A", biden, "biden.jpg", "test", 2_000)).isInstanceOf(FaceException.class)
                        .hasMessageContaining("biden.jpg: the face does not match the face(s) already enrolled as person-A")
                        .hasMessageContaining("threshold 0.55").hasMessageContaining("--allow-mismatch");
                // the same person under a second name: obama2 vs obama measured 0.811
                assertThatThrownBy(() -> e.enroll("person-B", obama2, "obama2.jpg", "test", 3_000))
                        .hasMessageContaining("matches the enrolled identity person-A (cosine similarity 0.8");
                assertThat(g.gallery().size()).as("nothing stored by the refused attempts").isEqualTo(1);
                // the same person again under the right name is fine, and the operator can override
                e.enroll("person-A", obama2, "obama2.jpg", "test", 4_000);
                e.enroll("person-A", biden, "biden.jpg", "test", 5_000, true);
                assertThat(g.gallery().size()).isEqualTo(3);
            }
            List<String> audit = java.nio.file.Files.readAllLines(own.resolve("gallery").resolve("audit.jsonl"));
            assertThat(audit.stream().filter(l -> l.contains("\"type\":\"enrol\"")).toList()).hasSize(3)
                    .last().asString().contains("\"allowMismatch\":true").contains("biden.jpg");
        }
    }

    @Test
    void enrolledPersonIsIdentifiedOthersAreUnknown() {
        try (Mat a = FaceEnrolment.read(photo("obama.jpg"))) {
            FaceQuality.Report q = enrolment.enroll("person-A", a, "obama.jpg", "test", System.currentTimeMillis());
            assertThat(q.passed()).isTrue();
        }
        double thr = svc.settings().threshold();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String name : List.of("obama2.jpg", "biden.jpg", "grace_hopper.bmp", "astronaut.png")) {
            try (Mat img = FaceEnrolment.read(photo(name))) {
                List<FaceEnrolment.Identified> r = enrolment.identify(img, name, "test", System.currentTimeMillis());
                assertThat(r).as(name).hasSize(1);
                scores.put(name, r.get(0).score());
                if (name.equals("obama2.jpg")) {
                    assertThat(r.get(0).identity()).isEqualTo("person-A");
                    assertThat(r.get(0).score()).isBetween(0.75, 0.87); // measured 0.811
                } else {
                    assertThat(r.get(0).identity()).as(name).isNull();
                    assertThat(r.get(0).score()).as(name).isLessThan(0.30); // measured -0.119 .. 0.155
                }
            }
        }
        System.out.printf("similarity to person-A (obama.jpg), threshold %.2f: %s%n", thr, scores);
        assertThat(scores.get("obama2.jpg") - scores.values().stream().skip(1).mapToDouble(Double::doubleValue).max().orElseThrow())
                .as("margin between same-person and best different-person similarity").isGreaterThan(0.5);
    }

    @Test
    void pairwiseSimilaritiesOfAllPhotos() {
        List<String> names = List.of("obama.jpg", "obama2.jpg", "biden.jpg", "grace_hopper.bmp", "astronaut.png");
        float[][] e = new float[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            try (Mat img = FaceEnrolment.read(photo(names.get(i)))) {
                List<FaceAnalyzer.Candidate> c = analyzer.find(img);
                assertThat(c).as(names.get(i)).hasSize(1);
                assertThat(c.get(0).quality().passed()).as(names.get(i) + " " + c.get(0).quality()).isTrue();
                assertThat(c.get(0).quality().grayscale()).isFalse();
                e[i] = analyzer.embed(List.of(c.get(0).aligned())).get(0);
                c.forEach(FaceAnalyzer.Candidate::close);
            }
        }
        double maxDifferent = -1;
        StringBuilder sb = new StringBuilder("pairwise cosine similarity (MobileFaceNet):\n");
        for (int i = 0; i < e.length; i++) {
            for (int j = i + 1; j < e.length; j++) {
                double s = FaceEmbedder.cosine(e[i], e[j]);
                sb.append(String.format("  %-16s %-16s %.4f%n", names.get(i), names.get(j), s));
                if (!(i == 0 && j == 1)) {
                    maxDifferent = Math.max(maxDifferent, s);
                }
            }
        }
        double same = FaceEmbedder.cosine(e[0], e[1]);
        System.out.print(sb);
        System.out.printf("same person %.4f, highest different-person %.4f, threshold %.2f%n", same, maxDifferent, svc.settings().threshold());
        assertThat(same).isGreaterThan(svc.settings().threshold());
        assertThat(maxDifferent).isLessThan(svc.settings().threshold());
    }

    /**
     * MobileFaceNet has a fixed batch of 2; one face leaves slot 1 unused. TensorFlow Lite does not clear its tensor
     * arena, and a NaN left in the unused slot once made the whole output NaN (published as an all-zero embedding).
     * Here the input is poisoned with NaN first: one face alone must give the same embedding as in a full batch.
     */
    @Test
    void unusedBatchSlotCannotPoisonTheEmbedding() {
        try (Mat img = FaceEnrolment.read(photo("obama.jpg"))) {
            List<FaceAnalyzer.Candidate> c = analyzer.find(img);
            assertThat(c).hasSize(1);
            Mat aligned = c.get(0).aligned();
            List<float[]> pair = analyzer.embed(List.of(aligned, aligned));
            var input = analyzer.embedder().model().inputFloats(0);
            for (long i = 0; i < input.limit(); i++) {
                input.put(i, Float.NaN);
            }
            float[] alone = analyzer.embed(List.of(aligned)).get(0);
            c.forEach(FaceAnalyzer.Candidate::close);
            for (float v : alone) {
                assertThat(v).isFinite();
            }
            assertThat(FaceEmbedder.cosine(alone, pair.get(0))).isGreaterThan(0.9999);
            assertThat(FaceEmbedder.cosine(pair.get(0), pair.get(1))).isGreaterThan(0.9999);
        }
    }

    /**
     * The short-range BlazeFace (128x128, 896 anchors at strides 8/16, for faces within about 2 m) decodes to the same
     * faces as the full-range model on close-up photos: one face each, boxes overlapping (IoU), the eyes inside the
     * box with the subject's right eye on the image's left.
     */
    @Test
    void shortRangeDetectorAgreesWithFullRangeOnCloseUps() {
        FaceSettings s = svc.settings();
        try (FaceDetector shortRange = new FaceDetector(io.edgewatch.inference.TfliteModel.load(
                io.edgewatch.inference.ModelManifest.read(TestPaths.manifest("face-detection-short-range.manifest.json"), FaceTestSupport.MAPPER),
                io.edgewatch.inference.InterpreterOptions.xnnpack(1)), s.minFaceScore())) {
            assertThat(shortRange.model().inputs().get(0).shape()).containsExactly(1, 128, 128, 3);
            StringBuilder sb = new StringBuilder("short-range vs full-range BlazeFace:");
            for (String name : List.of("obama.jpg", "obama2.jpg", "biden.jpg", "grace_hopper.bmp")) {
                try (Mat img = FaceEnrolment.read(photo(name))) {
                    List<FaceDetection> near = shortRange.detect(img);
                    List<FaceDetection> full = analyzer.detector().detect(img);
                    assertThat(near).as(name).hasSize(1);
                    assertThat(full).as(name).hasSize(1);
                    FaceDetection a = near.get(0);
                    FaceDetection b = full.get(0);
                    double iw = Math.max(0, Math.min(a.xMax(), b.xMax()) - Math.max(a.xMin(), b.xMin()));
                    double ih = Math.max(0, Math.min(a.yMax(), b.yMax()) - Math.max(a.yMin(), b.yMin()));
                    double inter = iw * ih;
                    double iou = inter / (a.widthPx() * a.heightPx() + b.widthPx() * b.heightPx() - inter);
                    sb.append(String.format(" %s score %.2f/%.2f IoU %.2f;", name, a.score(), b.score(), iou));
                    assertThat(iou).as(name + " IoU").isGreaterThan(0.6);
                    assertThat(a.score()).as(name).isGreaterThan(0.8);
                    for (int k : new int[]{FaceDetection.RIGHT_EYE, FaceDetection.LEFT_EYE, FaceDetection.NOSE, FaceDetection.MOUTH}) {
                        assertThat(a.kx(k)).as(name + " keypoint " + k).isBetween(a.xMin(), a.xMax());
                        assertThat(a.ky(k)).as(name + " keypoint " + k).isBetween(a.yMin(), a.yMax());
                    }
                    assertThat(a.kx(FaceDetection.RIGHT_EYE)).as(name).isLessThan(a.kx(FaceDetection.LEFT_EYE));
                    assertThat(a.ky(FaceDetection.MOUTH)).as(name).isGreaterThan(a.ky(FaceDetection.NOSE));
                }
            }
            System.out.println(sb);
        }
    }

    @Test
    void grayscaleFacesAreFlaggedAndRefused() {
        try (Mat img = FaceEnrolment.read(photo("obama2.jpg")); Mat gray = new Mat(); Mat gray3 = new Mat()) {
            org.bytedeco.opencv.global.opencv_imgproc.cvtColor(img, gray, org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY);
            org.bytedeco.opencv.global.opencv_imgproc.cvtColor(gray, gray3, org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR);
            List<FaceEnrolment.Identified> r = enrolment.identify(gray3, "obama2-gray", "test", 0);
            assertThat(r).singleElement().satisfies(f -> {
                assertThat(f.quality().grayscale()).isTrue();
                assertThat(f.identity()).isNull(); // grayscale-policy=refuse: not embedded, never identified
                assertThat(f.score()).isNaN();
            });
            assertThatThrownBy(() -> enrolment.enroll("gray", gray3, "obama2-gray", "test", 0)).hasMessageContaining("grayscale");
        }
    }

    @Test
    void enrolmentRefusesImagesWithZeroOrSeveralFaces() throws Exception {
        int before = svc.gallery().size();
        try (Mat astronaut = FaceEnrolment.read(photo("astronaut.png"));
             Mat noFace = new Mat(astronaut, new Rect(300, 300, 200, 200)).clone()) {
            assertThatThrownBy(() -> enrolment.enroll("x", noFace, "astronaut-corner", "test", 0))
                    .isInstanceOf(FaceException.class).hasMessageContaining("no face found");
        }
        try (Mat a = FaceEnrolment.read(photo("obama.jpg")); Mat b = FaceEnrolment.read(photo("biden.jpg"));
             Mat a2 = new Mat(); Mat b2 = new Mat(); Mat both = new Mat()) {
            resize(a, a2, new Size(500, 625));
            resize(b, b2, new Size(275, 625));
            hconcat(new MatVector(a2, b2), both);
            assertThatThrownBy(() -> enrolment.enroll("x", both, "obama+biden", "test", 0))
                    .isInstanceOf(FaceException.class).hasMessageContaining("2 faces found");
        }
        assertThatThrownBy(() -> FaceEnrolment.read(dir.resolve("missing.jpg"))).hasMessageContaining("missing.jpg").hasMessageContaining("does not exist");
        Path notImage = Files.writeString(dir.resolve("note.jpg"), "not an image");
        assertThatThrownBy(() -> FaceEnrolment.read(notImage)).hasMessageContaining("note.jpg").hasMessageContaining("not an image");
        assertThat(svc.gallery().size()).isEqualTo(before);
    }
}
