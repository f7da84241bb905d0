package io.edgewatch.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Child-JVM half of {@link ModelFuzzTest}: writes N bit-flipped copies of a model (flips concentrated in the
 * flatbuffer's structure at both ends of the file, some in the weights), loads each with
 * {@link TfliteModel#loadUnpinned} and invokes it once. Prints one line per case and {@code fuzz done ...} at the end.
 * Args: model, work dir, N, seed.
 */
public final class ModelFuzzMain {
    private ModelFuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        byte[] good = Files.readAllBytes(Path.of(args[0]));
        Path dir = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        Random r = new Random(Long.parseLong(args[3]));
        int refused = 0;
        int loaded = 0;
        for (int i = 0; i < n; i++) {
            byte[] bad = good.clone();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int region = r.nextInt(3);
                int pos = switch (region) {
                    case 0 -> r.nextInt(4096);
                    case 1 -> bad.length - 1 - r.nextInt(32_768);
                    default -> r.nextInt(bad.length);
                };
                bad[pos] ^= (byte) (1 << r.nextInt(8));
            }
            Path f = dir.resolve("flip" + i + ".tflite");
            Files.write(f, bad);
            try (TfliteModel m = TfliteModel.loadUnpinned(f, InterpreterOptions.xnnpack(1))) {
                m.invoke();
                loaded++;
                System.out.println("case " + i + ": loaded and invoked");
            } catch (ModelException e) {
                refused++;
                if (!e.getMessage().contains(f.toString())) {
                    System.out.println("case " + i + ": message does not name the file: " + e.getMessage());
                    System.exit(3);
                }
                System.out.println("case " + i + ": refused: " + e.getMessage());
            } catch (RuntimeException e) {
                System.out.println("case " + i + ": unexpected " + e);
                System.exit(4);
            }
            Files.delete(f);
        }
        System.out.println("fuzz done: " + n + " bit-flipped copies, " + refused + " refused with a ModelException, " + loaded
                + " loaded and invoked (flips in weights), 0 crashes");
    }
}
