package io.edgewatch.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.testsupport.TestPaths;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A detector service's meters live as long as the service: a second one (the agent started again) shows its own. */
class DetectorServiceMetricsTest {

    @Test
    void closeRemovesTheMetersSoTheNextServiceIsTheOneReported() {
        ModelManifest m = ModelManifest.read(TestPaths.detectorManifest(), new ObjectMapper());
        DetectionFilter filter = new DetectionFilter(Set.of("person"), 0.5, Map.of());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DetectorService first = new DetectorService(m.id(), List.of(new ObjectDetector(TfliteModel.load(m, InterpreterOptions.xnnpack(1)), filter)));
        first.bindMetrics(registry);
        assertThat(registry.get("edgewatch.detector.interpreters").tag("detector", m.id()).gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("edgewatch.detector.invoke").tag("detector", m.id()).timer()).isNotNull();
        first.close();
        assertThat(registry.find("edgewatch.detector.interpreters").gauges()).isEmpty();
        assertThat(registry.find("edgewatch.detector.invoke").timers()).isEmpty();

        try (DetectorService second = new DetectorService(m.id(), List.of(
                new ObjectDetector(TfliteModel.load(m, InterpreterOptions.xnnpack(1)), filter),
                new ObjectDetector(TfliteModel.load(m, InterpreterOptions.xnnpack(1)), filter)))) {
            second.bindMetrics(registry);
            // before, the first service's gauge stayed registered (a weak reference to a closed service) and this one was ignored
            assertThat(registry.find("edgewatch.detector.interpreters").gauges()).hasSize(1);
            assertThat(registry.get("edgewatch.detector.interpreters").gauge().value()).isEqualTo(2.0);
        }
    }
}
