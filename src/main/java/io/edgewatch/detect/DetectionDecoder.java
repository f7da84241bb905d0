package io.edgewatch.detect;

import io.edgewatch.inference.TfliteModel;

import java.util.List;

/**
 * Turns a detector model's raw outputs into detections (the post-processing half of a Deep Java Library style
 * translator; pre-processing is {@link io.edgewatch.inference.ImageTensorWriter}). One instance per interpreter; not
 * thread-safe. Implementations are chosen by the manifest's {@code decoder} name through {@link DetectionDecoders}.
 */
public interface DetectionDecoder {
    /**
     * Reads the outputs of the model's last invoke and decodes them.
     *
     * @return detections the filter grades confident or weak, boxes normalized 0..1 to the model input
     */
    List<Detection> decode(TfliteModel model);
}
