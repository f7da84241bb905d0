package io.edgewatch.health;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The doctor's {@code http access} check on real token files: a systemd credential path seen from a shell (as in
 * {@code sudo -u edgewatch edgewatch doctor} before the service ever ran) is a warning, a missing ordinary file a
 * failure.
 */
class HttpAccessDoctorCheckTest {

    // not an HttpConfig implementation: Quarkus indexes test classes, and a class implementing a validated config
    // mapping breaks the build of every Quarkus test
    private static CheckResult check(Path tokenFile) {
        return HttpAccessDoctorCheck.check(Optional.of(tokenFile), "127.0.0.1", 8080, 9000).getFirst();
    }

    @Test
    void aSystemdCredentialOutsideTheServiceIsAWarningNotAFailure() {
        // CI and test JVMs run outside any unit: CREDENTIALS_DIRECTORY is unset
        assertThat(System.getenv("CREDENTIALS_DIRECTORY")).isNull();
        CheckResult r = check(Path.of("/run/credentials/edgewatch.service/http-token"));
        assertThat(r.status()).isEqualTo(CheckStatus.WARN);
        assertThat(r.detail()).contains("present only while edgewatch.service runs", "127.0.0.1: health and metrics on port 9000");
    }

    @Test
    void aMissingOrShortTokenFileElsewhereFails(@TempDir Path dir) throws Exception {
        assertThat(check(dir.resolve("http-token")).status()).isEqualTo(CheckStatus.FAIL);
        Path shortToken = Files.writeString(dir.resolve("short"), "abc");
        assertThat(check(shortToken).status()).isEqualTo(CheckStatus.FAIL);
        Path good = Files.writeString(dir.resolve("good"), "0123456789abcdef0123456789abcdef");
        Files.setPosixFilePermissions(good, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        CheckResult ok = check(good);
        assertThat(ok.status()).isEqualTo(CheckStatus.OK);
        assertThat(ok.detail()).doesNotContain("0123456789abcdef"); // the token itself is never shown
    }
}
