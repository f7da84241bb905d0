package io.edgewatch.face;

import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The face CLI commands as a user runs them (Quarkus command mode, real models and photos). */
@QuarkusMainTest
@TestProfile(FacesEnabledProfile.class)
class FaceCliTest {

    @Test
    void enrollIdentifyListRemoveAndVerifyAudit(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory(FacesEnabledProfile.DIR, "cli");
        Path key = dir.resolve("k");
        String g = dir.resolve("gallery").toString();
        assertThat(launcher.launch("gallery", "new-key", key.toString()).exitCode()).isZero();
        String obama = TestPaths.sharedMedia("faces/obama.jpg").toString();
        String obama2 = TestPaths.sharedMedia("faces/obama2.jpg").toString();
        String biden = TestPaths.sharedMedia("faces/biden.jpg").toString();
        String astronaut = TestPaths.fetchedMedia("astronaut.png").toString();

        // before any enrolment: reading commands refuse a folder without a gallery (a mistyped --gallery would
        // otherwise be a new, empty gallery where everyone is unknown); a missing key file is named as missing
        LaunchResult none = launcher.launch("identify", "--gallery", g, "--key-file", key.toString(), obama2);
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.getErrorOutput()).contains("no gallery in " + dir.resolve("gallery").toAbsolutePath()).contains("`enroll` creates a gallery");
        assertThat(launcher.launch("gallery", "list", "--gallery", g, "--key-file", key.toString()).getErrorOutput()).contains("no gallery in");
        assertThat(dir.resolve("gallery")).doesNotExist();
        LaunchResult noKey = launcher.launch("enroll", "--gallery", g, "--key-file", dir.resolve("nokey").toString(), "--id", "x", obama);
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.getErrorOutput()).contains("gallery key file " + dir.resolve("nokey") + " does not exist (create one with");

        LaunchResult r = launcher.launch("enroll", "--gallery", g, "--key-file", key.toString(), "--id", "person-A", obama);
        assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
        assertThat(r.getOutput()).contains("enrolled person-A from " + obama);

        r = launcher.launch("identify", "--gallery", g, "--key-file", key.toString(), "--timings", obama2, biden, astronaut);
        assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
        List<String> lines = r.getOutput().lines().filter(l -> l.startsWith("{")).toList();
        System.out.println(String.join("\n", lines));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains("obama2.jpg").contains("\"identity\":\"person-A\"").contains("\"box\":{");
        assertThat(lines.get(1)).contains("biden.jpg").contains("\"identity\":null");
        assertThat(lines.get(2)).contains("astronaut.png").contains("\"identity\":null");

        // several faces: refused, saying so; nothing enrolled
        Path two = dir.resolve("two.png");
        try (var a = FaceEnrolment.read(Path.of(obama)); var b = FaceEnrolment.read(Path.of(biden)); var a2 = new org.bytedeco.opencv.opencv_core.Mat();
             var b2 = new org.bytedeco.opencv.opencv_core.Mat(); var both = new org.bytedeco.opencv.opencv_core.Mat()) {
            org.bytedeco.opencv.global.opencv_imgproc.resize(a, a2, new org.bytedeco.opencv.opencv_core.Size(500, 625));
            org.bytedeco.opencv.global.opencv_imgproc.resize(b, b2, new org.bytedeco.opencv.opencv_core.Size(275, 625));
            org.bytedeco.opencv.global.opencv_core.hconcat(new org.bytedeco.opencv.opencv_core.MatVector(a2, b2), both);
            org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(two.toString(), both);
        }
        r = launcher.launch("enroll", "--gallery", g, "--key-file", key.toString(), "--id", "person-B", two.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.getErrorOutput()).contains(two.toString()).contains("2 faces found");

        r = launcher.launch("gallery", "list", "--gallery", g, "--key-file", key.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.getOutput()).contains("\"identity\":\"person-A\"").contains("\"templates\":1").doesNotContain("person-B")
                .contains("\"expires\":\"20"); // retention-days=30

        // a wrong key fails clearly
        Path other = dir.resolve("other");
        launcher.launch("gallery", "new-key", other.toString());
        r = launcher.launch("gallery", "list", "--gallery", g, "--key-file", other.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.getErrorOutput()).contains("wrong key").contains(other.toString());

        r = launcher.launch("gallery", "remove", "--gallery", g, "--key-file", key.toString(), "--id", "person-A");
        assertThat(r.exitCode()).isZero();
        assertThat(r.getOutput()).contains("removed person-A (1 templates)");

        Path audit = dir.resolve("gallery/audit.jsonl");
        List<String> entries = Files.readAllLines(audit);
        assertThat(entries).extracting(l -> l.replaceAll(".*\"type\":\"([a-z-]+)\".*", "$1"))
                .containsSubsequence("config", "enrol", "decision", "list", "delete");
        assertThat(String.join("\n", entries)).doesNotContain("biden").doesNotContain("astronaut"); // unknown faces are not logged
        r = launcher.launch("gallery", "verify-audit", "--gallery", g);
        assertThat(r.exitCode()).isZero();
        assertThat(r.getOutput()).contains(entries.size() + " entries, hash chain intact");

        // tamper with the enrolment line: detected, naming the line
        int enrolLine = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).contains("\"type\":\"enrol\"")) {
                enrolLine = i;
            }
        }
        entries = new java.util.ArrayList<>(entries);
        entries.set(enrolLine, entries.get(enrolLine).replace("person-A", "person-Z"));
        Files.write(audit, entries);
        r = launcher.launch("gallery", "verify-audit", "--gallery", g);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.getOutput()).contains("BROKEN at line " + (enrolLine + 1));
    }
}
