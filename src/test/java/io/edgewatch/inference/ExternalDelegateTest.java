package io.edgewatch.inference;

import io.edgewatch.testsupport.TestDelegates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * External delegates against the real TFLite runtime, with the project's test plugins (native/*.c, built by gcc) on
 * MediaPipe's float BlazeFace detector (164 nodes: 2 float32 CONCATENATION, 16 same-shape float32 ADD).
 */
class ExternalDelegateTest {
    @TempDir
    Path tmp;

    private final AcceleratedModelLoader loader = new AcceleratedModelLoader(DelegateTestModels.MAPPER, WarmupListener.NONE);

    private static Map<String, String> opts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void correctDelegateRunsItsNodesAndLeavesOutputsUnchanged() {
        ModelManifest face = DelegateTestModels.faceDetector(tmp);
        try (LoadedModel m = loader.load(face, DelegateTestModels.external(TestDelegates.correct(), opts(), FallbackPolicy.FAIL));
             TfliteModel cpu = TfliteModel.load(face, InterpreterOptions.xnnpack(2))) {
            DelegateReport r = m.report();
            assertThat(r.delegateApplied()).isTrue();
            assertThat(r.fallbackApplied()).isFalse();
            assertThat(r.runsOn()).isEqualTo("delegate:" + TestDelegates.correct());
            // both CONCATENATION heads, which TFLite groups into one delegate kernel
            assertThat(r.nodesDelegated()).isEqualTo(2);
            assertThat(r.nodesTotal()).isEqualTo(164);
            assertThat(r.partitions()).isEqualTo(1);
            // the user delegate does not disable TFLite's lazy XNNPACK delegate: it takes the other 162 nodes
            assertThat(r.xnnpackNodes()).isEqualTo(162);
            assertThat(r.golden().status()).isEqualTo("passed");
            assertThat(r.golden().elementsCompared()).isEqualTo(896 * 16 + 896);
            assertThat(r.warmupMs()).isPositive();
            assertThat(r.cpuInvokeMs()).isPositive();
            assertThat(r.delegateInvokeMs()).isPositive();

            // independent of the golden check: the same input through the plain CPU model gives the same outputs
            GoldenCheck.fillFixedInput(cpu, 42);
            GoldenCheck.fillFixedInput(m.model(), 42);
            cpu.invoke();
            m.model().invoke();
            for (int o = 0; o < 2; o++) {
                float[] want = new float[cpu.outputs().get(o).elementCount()];
                float[] got = new float[want.length];
                cpu.readOutput(o, want);
                m.model().readOutput(o, got);
                assertThat(got).containsExactly(want, within(1e-4f));
                double energy = 0;
                for (float v : want) {
                    energy += Math.abs(v);
                }
                assertThat(energy).as("output %d is not trivially zero", o).isGreaterThan(1);
            }
        }
    }

    @Test
    void optionsReachThePlugin() {
        ModelManifest face = DelegateTestModels.faceDetector(tmp);
        try (LoadedModel m = loader.load(face, DelegateTestModels.external(TestDelegates.correct(), opts("ops", "ADD,CONCATENATION"), FallbackPolicy.FAIL))) {
            assertThat(m.report().nodesDelegated()).isEqualTo(18);
            assertThat(m.report().partitions()).isEqualTo(17);
            assertThat(m.report().golden().status()).isEqualTo("passed");
        }
        // an option the plugin refuses: its own words reach the report, and the model continues on the CPU
        try (LoadedModel m = loader.load(face, DelegateTestModels.external(TestDelegates.correct(), opts("colour", "blue"), FallbackPolicy.CPU))) {
            assertThat(m.report().delegateApplied()).isFalse();
            assertThat(m.report().fallbackApplied()).isTrue();
            assertThat(m.report().runsOn()).isEqualTo("xnnpack");
            assertThat(m.report().reason()).contains("ew_correct_delegate: unknown option 'colour'");
        }
    }

    @Test
    void wrongDelegateIsCaughtByTheGoldenCheck() {
        ModelManifest face = DelegateTestModels.faceDetector(tmp);
        try (LoadedModel m = loader.load(face, DelegateTestModels.external(TestDelegates.wrong(), opts(), FallbackPolicy.CPU))) {
            DelegateReport r = m.report();
            assertThat(r.delegateApplied()).isFalse();
            assertThat(r.fallbackApplied()).isTrue();
            assertThat(r.runsOn()).isEqualTo("xnnpack");
            assertThat(r.golden().status()).isEqualTo("failed");
            assertThat(r.golden().mismatches()).isEqualTo(896 * 16 + 896);
            assertThat(r.golden().maxAbsDiff()).isCloseTo(0.5, within(1e-3));
            assertThat(r.reason()).startsWith("golden check failed: delegate " + TestDelegates.wrong());
            // what runs now is the CPU model: same outputs as a plain CPU interpreter
            assertThat(m.model().delegate()).isNull();
        }
        assertThatThrownBy(() -> loader.load(face, DelegateTestModels.external(TestDelegates.wrong(), opts(), FallbackPolicy.FAIL)))
                .isInstanceOf(DelegateException.class)
                .hasMessageContaining("golden check failed")
                .hasMessageContaining("fallback policy is 'fail'");
    }

    @Test
    void failingCreateReportsThePluginsWords() {
        ModelManifest face = DelegateTestModels.faceDetector(tmp);
        try (LoadedModel m = loader.load(face, DelegateTestModels.external(TestDelegates.failingCreate(), opts(), FallbackPolicy.CPU))) {
            assertThat(m.report().fallbackApplied()).isTrue();
            assertThat(m.report().reason()).contains("ew_failcreate_delegate: no accelerator device found (/dev/ew-npu0 missing)");
        }
        assertThatThrownBy(() -> loader.load(face, DelegateTestModels.external(TestDelegates.failingCreate(), opts(), FallbackPolicy.FAIL)))
                .isInstanceOf(DelegateException.class)
                .hasMessageContaining("could not create a delegate")
                .hasMessageContaining("no accelerator device found");
    }

    @Test
    void brokenLibrariesGiveClearMessagesAndFollowThePolicy() {
        ModelManifest face = DelegateTestModels.faceDetector(tmp);
        Path missing = tmp.resolve("libedgetpu.so.1");
        assertThatThrownBy(() -> loader.load(face, DelegateTestModels.external(missing, opts(), FallbackPolicy.FAIL)))
                .isInstanceOf(DelegateException.class)
                .hasMessageContaining("external delegate library " + missing + " does not exist");
        // a soname the dynamic loader cannot find (no Edge TPU runtime on this machine)
        DelegateSpec soname = new DelegateSpec(DelegateMode.EXTERNAL, 2, java.util.Optional.of("libedgetpu.so.1"), opts(), FallbackPolicy.CPU,
                java.util.Optional.empty(), true, GoldenTolerance.defaults(), 3);
        try (LoadedModel m = loader.load(face, soname)) {
            assertThat(m.report().fallbackApplied()).isTrue();
            assertThat(m.report().reason()).contains("cannot load external delegate library libedgetpu.so.1: libedgetpu.so.1: cannot open shared object file");
        }
        try (LoadedModel m = loader.load(face, DelegateTestModels.external(TestDelegates.noPluginSymbols(), opts(), FallbackPolicy.CPU))) {
            assertThat(m.report().reason()).contains("is not a TensorFlow Lite external delegate plugin: it does not export tflite_plugin_create_delegate");
        }
        // RTLD_NOW: an unresolvable symbol is a dlopen error, not a crash at the first call
        try (LoadedModel m = loader.load(face, DelegateTestModels.external(TestDelegates.unresolvedSymbol(), opts(), FallbackPolicy.CPU))) {
            assertThat(m.report().reason()).contains("undefined symbol: TfLiteEdgewatchNoSuchFunction");
            assertThat(m.model().invoke()).isPositive();
        }
    }

    @Test
    void pluginUsingTfliteSymbolsLoadsAfterPromotionAndIsDestroyedOnClose() throws Throwable {
        // JavaCPP names the copy loaded by a second class loader (a Quarkus test in the same JVM) libjnitensorflowlite0.so
        assertThat(ExternalDelegateLoader.loadedTflitePath()).hasValueSatisfying(p -> assertThat(p.getFileName().toString())
                .matches("libjnitensorflowlite\\d*\\.so"));
        Path lib = TestDelegates.correct();
        MethodHandle live;
        try (Arena a = Arena.ofConfined()) {
            // the test plugin imports TfLiteIntArrayCreate/TfLiteIntArrayFree: loading it at all needs the promotion
            new ExternalDelegateLoader().promoteTflite();
            live = Linker.nativeLinker().downcallHandle(SymbolLookup.libraryLookup(lib, Arena.global()).find("ew_live_delegates").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
        }
        int before = (int) live.invokeExact();
        LoadedModel m = loader.load(DelegateTestModels.faceDetector(tmp), DelegateTestModels.external(lib, opts(), FallbackPolicy.FAIL));
        assertThat(m.report().delegateApplied()).isTrue();
        assertThat((int) live.invokeExact()).isEqualTo(before + 1);
        m.close();
        assertThat((int) live.invokeExact()).isEqualTo(before);
    }

    @Test
    void autoMeasuresBothAndUsesTheFaster() {
        ModelManifest face = DelegateTestModels.faceDetector(tmp);
        DelegateSpec auto = new DelegateSpec(DelegateMode.AUTO, 2, java.util.Optional.of(TestDelegates.correct().toString()),
                opts("ops", "ADD,CONCATENATION"), FallbackPolicy.CPU, java.util.Optional.empty(), true, GoldenTolerance.defaults(), 15);
        try (LoadedModel m = loader.load(face, auto)) {
            DelegateReport r = m.report();
            assertThat(r.cpuInvokeMs()).isPositive();
            assertThat(r.delegateInvokeMs()).isPositive();
            assertThat(r.golden().status()).isEqualTo("passed");
            if (r.cpuInvokeMs() <= r.delegateInvokeMs()) {
                assertThat(r.runsOn()).isEqualTo("xnnpack");
                assertThat(r.reason()).startsWith("auto: xnnpack");
                assertThat(m.model().delegate()).isNull();
            } else {
                assertThat(r.runsOn()).startsWith("delegate:");
                assertThat(r.reason()).startsWith("auto: delegate");
                assertThat(m.model().delegate()).isNotNull();
            }
        }
    }

    @Test
    void furtherInterpretersAreLoadedAsDecidedWithTheirOwnDelegate() {
        ModelManifest face = DelegateTestModels.faceDetector(tmp);
        DelegateSpec spec = DelegateTestModels.external(TestDelegates.correct(), opts(), FallbackPolicy.FAIL);
        java.util.List<String> warmed = new java.util.concurrent.CopyOnWriteArrayList<>();
        AcceleratedModelLoader tracking = new AcceleratedModelLoader(DelegateTestModels.MAPPER, (model, target) -> {
            warmed.add(model + "@" + target);
            return (ms, ok) -> { };
        });
        try (LoadedModel first = tracking.load(face, spec);
             LoadedModel camera = tracking.loadAsDecided(face, spec, first.report())) {
            assertThat(camera.model().delegate()).isNotNull();
            assertThat(camera.model().delegate().address()).isNotEqualTo(first.model().delegate().address());
            assertThat(camera.report().nodesDelegated()).isEqualTo(2);
            assertThat(camera.report().golden().status()).isEqualTo("skipped");
            assertThat(warmed).containsExactly("blazeface-short-range-test@delegate:" + TestDelegates.correct(),
                    "blazeface-short-range-test@delegate:" + TestDelegates.correct());
        }
    }

    @Test
    void cpuModesReportXnnpackCoverage() {
        ModelManifest face = DelegateTestModels.faceDetector(tmp);
        try (LoadedModel x = loader.load(face, DelegateSpec.cpuOnly(Acceleration.XNNPACK, 2));
             LoadedModel c = loader.load(face, DelegateSpec.cpuOnly(Acceleration.CPU, 2))) {
            assertThat(x.report().xnnpackNodes()).isEqualTo(164);
            assertThat(c.report().xnnpackNodes()).isZero();
            assertThat(c.report().runsOn()).isEqualTo("cpu");
        }
    }

    @Test
    void edgeTpuModelWithoutItsDelegateIsRefusedOrReplaced() {
        ModelManifest edgetpu = DelegateTestModels.ssdEdgeTpu();
        assertThatThrownBy(() -> loader.load(edgetpu, DelegateSpec.cpuOnly(Acceleration.XNNPACK, 2)))
                .isInstanceOf(EdgeTpuModelException.class)
                .hasMessageContaining("is compiled for the Edge TPU (custom op edgetpu-custom-op)")
                .hasMessageContaining("library=libedgetpu.so.1")
                .hasMessageContaining("cpu-model");
        Path cpuManifest = io.edgewatch.testsupport.TestPaths.detectorManifest();
        DelegateSpec withCpu = new DelegateSpec(DelegateMode.XNNPACK, 2, java.util.Optional.empty(), opts(), FallbackPolicy.CPU,
                java.util.Optional.of(cpuManifest), true, GoldenTolerance.defaults(), 3);
        try (LoadedModel m = loader.load(edgetpu, withCpu)) {
            assertThat(m.model().manifest().id()).isEqualTo("ssd-mobilenet-v2-coco");
            assertThat(m.report().reason()).contains("Edge TPU model replaced by CPU model ssd-mobilenet-v2-coco");
            assertThat(m.report().nodesTotal()).isEqualTo(99);
        }
        // a delegate that does not take edgetpu-custom-op: refused with both reasons under policy 'cpu' without a CPU model
        assertThatThrownBy(() -> loader.load(edgetpu, DelegateTestModels.external(TestDelegates.correct(), opts(), FallbackPolicy.CPU)))
                .isInstanceOf(EdgeTpuModelException.class)
                .hasMessageContaining("did not take that op")
                .hasMessageContaining("cannot run without the Edge TPU delegate");
    }
}
