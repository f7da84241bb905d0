package io.edgewatch.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find the project's fetched models and media and the shared test media. Shared media live in
 * {@code ../shared/media} beside the project root and are read in place; when that folder is absent the test is
 * skipped with a message naming the path. Fetched files are required: their absence fails the test, since
 * {@code .ci/run} fetches them.
 */
public final class TestPaths {
    private TestPaths() {
    }

    /** A temporary file of {@code bytes} random bytes (fixed seed) named {@code *suffix}: a hostile "video" or "model". */
    public static Path randomBytesFile(String suffix, int bytes) throws java.io.IOException {
        byte[] b = new byte[bytes];
        new java.util.Random(7).nextBytes(b);
        Path f = Files.createTempFile("noise-", suffix);
        f.toFile().deleteOnExit();
        return Files.write(f, b);
    }

    /** The project root (the folder holding pom.xml). */
    public static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("pom.xml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no pom.xml above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** A model manifest under models-tflite/, e.g. {@code ssd-mobilenet-v2-coco.manifest.json}. */
    public static Path manifest(String name) {
        return projectRoot().resolve("models-tflite").resolve(name);
    }

    /** The detector manifest. */
    public static Path detectorManifest() {
        return manifest("ssd-mobilenet-v2-coco.manifest.json");
    }

    /** A file fetched by models-tflite/fetch.sh; fails when missing. */
    public static Path modelFile(String name) {
        Path p = projectRoot().resolve("models-tflite/files").resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: run models-tflite/fetch.sh");
        }
        return p;
    }

    /** A file fetched by scripts/fetch-media.sh (vtest.avi, astronaut.png); fails when missing. */
    public static Path fetchedMedia(String name) {
        Path p = projectRoot().resolve("media-cache").resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: run scripts/fetch-media.sh");
        }
        return p;
    }

    /** The sample video vtest.avi (768x576, 10 fps, 795 frames). */
    public static Path vtest() {
        return fetchedMedia("vtest.avi");
    }

    /** A file under ../shared/media; skips the test when the shared folder is absent. */
    public static Path sharedMedia(String relative) {
        Path p = projectRoot().resolveSibling("shared").resolve("media").resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(p), "shared test media not found at " + p + ": test skipped");
        return p;
    }
}
