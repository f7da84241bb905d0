package io.edgewatch.config;

import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.io.Reader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, item 5: the shipped unit and image run from a read-only working directory (Quarkus reads
 * {@code config/application.properties} and {@code .env} from it), with state paths that do not depend on it.
 */
class StatePathsTest {

    @Test
    void relativeStatePathsGoToTheStateDirectoryWhenThereIsOne() {
        Path state = Path.of("/var/lib/edgewatch");
        assertThat(StatePaths.resolve(Path.of("data/gallery"), state)).isEqualTo(Path.of("/var/lib/edgewatch/data/gallery"));
        assertThat(StatePaths.resolve(Path.of("."), state)).isEqualTo(state);
        assertThat(StatePaths.resolve(Path.of("/srv/spool"), state)).isEqualTo(Path.of("/srv/spool"));
        // no state directory (development, tests): relative to the working directory, unchanged
        assertThat(StatePaths.resolve(Path.of("data/gallery"), null)).isEqualTo(Path.of("data/gallery"));
        assertThat(StatePaths.stateDirectory("/var/lib/edgewatch:/var/lib/other")).isEqualTo(state);
        assertThat(StatePaths.stateDirectory("")).isNull();
        assertThat(StatePaths.stateDirectory(null)).isNull();
    }

    @Test
    void theSystemdUnitRunsFromTheReadOnlyInstallFolder() throws Exception {
        List<String> unit = Files.readAllLines(TestPaths.projectRoot().resolve("systemd/edgewatch.service"));
        String workDir = value(unit, "WorkingDirectory=");
        assertThat(value(unit, "ProtectSystem=")).isEqualTo("strict"); // /opt and /etc read-only for the service
        assertThat(workDir).startsWith("/opt/");
        assertThat(value(unit, "StateDirectory=")).isEqualTo("edgewatch");
        // nothing the service may write is its working directory
        assertThat(unit).noneMatch(l -> l.startsWith("ReadWritePaths=") && l.contains(workDir));
        assertThat(workDir).doesNotStartWith("/var/lib").doesNotStartWith("/etc").doesNotStartWith("/tmp");
    }

    @Test
    void theImageRunsFromTheInstallFolderWithStateOnTheVolume() throws Exception {
        List<String> lines = Files.readAllLines(TestPaths.projectRoot().resolve("Dockerfile.arm64"));
        int runtime = lines.indexOf(lines.stream().filter(l -> l.startsWith("FROM ") && l.contains("runtime-base")).findFirst().orElseThrow());
        List<String> workdirs = lines.subList(runtime, lines.size()).stream().filter(l -> l.startsWith("WORKDIR ")).toList();
        assertThat(workdirs).containsExactly("WORKDIR /opt/edgewatch");
        assertThat(lines).anyMatch(l -> l.trim().startsWith("STATE_DIRECTORY=/var/lib/edgewatch"));
        assertThat(lines).anyMatch(l -> l.startsWith("VOLUME") && l.contains("/var/lib/edgewatch"));
    }

    @Test
    void theShippedExampleGivesAbsoluteStatePaths() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(TestPaths.projectRoot().resolve("systemd/application.properties.example"))) {
            p.load(r);
        }
        for (String key : List.of("edgewatch.spool.dir", "edgewatch.faces.gallery-dir", "edgewatch.doctor.state-dirs")) {
            assertThat(p.getProperty(key)).as(key).startsWith("/var/lib/edgewatch");
        }
    }

    private static String value(List<String> unit, String prefix) {
        return unit.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim()).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in the unit"));
    }
}
