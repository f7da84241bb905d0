package io.edgewatch.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.inference.AcceleratedModelLoader;
import io.edgewatch.inference.DelegateMode;
import io.edgewatch.inference.DelegateSpec;
import io.edgewatch.inference.FallbackPolicy;
import io.edgewatch.inference.GoldenTolerance;
import io.edgewatch.inference.LoadedModel;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.testsupport.TestDelegates;
import io.edgewatch.testsupport.TestPaths;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delegate whose first invoke takes 2 s (the slow test plugin, standing in for an NPU graph compile): readiness says
 * {@code warming} meanwhile, liveness stays UP within the grace time and goes DOWN only past it, and the load
 * completes (nothing is killed). Real TFLite, real plugin, real BlazeFace model.
 */
class ModelWarmupHealthTest {
    @TempDir
    Path tmp;

    private ModelManifest face() throws Exception {
        Path model = TestPaths.modelFile("face_detection_short_range.tflite");
        Path f = tmp.resolve("face.manifest.json");
        Files.writeString(f, """
                {"id":"blazeface-short-range-test","file":"%s","sha256":"3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633",
                 "sizeBytes":229032,"input":{"shape":[1,128,128,3],"dtype":"float32"}}
                """.formatted(model));
        return ModelManifest.read(f, new ObjectMapper());
    }

    private static DelegateSpec slow() {
        return new DelegateSpec(DelegateMode.EXTERNAL, 2, Optional.of(TestDelegates.slowFirstInvoke().toString()), Map.of(),
                FallbackPolicy.FAIL, Optional.empty(), true, GoldenTolerance.defaults(), 3);
    }

    private static void awaitWarming(ModelStatusBoard board) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (board.running().isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        assertThat(board.running()).as("a warm-up is running").hasSize(1);
    }

    @Test
    void readinessSaysWarmingDuringASlowFirstInvokeAndLivenessStaysUp() throws Exception {
        ModelManifest face = face();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ModelStatusBoard board = new ModelStatusBoard(60_000, registry);
        ModelReadinessCheck ready = new ModelReadinessCheck(board);
        ModelWarmupLivenessCheck live = new ModelWarmupLivenessCheck(board);
        // nothing loaded yet: not ready (before, this said UP with no model data)
        assertThat(ready.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(ready.call().getData().orElseThrow()).containsEntry("state", "loading");

        AcceleratedModelLoader loader = new AcceleratedModelLoader(new ObjectMapper(), board);
        CompletableFuture<LoadedModel> load = CompletableFuture.supplyAsync(() -> loader.load(face, slow()));
        awaitWarming(board);
        HealthCheckResponse r = ready.call();
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData().orElseThrow()).containsEntry("state", "warming");
        assertThat(r.getData().get().get("warming.blazeface-short-range-test").toString()).startsWith("delegate:" + TestDelegates.slowFirstInvoke());
        assertThat(live.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        try (LoadedModel m = load.get(30, TimeUnit.SECONDS)) {
            assertThat(m.report().delegateApplied()).isTrue();
            assertThat(m.report().warmupMs()).isGreaterThanOrEqualTo(2000);
            assertThat(m.report().steadyInvokeMs()).isLessThan(1000);
            HealthCheckResponse after = ready.call();
            assertThat(after.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
            assertThat(after.getData().orElseThrow()).containsEntry("state", "ready")
                    .containsEntry("blazeface-short-range-test.nodesDelegated", "2/164")
                    .containsEntry("blazeface-short-range-test.golden", "passed");
            assertThat(registry.get("edgewatch.model.nodes.delegated").tag("model", "blazeface-short-range-test").gauge().value()).isEqualTo(2);
            assertThat(registry.get("edgewatch.model.delegate.partitions").tag("model", "blazeface-short-range-test").gauge().value()).isEqualTo(1);
            assertThat(registry.get("edgewatch.model.warmup.ms").tag("model", "blazeface-short-range-test").gauge().value()).isGreaterThanOrEqualTo(2000);
            assertThat(registry.get("edgewatch.model.golden.passed").tag("model", "blazeface-short-range-test").gauge().value()).isEqualTo(1);
        }
    }

    @Test
    void aFirstInvokeBeyondTheGraceTimeIsOverdue() throws Exception {
        ModelManifest face = face();
        ModelStatusBoard board = new ModelStatusBoard(1000, new SimpleMeterRegistry());
        AcceleratedModelLoader loader = new AcceleratedModelLoader(new ObjectMapper(), board);
        CompletableFuture<LoadedModel> load = CompletableFuture.supplyAsync(() -> loader.load(face, slow()));
        awaitWarming(board);
        long end = System.currentTimeMillis() + 10_000;
        while (!board.running().isEmpty() && board.running().getFirst().elapsedMs() <= 1100 && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        HealthCheckResponse r = new ModelReadinessCheck(board).call();
        assertThat(r.getData().orElseThrow()).containsEntry("state", "warmup-overdue");
        assertThat(new ModelWarmupLivenessCheck(board).call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        try (LoadedModel m = load.get(30, TimeUnit.SECONDS)) {
            assertThat(m.report().warmupMs()).isGreaterThanOrEqualTo(2000);
            assertThat(new ModelWarmupLivenessCheck(board).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        }
    }
}
