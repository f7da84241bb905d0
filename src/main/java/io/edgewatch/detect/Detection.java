package io.edgewatch.detect;

/**
 * One detected object in one frame.
 *
 * @param labelIndex class index of the model's label map
 * @param label      class name, e.g. {@code person}
 * @param score      confidence 0..1
 * @param box        bounding box, normalized 0..1
 */
public record Detection(int labelIndex, String label, double score, BoxNorm box) { }
