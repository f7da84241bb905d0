package io.edgewatch.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Model loader fuzz with copies of the real detector model: truncated, random and bit-flipped files. Through a
 * manifest (the agent's path) every one is refused with a {@link ModelException} naming the file before native
 * code sees it. Without a manifest ({@link TfliteModel#loadUnpinned}, used by tools) bit-flipped files of the
 * right size reach TFLite's flatbuffer verifier and interpreter; they run in a child JVM
 * ({@link ModelFuzzMain}) so that a native crash would show as its exit code instead of ending this test JVM.
 */
class ModelFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path manifestFor(Path dir, Path model, byte[] bytes, boolean pinTheCorruptFile) throws Exception {
        ObjectNode m = (ObjectNode) JSON.readTree(TestPaths.detectorManifest().toFile());
        Path labels = TestPaths.modelFile("coco_labels.txt");
        m.put("file", model.toString());
        ((ObjectNode) m.get("labels")).put("file", labels.toString());
        if (pinTheCorruptFile) {
            m.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            m.put("sizeBytes", bytes.length);
        }
        Path f = dir.resolve(model.getFileName() + ".manifest.json");
        JSON.writeValue(f.toFile(), m);
        return f;
    }

    @Test
    void corruptCopiesAreRefusedThroughTheManifest() throws Exception {
        byte[] good = Files.readAllBytes(TestPaths.modelFile("mobilenet_ssd_v2_coco_quant_postprocess.tflite"));
        Path dir = Files.createTempDirectory("modelfuzz");
        Random r = new Random(7);
        List<String> messages = new ArrayList<>();
        InterpreterOptions opts = InterpreterOptions.xnnpack(1);
        for (int i = 0; i < 30; i++) {
            byte[] bad;
            String kind;
            switch (i % 3) {
                case 0 -> {
                    kind = "truncated";
                    bad = java.util.Arrays.copyOf(good, r.nextInt(good.length));
                }
                case 1 -> {
                    kind = "random";
                    bad = new byte[1 + r.nextInt(100_000)];
                    r.nextBytes(bad);
                }
                default -> {
                    kind = "bitflip";
                    bad = good.clone();
                    for (int k = 0; k < 1 + r.nextInt(8); k++) {
                        int pos = r.nextInt(bad.length);
                        bad[pos] ^= (byte) (1 << r.nextInt(8));
                    }
                }
            }
            Path model = dir.resolve(kind + i + ".tflite");
            Files.write(model, bad);
            Path manifest = manifestFor(dir, model, bad, false);
            ModelManifest mm = ModelManifest.read(manifest, JSON);
            assertThatThrownBy(() -> TfliteModel.load(mm, opts).close())
                    .as("%s copy %d", kind, i)
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining(model.toString());
            try {
                TfliteModel.load(mm, opts).close();
            } catch (ModelException e) {
                messages.add(e.getMessage());
            }
        }
        messages.stream().limit(3).forEach(m -> System.out.println("refused: " + m));
        // truncated/random files pinned to their own hash reach the identifier and flatbuffer checks
        for (int i = 0; i < 20; i++) {
            byte[] bad = i % 2 == 0 ? java.util.Arrays.copyOf(good, 8 + r.nextInt(good.length - 8)) : randomWithIdentifier(r);
            Path model = dir.resolve("pinned" + i + ".tflite");
            Files.write(model, bad);
            ModelManifest mm = ModelManifest.read(manifestFor(dir, model, bad, true), JSON);
            assertThatThrownBy(() -> TfliteModel.load(mm, opts).close()).as("pinned corrupt %d", i)
                    .isInstanceOf(ModelException.class).hasMessageContaining(model.toString());
        }
    }

    private static byte[] randomWithIdentifier(Random r) {
        byte[] b = new byte[64 + r.nextInt(50_000)];
        r.nextBytes(b);
        System.arraycopy(ModelFileVerifier.TFLITE_IDENTIFIER, 0, b, 4, 4);
        return b;
    }

    @Test
    void bitFlippedModelsNeverCrashTheJvm() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("modelfuzz-native");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ModelFuzzMain.class.getName(),
                TestPaths.modelFile("mobilenet_ssd_v2_coco_quant_postprocess.tflite").toString(), dir.toString(), "40", "11");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        System.out.println(out.lines().filter(l -> l.startsWith("fuzz")).reduce((a, b) -> b).orElse(out));
        assertThat(p.exitValue()).as("child JVM exit (a native crash gives 134/139): " + out).isZero();
        assertThat(out).contains("fuzz done");
    }
}
