package io.edgewatch.health;

import io.edgewatch.capture.CameraTls;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.testsupport.HttpsVideoServer;
import io.edgewatch.testsupport.TestPaths;
import io.edgewatch.testsupport.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The doctor's camera check of an https:// camera whose certificate comes from a private CA (a real HttpsServer). */
class CameraTlsDoctorTest {

    @Test
    void checkedUncheckedAndBadCaFile(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        try (HttpsVideoServer server = HttpsVideoServer.start(pki.issue("camera", "DNS:localhost,IP:127.0.0.1").context(), TestPaths.vtest())) {
            String url = server.url("viewer:Secr3t-pw", "127.0.0.1");
            CaptureSettings base = new CaptureSettings("door", url, "tcp", 5_000, 5_000, 200, 1_000, 0, 10_000);

            CheckResult refused = Doctor.checkCamera(base);
            assertThat(refused.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(refused.detail()).startsWith("cannot read a frame from https://***@127.0.0.1:" + server.port() + "/video: TLS certificate of 127.0.0.1:"
                    + server.port() + " refused: it (CN=camera) is not issued by a trusted CA").doesNotContain("Secr3t-pw");

            CheckResult checked = Doctor.checkCamera(base.withTls(new CameraTls(true, Optional.of(pki.caPem()))));
            assertThat(checked.status()).isEqualTo(CheckStatus.OK);
            assertThat(checked.detail()).isEqualTo("https://***@127.0.0.1:" + server.port() + "/video: one frame read, 768x576, msmpeg4, 10.0 fps declared");

            CheckResult unchecked = Doctor.checkCamera(base.withTls(new CameraTls(false, Optional.empty())));
            assertThat(unchecked.status()).isEqualTo(CheckStatus.WARN);
            assertThat(unchecked.detail()).isEqualTo(checked.detail() + "; TLS certificate not checked (edgewatch.cameras.door.tls-verify=false):"
                    + " anyone on the network path can pose as this camera");

            CheckResult badCa = Doctor.checkCamera(base.withTls(new CameraTls(true, Optional.of(dir.resolve("missing-ca.pem")))));
            assertThat(badCa.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(badCa.detail()).isEqualTo("edgewatch.cameras.door.ca-file: CA file " + dir.resolve("missing-ca.pem") + " does not exist");
            assertThat(server.hostHeaders()).hasSize(2); // only the checked and the opted-out read reached the server
        }
    }
}
