package io.edgewatch.face;

import io.edgewatch.config.FacesConfig;
import io.edgewatch.config.StatePaths;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Face processing settings (the values of {@link FacesConfig}, as a record for code and tests). Field meanings and
 * units are those of the configuration keys {@code edgewatch.faces.*} (README.md, "Faces").
 */
public record FaceSettings(boolean enabled, String purpose, String legalBasis, Mode mode, Path detectorManifest,
                           Path embedderManifest, int threads, double minFaceScore, Path galleryDir, Path keyFile,
                           Path auditFile, int retentionDays, double threshold, GrayscalePolicy grayscalePolicy,
                           double grayscaleThreshold, double minFacePx, double minBlurVariance, double maxYaw,
                           double facesPerSecond, int maxTracksPerFrame, int minAttempts, int maxAttempts,
                           boolean publishEmbeddings, double upperFraction, double margin) {

    /** Where faces are searched. */
    public enum Mode { PERSON_CROP, WHOLE_FRAME }

    /** What happens to grayscale/IR faces, whose similarity distribution differs from colour faces. */
    public enum GrayscalePolicy { REFUSE, SEPARATE_THRESHOLD }

    /** Settings from the configuration; relative gallery and audit paths against {@code $STATE_DIRECTORY} when set. */
    public static FaceSettings of(FacesConfig c) {
        Path gallery = StatePaths.resolve(c.galleryDir());
        return new FaceSettings(c.enabled(), c.purpose().orElse(null), c.legalBasis().orElse(null),
                Mode.valueOf(c.mode().toUpperCase().replace('-', '_')), c.detectorManifest(), c.embedderManifest(), c.threads(),
                c.minFaceScore(), gallery, c.keyFile().orElse(null), c.auditFile().map(StatePaths::resolve).orElse(gallery.resolve("audit.jsonl")),
                c.retentionDays(), c.threshold(), GrayscalePolicy.valueOf(c.grayscalePolicy().toUpperCase().replace('-', '_')),
                c.grayscaleThreshold(), c.minFacePx(), c.minBlurVariance(), c.maxYaw(), c.facesPerSecond(), c.maxTracksPerFrame(),
                c.minAttempts(), c.maxAttempts(), c.publishEmbeddings(), c.upperFraction(), c.margin());
    }

    /** The same settings with another gallery folder, key file and audit file (CLI options). */
    public FaceSettings withGallery(Path dir, Path key, Path audit) {
        return new FaceSettings(enabled, purpose, legalBasis, mode, detectorManifest, embedderManifest, threads, minFaceScore, dir,
                key, audit, retentionDays, threshold, grayscalePolicy, grayscaleThreshold, minFacePx, minBlurVariance, maxYaw,
                facesPerSecond, maxTracksPerFrame, minAttempts, maxAttempts, publishEmbeddings, upperFraction, margin);
    }

    /** The same settings with another threshold and attempt limits. */
    public FaceSettings withDecision(double thr, int minAtt, int maxAtt) {
        return new FaceSettings(enabled, purpose, legalBasis, mode, detectorManifest, embedderManifest, threads, minFaceScore, galleryDir,
                keyFile, auditFile, retentionDays, thr, grayscalePolicy, grayscaleThreshold, minFacePx, minBlurVariance, maxYaw,
                facesPerSecond, maxTracksPerFrame, minAtt, maxAtt, publishEmbeddings, upperFraction, margin);
    }

    /** The same settings with another mode and budget. */
    public FaceSettings withMode(Mode m, double budget, boolean publish) {
        return new FaceSettings(enabled, purpose, legalBasis, m, detectorManifest, embedderManifest, threads, minFaceScore, galleryDir,
                keyFile, auditFile, retentionDays, threshold, grayscalePolicy, grayscaleThreshold, minFacePx, minBlurVariance, maxYaw,
                budget, maxTracksPerFrame, minAttempts, maxAttempts, publish, upperFraction, margin);
    }

    /**
     * Checks that face processing may run: purpose and legal basis declared, key file given.
     *
     * @throws FaceException naming the missing key
     */
    public void requireDeclared() {
        if (purpose == null || purpose.isBlank()) {
            throw new FaceException("face processing needs a declared purpose: set edgewatch.faces.purpose (e.g. \"staff entrance access log\")"
                    + " and edgewatch.faces.legal-basis in the configuration (or as -D options / EDGEWATCH_FACES_PURPOSE);"
                    + " the agent and the enroll/identify/gallery commands need them (biometric identification is"
                    + " special-category data, GDPR Art. 9)");
        }
        if (legalBasis == null || legalBasis.isBlank()) {
            throw new FaceException("face processing needs a declared legal basis: set edgewatch.faces.legal-basis (e.g. \"GDPR Art. 9(2)(a)"
                    + " explicit consent\") in the configuration (or as a -D option / EDGEWATCH_FACES_LEGAL_BASIS)");
        }
        if (keyFile == null) {
            throw new FaceException("face processing needs the gallery key: set edgewatch.faces.key-file (or --key-file) to a file holding"
                    + " a 256-bit key (e.g. a systemd credential; create one with 'gallery new-key FILE'); the key is never read"
                    + " from the configuration itself");
        }
    }

    /** Retention in ms (0 = none). */
    public long retentionMs() {
        return retentionDays * 86_400_000L;
    }

    /** Optional view of the audit file. */
    public Optional<Path> audit() {
        return Optional.ofNullable(auditFile);
    }
}
