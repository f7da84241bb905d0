package io.edgewatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.testsupport.EventSchema;
import io.edgewatch.testsupport.TestPaths;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged agent (target/quarkus-app/quarkus-run.jar, a child process) with no broker configured: standard
 * output carries one JSON event per line and nothing else, logs go to standard error, and it exits by itself at
 * the end of the file; OpenCV and FFmpeg were loaded in the background while the model loaded ({@link NativePreload}).
 */
@QuarkusMainIntegrationTest
class StdoutEventsIT {

    @Test
    void standardOutputCarriesOnlyJsonEvents(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult r = launcher.launch("run", "--source", TestPaths.vtest().toString(), "--max-frames", "120");
        assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
        List<String> lines = r.getOutputStream();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(6); // several people confirmed and ended within 12 s of video
        ObjectMapper mapper = new ObjectMapper();
        long ends = 0;
        long news = 0;
        for (String line : lines) {
            JsonNode n = mapper.readTree(line);
            assertThat(EventSchema.validate(n)).as(line).isEmpty();
            news += n.get("type").asText().equals("new") ? 1 : 0;
            ends += n.get("type").asText().equals("end") ? 1 : 0;
        }
        assertThat(ends).isEqualTo(news);
        assertThat(r.getErrorOutput()).contains("events go to standard output").contains("camera cam1: opened")
                // OpenCV and FFmpeg were loaded on a background thread while the model loaded
                .containsPattern("native libraries preloaded in \\d+ ms")
                .doesNotContain("HV000001"); // no library version banners in an operator's log
    }
}
