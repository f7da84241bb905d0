package io.edgewatch.face;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * AES-256-GCM (NIST SP 800-38D) for gallery values, with the JDK's {@code javax.crypto}: a fresh random 96-bit IV
 * per value, a 128-bit tag, and associated data that binds each value to its key in the store (a value moved to
 * another entry fails to decrypt). Layout: {@code 0x01 | IV (12 bytes) | ciphertext + tag}. The key comes from a
 * file (e.g. a systemd credential, {@code LoadCredential=}) holding 32 raw bytes, 64 hex digits or base64 of 32
 * bytes; never from the configuration itself. Thread-safe.
 */
public final class GalleryCipher {
    private static final int VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();
    private final Path keyFile;

    private GalleryCipher(byte[] key, Path keyFile) {
        this.key = new SecretKeySpec(key, "AES");
        this.keyFile = keyFile;
        Arrays.fill(key, (byte) 0);
    }

    /**
     * Reads a 256-bit key file.
     *
     * @throws FaceException naming the file when it is missing, unreadable or does not hold a 256-bit key
     */
    public static GalleryCipher fromKeyFile(Path keyFile) {
        if (keyFile == null) {
            throw new FaceException("no gallery key file given (edgewatch.faces.key-file or --key-file): the gallery is always encrypted");
        }
        if (!Files.exists(keyFile)) {
            throw new FaceException("gallery key file " + keyFile + " does not exist (create one with `edgewatch gallery new-key FILE`,"
                    + " then set edgewatch.faces.key-file or --key-file)");
        }
        byte[] raw;
        try {
            raw = Files.readAllBytes(keyFile);
            io.edgewatch.util.SecretFiles.warnIfOpen("gallery key file (edgewatch.faces.key-file)", keyFile);
        } catch (IOException e) {
            throw new FaceException("gallery key file " + keyFile + " cannot be read: " + e.getMessage(), e);
        }
        byte[] key = parse(raw);
        Arrays.fill(raw, (byte) 0);
        if (key == null) {
            throw new FaceException("gallery key file " + keyFile + " must hold a 256-bit key: 32 raw bytes, 64 hex digits or base64 of 32 bytes"
                    + " (e.g. `head -c 32 /dev/urandom > " + keyFile + "`)");
        }
        return new GalleryCipher(key, keyFile);
    }

    private static byte[] parse(byte[] raw) {
        if (raw.length == 32) {
            return raw.clone();
        }
        String s = new String(raw, StandardCharsets.US_ASCII).strip();
        try {
            if (s.matches("[0-9a-fA-F]{64}")) {
                return HexFormat.of().parseHex(s);
            }
            byte[] b = Base64.getDecoder().decode(s);
            return b.length == 32 ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Writes a new random 256-bit key (32 raw bytes) with mode 0600; refuses to overwrite.
     *
     * @throws FaceException when the file exists or cannot be written
     */
    public static void generateKeyFile(Path keyFile) {
        if (Files.exists(keyFile)) {
            throw new FaceException("gallery key file " + keyFile + " already exists; not overwritten");
        }
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        try {
            Files.createFile(keyFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            Files.write(keyFile, k);
        } catch (IOException e) {
            throw new FaceException("gallery key file " + keyFile + " cannot be written: " + e.getMessage(), e);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** Encrypts {@code plain} bound to {@code aad}. */
    public byte[] encrypt(byte[] plain, String aad) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain);
            byte[] out = new byte[1 + IV_BYTES + ct.length];
            out[0] = VERSION;
            System.arraycopy(iv, 0, out, 1, IV_BYTES);
            System.arraycopy(ct, 0, out, 1 + IV_BYTES, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new FaceException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts a value written by {@link #encrypt}.
     *
     * @throws FaceException when the tag does not verify (wrong key, tampered value or value moved to another entry)
     */
    public byte[] decrypt(byte[] value, String aad) {
        if (value == null || value.length < 1 + IV_BYTES + TAG_BITS / 8 || value[0] != VERSION) {
            throw new FaceException("gallery value '" + aad + "' is not an edgewatch AES-GCM value");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, value, 1, IV_BYTES));
            c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(value, 1 + IV_BYTES, value.length - 1 - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw new FaceException("gallery value '" + aad + "' does not decrypt with the key in " + keyFile
                    + " (wrong key, or the store was modified)", e);
        } catch (GeneralSecurityException e) {
            throw new FaceException("AES-GCM decryption failed: " + e.getMessage(), e);
        }
    }

    /** The key file this cipher was read from. */
    public Path keyFile() {
        return keyFile;
    }
}
