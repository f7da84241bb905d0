package io.edgewatch.face;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Faces enabled with a declared purpose and legal basis, a fresh key and gallery in a temporary folder, random HTTP port. */
public class FacesEnabledProfile implements QuarkusTestProfile {
    static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("edgewatch-faces-it");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        GalleryCipher.generateKeyFile(DIR.resolve("gallery.key"));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "edgewatch.faces.enabled", "true",
                "edgewatch.faces.purpose", "test: staff entrance log",
                "edgewatch.faces.legal-basis", "test: GDPR Art. 9(2)(a) explicit consent",
                "edgewatch.faces.key-file", DIR.resolve("gallery.key").toString(),
                "edgewatch.faces.gallery-dir", DIR.resolve("gallery").toString(),
                "edgewatch.faces.retention-days", "30",
                "edgewatch.device-id", "facedev",
                "quarkus.http.test-port", "0");
    }
}
