package io.edgewatch.inference;

import io.edgewatch.testsupport.TestDelegates;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.RegistrationNodePair;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delegate written against TFLite's opaque delegate API (native/opaque_delegate.c: TfLiteOpaqueDelegateCreate,
 * TfLiteOperator kernel, opaque accessors only) on the real TFLite runtime and MediaPipe's float BlazeFace detector.
 * Its kernel nodes carry TfLiteOpaqueDelegateParams, which reading them as TfLiteDelegateParams turns into a garbage
 * node count. The expected counts come from the model graph itself (a plain CPU interpreter, no delegate).
 */
class OpaqueDelegateTest {
    private static final int BUILTIN_ADD = 0;
    private static final int BUILTIN_CONCATENATION = 2;
    private static final int FLOAT32 = 1;
    /** kTfLiteActNone, Relu, ReluN1To1, Relu6: the fused activations the test delegates compute. */
    private static final Set<Integer> ACTIVATIONS = Set.of(0, 1, 2, 3);

    @TempDir
    Path tmp;

    private final AcceleratedModelLoader loader = new AcceleratedModelLoader(DelegateTestModels.MAPPER, WarmupListener.NONE);

    @Test
    void opaqueDelegateReportsTheNodesItClaimsAndComputesThem() {
        ModelManifest face = DelegateTestModels.faceDetector(tmp);
        for (String ops : new String[] {"CONCATENATION", "ADD,CONCATENATION"}) {
            int claimable;
            int nodes;
            try (TfliteModel graph = TfliteModel.load(face, new InterpreterOptions(1, Acceleration.CPU))) {
                claimable = claimableNodes(graph.interpreter(), Set.of(ops.split(",")));
                nodes = (int) graph.nodeCount();
            }
            assertThat(claimable).as("the model has %s nodes the delegate takes", ops).isPositive();
            try (LoadedModel m = loader.load(face, DelegateTestModels.external(TestDelegates.opaque(), Map.of("ops", ops), FallbackPolicy.FAIL));
                 TfliteModel cpu = TfliteModel.load(face, InterpreterOptions.xnnpack(2))) {
                DelegateReport r = m.report();
                assertThat(r.delegateApplied()).as(ops).isTrue();
                assertThat(r.runsOn()).isEqualTo("delegate:" + TestDelegates.opaque());
                assertThat(r.nodesTotal()).isEqualTo(nodes);
                assertThat(r.nodesDelegated()).as("%s nodes delegated", ops).isEqualTo(claimable).isBetween(0, r.nodesTotal());
                assertThat(r.partitions()).as("%s partitions", ops).isBetween(1, r.nodesDelegated());
                // TFLite's lazy XNNPACK delegate takes every node the opaque delegate left
                assertThat(r.xnnpackNodes()).isEqualTo(r.nodesTotal() - r.nodesDelegated());
                assertThat(r.golden().status()).isEqualTo("passed");
                assertThat(r.golden().mismatches()).isZero();
                assertThat(r.golden().elementsCompared()).isEqualTo(896 * 16 + 896);

                // independent of the golden check: another input, compared with the golden tolerance
                GoldenCheck.fillFixedInput(cpu, 7);
                GoldenCheck.fillFixedInput(m.model(), 7);
                cpu.invoke();
                m.model().invoke();
                GoldenTolerance tol = GoldenTolerance.defaults();
                for (int o = 0; o < cpu.outputs().size(); o++) {
                    float[] want = new float[cpu.outputs().get(o).elementCount()];
                    float[] got = new float[want.length];
                    cpu.readOutput(o, want);
                    m.model().readOutput(o, got);
                    double energy = 0;
                    for (int e = 0; e < want.length; e++) {
                        assertThat((double) Math.abs(got[e] - want[e])).as("%s output %d element %d", ops, o, e)
                                .isLessThanOrEqualTo(tol.absolute() + tol.relative() * Math.abs(want[e]));
                        energy += Math.abs(want[e]);
                    }
                    assertThat(energy).as("output %d is not trivially zero", o).isGreaterThan(1);
                }
            }
        }
    }

    @Test
    void bothDelegateApisReportTheSameSplitOfTheSameClaims() {
        ModelManifest face = DelegateTestModels.faceDetector(tmp);
        for (String ops : new String[] {"CONCATENATION", "ADD,CONCATENATION"}) {
            try (LoadedModel opaque = loader.load(face, DelegateTestModels.external(TestDelegates.opaque(), Map.of("ops", ops), FallbackPolicy.FAIL));
                 LoadedModel classic = loader.load(face, DelegateTestModels.external(TestDelegates.correct(), Map.of("ops", ops), FallbackPolicy.FAIL))) {
                // the classic plugin's figures, as ExternalDelegateTest asserts them
                assertThat(classic.report().nodesDelegated()).isEqualTo(ops.contains("ADD") ? 18 : 2);
                assertThat(classic.report().partitions()).isEqualTo(ops.contains("ADD") ? 17 : 1);
                assertThat(opaque.report().nodesDelegated()).as(ops).isEqualTo(classic.report().nodesDelegated());
                assertThat(opaque.report().partitions()).as(ops).isEqualTo(classic.report().partitions());
                assertThat(opaque.report().xnnpackNodes()).as(ops).isEqualTo(classic.report().xnnpackNodes());
            }
        }
    }

    @Test
    void opaqueDelegateIsDestroyedOnClose() throws Throwable {
        Path lib = TestDelegates.opaque();
        new ExternalDelegateLoader().promoteTflite();
        MethodHandle live = Linker.nativeLinker().downcallHandle(SymbolLookup.libraryLookup(lib, Arena.global()).find("ew_live_delegates").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        int before = (int) live.invokeExact();
        LoadedModel m = loader.load(DelegateTestModels.faceDetector(tmp), DelegateTestModels.external(lib, Map.of(), FallbackPolicy.FAIL));
        assertThat(m.report().delegateApplied()).isTrue();
        assertThat((int) live.invokeExact()).isEqualTo(before + 1);
        m.close();
        assertThat((int) live.invokeExact()).isEqualTo(before);
    }

    /**
     * Nodes of the graph that native/opaque_delegate.c claims for {@code ops}, walking the execution plan of an
     * interpreter without delegates: float32 CONCATENATION, and float32 ADD of two same-shape inputs, with a fused
     * activation of none, RELU, RELU_N1_TO_1 or RELU6, unless the node reads the output of a node claimed before it.
     */
    static int claimableNodes(Interpreter interpreter, Set<String> ops) {
        int n = 0;
        Set<Integer> produced = new java.util.HashSet<>();
        IntPointer plan = interpreter.execution_plan();
        assertThat(plan.limit() - plan.position()).as("no delegate: the plan is the whole graph").isEqualTo(interpreter.nodes_size());
        for (int k = 0; k < plan.limit() - plan.position(); k++) {
            RegistrationNodePair p = interpreter.node_and_registration(plan.get(k));
            int code = p.second().builtin_code();
            TfLiteNode node = p.first();
            boolean concat = code == BUILTIN_CONCATENATION && ops.contains("CONCATENATION");
            boolean add = code == BUILTIN_ADD && ops.contains("ADD");
            if (!concat && !add || node.outputs().size() != 1 || !allFloat(interpreter, node.inputs()) || !allFloat(interpreter, node.outputs())) {
                continue;
            }
            // TfLiteConcatenationParams {int axis; int activation}, TfLiteAddParams {int activation; bool pot_scale_int16}
            int activation = new IntPointer(node.builtin_data()).get(concat ? 1 : 0);
            if (!ACTIVATIONS.contains(activation)) {
                continue;
            }
            if (add && (node.inputs().size() != 2
                    || !Arrays.equals(dims(interpreter, node.inputs().data(0)), dims(interpreter, node.inputs().data(1))))) {
                continue;
            }
            boolean chained = false;
            for (int i = 0; i < node.inputs().size(); i++) {
                chained |= produced.contains(node.inputs().data(i));
            }
            if (!chained) {
                produced.add(node.outputs().data(0));
                n++;
            }
        }
        return n;
    }

    private static boolean allFloat(Interpreter interpreter, TfLiteIntArray tensors) {
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.data(i) < 0 || interpreter.tensor(tensors.data(i)).type() != FLOAT32) {
                return false;
            }
        }
        return true;
    }

    private static int[] dims(Interpreter interpreter, int tensor) {
        TfLiteIntArray d = interpreter.tensor(tensor).dims();
        int[] out = new int[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.data(i);
        }
        return out;
    }
}
