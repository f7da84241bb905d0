package io.edgewatch.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TfliteModelTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ModelManifest detector() {
        return ModelManifest.read(TestPaths.detectorManifest(), MAPPER);
    }

    @Test
    void readsTensorSpecsAndQuantizationFromTheModel() {
        try (TfliteModel m = TfliteModel.load(detector(), InterpreterOptions.xnnpack(2))) {
            TensorSpec in = m.inputs().get(0);
            assertThat(in.type()).isEqualTo(TensorType.UINT8);
            assertThat(in.shape()).containsExactly(1, 300, 300, 3);
            assertThat(in.scale()).isEqualTo(0.0078125f);
            assertThat(in.zeroPoint()).isEqualTo(128);
            assertThat(m.outputs()).hasSize(4);
            assertThat(m.outputs()).allMatch(o -> o.type() == TensorType.FLOAT32);
            assertThat(m.outputs().get(0).shape()).containsExactly(1, 20, 4);
            assertThat(m.outputs().get(1).shape()).containsExactly(1, 20);
            assertThat(m.outputs().get(2).shape()).containsExactly(1, 20);
            assertThat(m.outputs().get(3).shape()).containsExactly(1);
            assertThat(m.inputBytes().limit()).isEqualTo(300 * 300 * 3);
            // a mid-grey image: the model still runs, reports its latency and at most 20 rows
            m.inputBytes().fill(128);
            double ms = m.invoke();
            assertThat(ms).isPositive();
            assertThat(m.firstInvokeMs()).isEqualTo(ms);
            float[] count = new float[1];
            m.readOutput(3, count);
            assertThat(count[0]).isBetween(0f, 20f);
        }
    }

    @Test
    void missingModelFileIsNamed(@TempDir Path dir) throws Exception {
        Path manifest = copyManifest(dir, n -> n.put("file", "nope/missing.tflite"));
        assertThatThrownBy(() -> TfliteModel.load(ModelManifest.read(manifest, MAPPER), InterpreterOptions.xnnpack(1)))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("missing.tflite").hasMessageContaining("does not exist");
    }

    @Test
    void truncatedModelIsRefusedBySize(@TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(TestPaths.modelFile("mobilenet_ssd_v2_coco_quant_postprocess.tflite"));
        Path cut = dir.resolve("cut.tflite");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        Path manifest = copyManifest(dir, n -> n.put("file", cut.toString()));
        assertThatThrownBy(() -> TfliteModel.load(ModelManifest.read(manifest, MAPPER), InterpreterOptions.xnnpack(1)))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("cut.tflite").hasMessageContaining(all.length / 2 + " bytes")
                .hasMessageContaining("expects " + all.length);
        // without a manifest the flatbuffer verifier refuses it before the interpreter is built
        assertThatThrownBy(() -> TfliteModel.loadUnpinned(cut, InterpreterOptions.xnnpack(1)))
                .isInstanceOf(ModelException.class).hasMessageContaining("flatbuffer verification");
    }

    @Test
    void fileThatIsNotAModelIsRefused(@TempDir Path dir) throws Exception {
        Path labels = TestPaths.modelFile("coco_labels.txt");
        Path manifest = copyManifest(dir, n -> n.put("file", labels.toString()).put("sizeBytes", 930)
                .put("sha256", "93f235896748537fc71325a070ee32e9a0afda2481ceb943559325619763fa6d"));
        assertThatThrownBy(() -> TfliteModel.load(ModelManifest.read(manifest, MAPPER), InterpreterOptions.xnnpack(1)))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("coco_labels.txt").hasMessageContaining("not a TensorFlow Lite model");
    }

    @Test
    void wrongSha256IsRefusedWithBothDigests(@TempDir Path dir) throws Exception {
        String wrong = "0".repeat(64);
        Path manifest = copyManifest(dir, n -> n.put("sha256", wrong).put("file",
                TestPaths.modelFile("mobilenet_ssd_v2_coco_quant_postprocess.tflite").toString()));
        assertThatThrownBy(() -> TfliteModel.load(ModelManifest.read(manifest, MAPPER), InterpreterOptions.xnnpack(1)))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("7046f31a72ec0045a57b94199144c96cf5840c7dc106b808b64a1ed5559aa0cd")
                .hasMessageContaining(wrong);
    }

    @Test
    void bitFlippedModelWithRightSizeFailsOnSha(@TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(TestPaths.modelFile("mobilenet_ssd_v2_coco_quant_postprocess.tflite"));
        all[all.length / 3] ^= 0x5a;
        Path flipped = dir.resolve("flipped.tflite");
        Files.write(flipped, all);
        Path manifest = copyManifest(dir, n -> n.put("file", flipped.toString()));
        assertThatThrownBy(() -> TfliteModel.load(ModelManifest.read(manifest, MAPPER), InterpreterOptions.xnnpack(1)))
                .isInstanceOf(ModelException.class).hasMessageContaining("has sha256");
    }

    @Test
    void manifestErrorsNameFileAndField(@TempDir Path dir) throws Exception {
        Path noSha = copyManifest(dir, n -> n.remove("sha256"));
        assertThatThrownBy(() -> ModelManifest.read(noSha, MAPPER))
                .hasMessageContaining(noSha.toString()).hasMessageContaining("'sha256'");
        Path broken = dir.resolve("broken.manifest.json");
        Files.writeString(broken, "{ \"id\": ");
        assertThatThrownBy(() -> ModelManifest.read(broken, MAPPER))
                .isInstanceOf(ModelException.class).hasMessageContaining(broken.toString()).hasMessageContaining("not valid");
        assertThatThrownBy(() -> ModelManifest.read(dir.resolve("absent.json"), MAPPER))
                .hasMessageContaining("absent.json").hasMessageContaining("does not exist");
        // a relative default path used from another folder: the message says where it looked and why
        assertThatThrownBy(() -> ModelManifest.read(Path.of("models-tflite/absent.manifest.json"), MAPPER))
                .hasMessageContaining("looked for " + Path.of("models-tflite/absent.manifest.json").toAbsolutePath())
                .hasMessageContaining("relative paths are resolved against the working directory " + Path.of("").toAbsolutePath());
    }

    @Test
    void inputShapeMismatchWithManifestIsRefused(@TempDir Path dir) throws Exception {
        Path manifest = copyManifest(dir, n -> {
            n.put("file", TestPaths.modelFile("mobilenet_ssd_v2_coco_quant_postprocess.tflite").toString());
            ((ObjectNode) n.get("input")).putArray("shape").add(1).add(320).add(320).add(3);
        });
        assertThatThrownBy(() -> TfliteModel.load(ModelManifest.read(manifest, MAPPER), InterpreterOptions.xnnpack(1)))
                .hasMessageContaining("input shape is [1, 300, 300, 3]").hasMessageContaining("[1, 320, 320, 3]");
    }

    private static Path copyManifest(Path dir, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode n = (ObjectNode) MAPPER.readTree(TestPaths.detectorManifest().toFile());
        edit.accept(n);
        Path p = dir.resolve("test.manifest.json");
        MAPPER.writeValue(p.toFile(), n);
        return p;
    }
}
