package io.edgewatch.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10, item 6: secret files readable by group or others get a warning naming the setting, file and mode. */
class SecretFilesTest {

    @Test
    void aGroupOrWorldReadableSecretIsWarnedAboutAPrivateOneIsNot(@TempDir Path tmp) throws Exception {
        Path key = Files.writeString(tmp.resolve("gallery-key"), "not read by the check");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(SecretFiles.openModeWarning("edgewatch.faces.key-file", key)).hasValueSatisfying(w -> assertThat(w)
                .contains("edgewatch.faces.key-file", key.toString(), "rw-r--r--", "chmod 600").doesNotContain("not read by the check"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(SecretFiles.openModeWarning("edgewatch.faces.key-file", key)).isPresent();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThat(SecretFiles.openModeWarning("edgewatch.faces.key-file", key)).isEmpty();
        assertThat(SecretFiles.openModeWarning("edgewatch.faces.key-file", tmp.resolve("absent"))).isEmpty();
    }
}
