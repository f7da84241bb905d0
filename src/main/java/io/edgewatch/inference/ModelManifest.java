package io.edgewatch.inference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Describes one model file: where it is, its pinned sha256 and size, the input tensor's shape, type,
 * quantization and normalisation, the output layout, labels, licence and source. One JSON file per
 * model under {@code models-tflite/}; a new model is a manifest plus a decoder, never a runtime change.
 *
 * @param id        stable model id, e.g. {@code ssd-mobilenet-v2-coco}
 * @param version   upstream version or package the file came from
 * @param task      {@code object-detection}, {@code face-detection} or {@code face-embedding}
 * @param decoder   name of the post-processing decoder, e.g. {@code ssd-postprocess}
 * @param file      model file path, relative to the manifest's folder
 * @param sha256    lower-case hex sha256 of the model file
 * @param sizeBytes exact file size in bytes
 * @param input     expected input tensor
 * @param outputs   output tensors in model order (documentation and shape check)
 * @param labels    optional label file
 * @param license   SPDX id of the model's licence
 * @param source    where the model comes from (paper, model card, repository)
 * @param path      folder the manifest was read from (set by {@link #read}; not in the JSON)
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelManifest(String id, String version, String task, String decoder, String file, String sha256,
                            long sizeBytes, Input input, List<Output> outputs, Labels labels, String license,
                            String source, String notes, Path path) {

    /**
     * Input tensor description.
     *
     * @param shape        e.g. {@code [1,300,300,3]} (NHWC)
     * @param dtype        {@code uint8}, {@code int8} or {@code float32}
     * @param colorOrder   {@code RGB} or {@code BGR}
     * @param quantization scale and zero point of a quantized input (null for float)
     * @param mean         per-channel mean subtracted from 0..255 pixel values before division by std (float inputs)
     * @param std          per-channel divisor (float inputs); e.g. mean 127.5, std 127.5 maps to [-1,1]
     */
    @RegisterForReflection
    public record Input(List<Integer> shape, String dtype, String colorOrder, Quantization quantization,
                        List<Double> mean, List<Double> std) { }

    /** Affine quantization: real = scale * (q - zeroPoint). */
    @RegisterForReflection
    public record Quantization(double scale, int zeroPoint) { }

    /** One output tensor; {@code layout} is documentation for humans. */
    @RegisterForReflection
    public record Output(String name, List<Integer> shape, String dtype, String layout) { }

    /** Label file, one label per line as {@code index  label} ({@code index-label}) or {@code label} ({@code plain}). */
    @RegisterForReflection
    public record Labels(String file, String sha256, String format) { }

    /** The model file's absolute path. */
    public Path modelPath() {
        return path.resolve(file).toAbsolutePath().normalize();
    }

    /** The label file's absolute path, or null when the manifest has no labels. */
    public Path labelsPath() {
        return labels == null ? null : path.resolve(labels.file()).toAbsolutePath().normalize();
    }

    /** For a relative path: where it was looked for, since the default paths are relative to the working directory. */
    static String relativeHint(Path p) {
        return p.isAbsolute() ? "" : " (looked for " + p.toAbsolutePath().normalize() + ": relative paths are resolved against the working"
                + " directory " + Path.of("").toAbsolutePath() + "; start the agent in the project or install folder, or give absolute paths)";
    }

    /**
     * Reads and validates a manifest.
     *
     * @throws ModelException naming the file and the field when the JSON is unreadable or a required field is missing
     */
    public static ModelManifest read(Path manifestFile, ObjectMapper mapper) {
        if (!Files.isRegularFile(manifestFile)) {
            throw new ModelException("model manifest " + manifestFile + " does not exist" + relativeHint(manifestFile)
                    + " (did you run models-tflite/fetch.sh and point edgewatch.detector.manifest at a *.manifest.json file?)");
        }
        ModelManifest m;
        try {
            m = mapper.readValue(manifestFile.toFile(), ModelManifest.class);
        } catch (IOException e) {
            throw new ModelException("model manifest " + manifestFile + " is not valid: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        requireField(manifestFile, "id", m.id);
        requireField(manifestFile, "file", m.file);
        requireField(manifestFile, "sha256", m.sha256);
        requireField(manifestFile, "input", m.input);
        requireField(manifestFile, "input.shape", m.input.shape());
        requireField(manifestFile, "input.dtype", m.input.dtype());
        if (!m.sha256.matches("[0-9a-f]{64}")) {
            throw new ModelException("model manifest " + manifestFile + ": sha256 '" + m.sha256 + "' is not 64 lower-case hex digits");
        }
        if (m.sizeBytes <= 0) {
            throw new ModelException("model manifest " + manifestFile + ": sizeBytes must be positive, was " + m.sizeBytes);
        }
        Path dir = manifestFile.toAbsolutePath().getParent();
        return new ModelManifest(m.id, m.version, m.task, m.decoder, m.file, m.sha256, m.sizeBytes, m.input, m.outputs,
                m.labels, m.license, m.source, m.notes, dir);
    }

    private static void requireField(Path file, String name, Object value) {
        if (value == null) {
            throw new ModelException("model manifest " + file + ": required field '" + name + "' is missing");
        }
    }
}
