package io.edgewatch.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks a model file before any native code sees it: it exists and is readable, its size and sha256 match
 * the manifest, and it carries the TensorFlow Lite flatbuffer file identifier {@code TFL3} at byte offset 4
 * (TFLite schema, {@code file_identifier "TFL3"}). The flatbuffer itself is then verified by TFLite's
 * {@code VerifyAndBuildFromFile} before it is used.
 */
public final class ModelFileVerifier {
    private ModelFileVerifier() {
    }

    /** TFLite flatbuffer file identifier, bytes 4..7 of every .tflite file. */
    public static final byte[] TFLITE_IDENTIFIER = {'T', 'F', 'L', '3'};

    /**
     * Verifies {@code file} against the expected size and sha256.
     *
     * @param expectedSha256 lower-case hex, or null to skip the digest (only for files without a manifest)
     * @param expectedSize   bytes, or a value &lt;= 0 to skip the size check
     * @throws ModelException naming the file and what is wrong
     */
    public static void verify(Path file, String expectedSha256, long expectedSize) {
        if (!Files.exists(file)) {
            throw new ModelException("model file " + file + " does not exist" + ModelManifest.relativeHint(file)
                    + " (run models-tflite/fetch.sh to fetch the pinned models)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ModelException("model file " + file + " is not a readable regular file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ModelException("model file " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (size < 8) {
            throw new ModelException("model file " + file + " is " + size + " bytes: too short to be a TFLite model");
        }
        if (expectedSize > 0 && size != expectedSize) {
            throw new ModelException("model file " + file + " is " + size + " bytes, the manifest expects " + expectedSize
                    + " (truncated or a different file)");
        }
        byte[] head = new byte[8];
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            long read = 0;
            while ((n = in.read(buf)) > 0) {
                if (read < 8) {
                    System.arraycopy(buf, 0, head, (int) read, (int) Math.min(8 - read, n));
                }
                read += n;
                sha.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new ModelException("model file " + file + " cannot be read: " + e.getMessage(), e);
        }
        for (int i = 0; i < 4; i++) {
            if (head[4 + i] != TFLITE_IDENTIFIER[i]) {
                throw new ModelException("model file " + file + " is not a TensorFlow Lite model (no 'TFL3' flatbuffer identifier at byte 4)");
            }
        }
        if (expectedSha256 != null) {
            String got = HexFormat.of().formatHex(sha.digest());
            if (!got.equals(expectedSha256)) {
                throw new ModelException("model file " + file + " has sha256 " + got + ", the manifest expects " + expectedSha256);
            }
        }
    }
}
