package io.edgewatch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Face detection, alignment, embedding and on-device identification, prefix {@code edgewatch.faces}. Off by default;
 * when {@code enabled=true} the agent refuses to start unless {@code purpose} and {@code legal-basis} are declared
 * (GDPR Art. 9: biometric identification is special-category processing). Reference: README.md, section "Faces".
 */
@ConfigMapping(prefix = "edgewatch.faces")
public interface FacesConfig {

    /** Face processing on the agent's cameras. When false no face model is loaded. */
    @WithDefault("false")
    @WithConverter(StrictBooleanConverter.class)
    boolean enabled();

    /** Declared purpose, e.g. "staff door access log"; required when enabled. */
    Optional<String> purpose();

    /** Declared legal basis, e.g. "GDPR Art. 9(2)(a) explicit consent"; required when enabled. */
    Optional<String> legalBasis();

    /** person-crop (faces in the upper part of confirmed person boxes) or whole-frame (entry cameras). */
    @WithDefault("person-crop")
    @Pattern(regexp = "person-crop|whole-frame", message = "must be person-crop or whole-frame, was '${validatedValue}'")
    String mode();

    /** Face detector manifest (BlazeFace full range; short range for faces within about 2 m). */
    @WithDefault("models-tflite/face-detection-full-range.manifest.json")
    Path detectorManifest();

    /** Face embedding model manifest. */
    @WithDefault("models-tflite/mobilefacenet.manifest.json")
    Path embedderManifest();

    /** Interpreter threads of each face model. */
    @WithDefault("1")
    @Min(1) @Max(64)
    int threads();

    /** Minimum face detection score 0..1. */
    @WithDefault("0.6")
    @DecimalMin("0.05") @DecimalMax("1")
    double minFaceScore();

    /** Gallery folder (encrypted MVStore); relative: against {@code $STATE_DIRECTORY} when set ({@link StatePaths}), else the working directory. */
    @WithDefault("data/gallery")
    Path galleryDir();

    /** File holding the gallery's 256-bit AES key (e.g. /run/credentials/edgewatch.service/gallery-key). */
    Optional<Path> keyFile();

    /** Audit log file (JSON lines, hash-chained); default {@code <gallery-dir>/audit.jsonl}; relative as the gallery folder. */
    Optional<Path> auditFile();

    /** Days an enrolled template is kept (0 = until removed). */
    @WithDefault("0")
    @Min(0) @Max(36500)
    int retentionDays();

    /** Cosine similarity a track's quality-weighted mean must reach to be identified, -1..1. */
    @WithDefault("0.55")
    @DecimalMin("-1") @DecimalMax("1")
    double threshold();

    /** Grayscale/IR faces: refuse (not embedded) or separate-threshold (matched against grayscale-threshold). */
    @WithDefault("refuse")
    @Pattern(regexp = "refuse|separate-threshold", message = "must be refuse or separate-threshold, was '${validatedValue}'")
    String grayscalePolicy();

    /** Threshold for grayscale/IR faces with grayscale-policy=separate-threshold. */
    @WithDefault("0.65")
    @DecimalMin("-1") @DecimalMax("1")
    double grayscaleThreshold();

    /** Minimum face size (min of box width and height), pixels. */
    @WithDefault("32")
    @DecimalMin("8") @DecimalMax("4096")
    double minFacePx();

    /** Minimum Laplacian variance of the aligned face (sharpness). */
    @WithDefault("40")
    @DecimalMin("0")
    double minBlurVariance();

    /** Maximum yaw ratio (nose offset / eye distance, 0 frontal, about 0.5 profile). */
    @WithDefault("0.3")
    @DecimalMin("0.01") @DecimalMax("1")
    double maxYaw();

    /** Per-camera budget of faces embedded per second (burst of the same size). */
    @WithDefault("4")
    @DecimalMin("0.1") @DecimalMax("1000")
    double facesPerSecond();

    /** Person tracks searched for a face per frame (person-crop mode). */
    @WithDefault("4")
    @Min(1) @Max(100)
    int maxTracksPerFrame();

    /** Attempts before a track can be identified. */
    @WithDefault("2")
    @Min(1) @Max(100)
    int minAttempts();

    /** Attempts after which a track that did not match is decided unknown (no more embedding). */
    @WithDefault("6")
    @Min(1) @Max(1000)
    int maxAttempts();

    /**
     * Publish the embedding (with model id and version) of an <em>identified</em> track once, with the first event after
     * its decision, for central matching; the templates of unknown people are never published (nor kept).
     */
    @WithDefault("false")
    @WithConverter(StrictBooleanConverter.class)
    boolean publishEmbeddings();

    /** Fraction of the person box height, from its top, searched for the face. */
    @WithDefault("0.5")
    @DecimalMin("0.1") @DecimalMax("1")
    double upperFraction();

    /** Margin added on each side of the searched part, fraction of the person box width. */
    @WithDefault("0.15")
    @DecimalMin("0") @DecimalMax("1")
    double margin();
}
