package io.edgewatch.inference;

import io.edgewatch.testsupport.TestDelegates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExternalDelegateTest {
    @TempDir
    Path tmp;

    @Test
    void explore() {
        AcceleratedModelLoader loader = new AcceleratedModelLoader(DelegateTestModels.MAPPER, WarmupListener.NONE);
        try (LoadedModel m = loader.load(DelegateTestModels.faceDetector(tmp),
                DelegateTestModels.external(TestDelegates.correct(), Map.of(), FallbackPolicy.FAIL))) {
            System.out.println(m.report().summary());
            System.out.println(m.model().graphDelegation());
        }
        try (LoadedModel m = loader.load(DelegateTestModels.faceDetector(tmp),
                DelegateTestModels.external(TestDelegates.correct(), Map.of("ops", "ADD,CONCATENATION"), FallbackPolicy.FAIL))) {
            System.out.println(m.report().summary());
            System.out.println(m.model().graphDelegation());
        }
        try (LoadedModel m = loader.load(DelegateTestModels.faceDetector(tmp),
                DelegateSpec.cpuOnly(Acceleration.XNNPACK, 2))) {
            System.out.println(m.report().summary());
        }
        assertThat(1).isEqualTo(1);
    }
}
