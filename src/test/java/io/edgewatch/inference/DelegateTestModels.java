package io.edgewatch.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.testsupport.TestPaths;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Models for the delegate tests. The float model with CONCATENATION and ADD nodes is MediaPipe's BlazeFace short-range
 * detector ({@code face_detection_short_range.tflite}, fetched by models-tflite/fetch.sh): 164 nodes, 2 float32
 * CONCATENATION nodes (the 896-anchor regressor and classifier heads) and 16 same-shape float32 ADD nodes (residual
 * blocks). Its manifest is written into a temporary folder, so this branch adds no face manifest to models-tflite/.
 */
final class DelegateTestModels {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private DelegateTestModels() {
    }

    static ModelManifest faceDetector(Path dir) {
        Path model = TestPaths.modelFile("face_detection_short_range.tflite");
        String json = """
                {"id":"blazeface-short-range-test","version":"@mediapipe/face_detection@0.4.1657300184","task":"face-detection",
                 "decoder":"none","file":"%s","sha256":"3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633",
                 "sizeBytes":229032,"input":{"shape":[1,128,128,3],"dtype":"float32","colorOrder":"RGB","mean":[127.5],"std":[127.5]},
                 "license":"Apache-2.0","source":"MediaPipe BlazeFace short range, model card: https://mediapipe.page.link/blazeface-mc"}
                """.formatted(model.toString());
        try {
            Path f = dir.resolve("blazeface-short-range-test.manifest.json");
            Files.writeString(f, json);
            return ModelManifest.read(f, MAPPER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ModelManifest ssd() {
        return ModelManifest.read(TestPaths.detectorManifest(), MAPPER);
    }

    static ModelManifest ssdEdgeTpu() {
        return ModelManifest.read(TestPaths.manifest("ssd-mobilenet-v2-coco-edgetpu.manifest.json"), MAPPER);
    }

    static DelegateSpec external(Path library, Map<String, String> options, FallbackPolicy fallback) {
        return new DelegateSpec(DelegateMode.EXTERNAL, 2, Optional.of(library.toString()), options, fallback, Optional.empty(), true,
                GoldenTolerance.defaults(), 5);
    }
}
