package io.edgewatch.inference;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.OpResolver;
import org.bytedeco.tensorflowlite.RegistrationNodePair;
import org.bytedeco.tensorflowlite.TfLiteDelegate;
import org.bytedeco.tensorflowlite.TfLiteNode;
import org.bytedeco.tensorflowlite.TfLiteRegistration;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One TensorFlow Lite model on the C++ {@code Interpreter} (Bytedeco preset). The file is checked by
 * {@link ModelFileVerifier} (size, sha256, {@code TFL3} identifier) and by the flatbuffer verifier before it is
 * used; the input tensor is checked against the manifest. Not thread-safe: one instance per worker thread.
 *
 * <p>Use: write the input through {@link #inputBytes()} (raw tensor memory), call {@link #invoke()}, read the
 * outputs with {@link #readOutput(int, float[])} (dequantized to float).
 */
public final class TfliteModel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TfliteModel.class);

    private final ModelManifest manifest;
    private final InterpreterOptions options;
    private final FlatBufferModel flatBuffer;
    private final OpResolver resolver;
    private final Interpreter interpreter;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final ExternalDelegate delegate;
    private final boolean needsEdgeTpu;
    private long invokes;
    private double lastInvokeMs;
    private double firstInvokeMs = -1;

    private TfliteModel(ModelManifest manifest, InterpreterOptions options, FlatBufferModel flatBuffer,
                        OpResolver resolver, Interpreter interpreter, ExternalDelegate delegate) {
        this.manifest = manifest;
        this.delegate = delegate;
        this.needsEdgeTpu = customOps(interpreter).contains(EdgeTpuModelException.CUSTOM_OP);
        this.options = options;
        this.flatBuffer = flatBuffer;
        this.resolver = resolver;
        this.interpreter = interpreter;
        this.inputs = specs(interpreter, true);
        this.outputs = specs(interpreter, false);
    }

    /**
     * Loads a model described by a manifest: verifies the file, builds the interpreter, allocates tensors and
     * checks the input tensor's shape and dtype against the manifest.
     *
     * @throws ModelException naming the file when any check or native step fails
     */
    public static TfliteModel load(ModelManifest manifest, InterpreterOptions options) {
        return load(manifest, options, null);
    }

    /**
     * Like {@link #load(ModelManifest, InterpreterOptions)}, with an external delegate applied to the graph with
     * {@code Interpreter.ModifyGraphWithDelegate} before tensors are allocated. The model takes ownership of the
     * delegate: {@link #close()} destroys it after the interpreter, and so does a failed load.
     *
     * @param delegate created by {@link ExternalDelegateLoader}, or null for none
     * @throws EdgeTpuModelException when the model needs the Edge TPU delegate and none is applied
     * @throws DelegateException     when the delegate cannot be applied or the delegated graph cannot be allocated
     * @throws ModelException        naming the file when any other check or native step fails
     */
    public static TfliteModel load(ModelManifest manifest, InterpreterOptions options, ExternalDelegate delegate) {
        Path file = manifest.modelPath();
        try {
            ModelFileVerifier.verify(file, manifest.sha256(), manifest.sizeBytes());
        } catch (RuntimeException e) {
            closeQuietly(delegate);
            throw e;
        }
        TfliteModel model = open(file, manifest, options, delegate);
        try {
            model.checkInput();
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /**
     * Loads a model file without a manifest (benchmarks, tools). The identifier is still checked and the
     * flatbuffer verified.
     */
    public static TfliteModel loadUnpinned(Path file, InterpreterOptions options) {
        ModelFileVerifier.verify(file, null, -1);
        return open(file, null, options, null);
    }

    private static void closeQuietly(ExternalDelegate delegate) {
        if (delegate != null) {
            delegate.close();
        }
    }

    private static TfliteModel open(Path file, ModelManifest manifest, InterpreterOptions options, ExternalDelegate delegate) {
        try {
            return openUnsafe(file, manifest, options, delegate);
        } catch (RuntimeException e) {
            closeQuietly(delegate);
            throw e;
        }
    }

    private static TfliteModel openUnsafe(Path file, ModelManifest manifest, InterpreterOptions options, ExternalDelegate delegate) {
        Loader.load(org.bytedeco.tensorflowlite.global.tensorflowlite.class);
        FlatBufferModel fb = FlatBufferModel.VerifyAndBuildFromFile(file.toString());
        if (fb == null || fb.isNull()) {
            throw new ModelException("model file " + file + " failed TensorFlow Lite flatbuffer verification (corrupt or not a model)");
        }
        OpResolver resolver = options.acceleration() == Acceleration.XNNPACK
                ? new BuiltinOpResolver() : new BuiltinOpResolverWithoutDefaultDelegates();
        InterpreterBuilder builder = new InterpreterBuilder(fb, resolver);
        builder.SetNumThreads(options.threads());
        Interpreter interpreter = new Interpreter((org.bytedeco.javacpp.Pointer) null);
        int status = builder.apply(interpreter);
        builder.close();
        if (status != 0 || interpreter.isNull()) {
            fb.close();
            throw new ModelException("model file " + file + ": TensorFlow Lite could not build an interpreter (status " + status
                    + "; unsupported or custom ops such as edgetpu-custom-op need their delegate)");
        }
        Set<String> customOps = customOps(interpreter);
        if (customOps.contains(EdgeTpuModelException.CUSTOM_OP) && delegate == null) {
            interpreter.close();
            resolver.close();
            fb.close();
            throw new EdgeTpuModelException(file, manifest == null ? file.getFileName().toString() : manifest.id());
        }
        if (delegate != null) {
            int ds = interpreter.ModifyGraphWithDelegate(delegate.tfliteDelegate());
            if (ds != 0) {
                interpreter.close();
                resolver.close();
                fb.close();
                if (customOps.contains(EdgeTpuModelException.CUSTOM_OP)) {
                    throw edgeTpuNotTaken(file, delegate);
                }
                throw new DelegateException("model file " + file + ": delegate " + delegate.library() + " could not be applied (TfLiteStatus "
                        + ds + (ds == 2 ? " kTfLiteDelegateError" : "") + "; see the TensorFlow Lite message above)"
                        + (delegate.pluginMessages().isEmpty() ? "" : ": " + String.join("; ", delegate.pluginMessages())));
            }
        }
        if (interpreter.AllocateTensors() != 0) {
            interpreter.close();
            resolver.close();
            fb.close();
            if (customOps.contains(EdgeTpuModelException.CUSTOM_OP) && delegate != null) {
                throw edgeTpuNotTaken(file, delegate);
            }
            String msg = "model file " + file + ": AllocateTensors failed (see the TensorFlow Lite message above"
                    + (delegate != null ? "; with delegate " + delegate.library() : "; a model compiled for an accelerator needs its delegate") + ")";
            throw delegate != null ? new DelegateException(msg) : new ModelException(msg);
        }
        TfliteModel m = new TfliteModel(manifest, options, fb, resolver, interpreter, delegate);
        LOG.debugf("loaded %s: inputs %s outputs %s, %d threads, %s%s", file, m.inputs, m.outputs, options.threads(), options.acceleration(),
                delegate == null ? "" : ", delegate " + delegate.library());
        return m;
    }

    private static DelegateException edgeTpuNotTaken(Path file, ExternalDelegate delegate) {
        return new DelegateException("model file " + file + " is compiled for the Edge TPU (custom op " + EdgeTpuModelException.CUSTOM_OP
                + "), but delegate " + delegate.library() + " did not take that op: configure the Edge TPU delegate"
                + " (libedgetpu.so.1) or name a CPU model instead");
    }

    /** Names of the custom ops (registration {@code custom_name}) of the primary subgraph's nodes. */
    private static Set<String> customOps(Interpreter interpreter) {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < interpreter.nodes_size(); i++) {
            RegistrationNodePair p = interpreter.node_and_registration(i);
            if (p == null || p.isNull()) {
                continue;
            }
            TfLiteRegistration reg = p.second();
            BytePointer name = reg == null || reg.isNull() ? null : reg.custom_name();
            if (name != null && !name.isNull()) {
                names.add(name.getString());
            }
        }
        return names;
    }

    /**
     * How the primary subgraph is executed: nodes of the original graph, and the nodes and partitions each
     * delegate took over, for delegates on either TFLite delegate API. No kernel node's {@code builtin_data} is read
     * (a classic delegate kernel carries {@code TfLiteDelegateParams} there, one on the opaque API
     * {@code TfLiteOpaqueDelegateParams}, another layout): see {@link GraphDelegation#of} for what is used instead.
     */
    public GraphDelegation graphDelegation() {
        long delegateAddress = delegate == null ? 0 : delegate.address();
        int nodeCount = (int) interpreter.nodes_size();
        int[][] inputs = new int[nodeCount][];
        int[][] outputs = new int[nodeCount][];
        boolean[] kernel = new boolean[nodeCount];
        boolean[] external = new boolean[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            RegistrationNodePair p = interpreter.node_and_registration(i);
            TfLiteNode node = p.first();
            inputs[i] = ints(node.inputs());
            outputs[i] = ints(node.outputs());
            kernel[i] = p.second().builtin_code() == BUILTIN_DELEGATE;
            TfLiteDelegate owner = node.delegate();
            external[i] = kernel[i] && delegateAddress != 0 && owner != null && !owner.isNull() && owner.address() == delegateAddress;
        }
        org.bytedeco.javacpp.IntPointer plan = interpreter.execution_plan();
        int[] order = new int[(int) (plan.limit() - plan.position())];
        for (int k = 0; k < order.length; k++) {
            order[k] = plan.get(k);
        }
        return GraphDelegation.of(inputs, outputs, kernel, external, order, (int) interpreter.tensors_size());
    }

    private static int[] ints(TfLiteIntArray a) {
        int[] out = new int[a == null || a.isNull() ? 0 : a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.data(i);
        }
        return out;
    }

    /** {@code kTfLiteBuiltinDelegate}: the builtin code of a delegate kernel node (TFLite schema BuiltinOperator). */
    static final int BUILTIN_DELEGATE = 51;

    /** True when the graph contains the Edge TPU custom op (so it runs only with the Edge TPU delegate). */
    public boolean needsEdgeTpu() {
        return needsEdgeTpu;
    }

    /** The external delegate applied to this model, or null. */
    public ExternalDelegate delegate() {
        return delegate;
    }

    private void checkInput() {
        ModelManifest.Input want = manifest.input();
        TensorSpec in = inputs.get(0);
        int[] wantShape = want.shape().stream().mapToInt(Integer::intValue).toArray();
        if (!java.util.Arrays.equals(wantShape, in.shape())) {
            throw new ModelException("model " + manifest.modelPath() + ": input shape is " + java.util.Arrays.toString(in.shape())
                    + ", the manifest says " + want.shape());
        }
        TensorType wantType = TensorType.fromName(want.dtype());
        if (wantType != in.type()) {
            throw new ModelException("model " + manifest.modelPath() + ": input dtype is " + in.type() + ", the manifest says " + want.dtype());
        }
    }

    private static List<TensorSpec> specs(Interpreter interpreter, boolean input) {
        org.bytedeco.javacpp.IntPointer idx = input ? interpreter.inputs() : interpreter.outputs();
        long n = idx.limit() > 0 ? idx.limit() - idx.position() : 0;
        // std::vector<int> maps to an IntPointer whose limit is the vector size
        List<TensorSpec> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int t = idx.get(i);
            TfLiteTensor tensor = interpreter.tensor(t);
            TfLiteIntArray dims = tensor.dims();
            int[] shape = new int[dims.size()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = dims.data(d);
            }
            BytePointer name = tensor.name();
            list.add(new TensorSpec(name == null || name.isNull() ? "t" + t : name.getString(), t,
                    TensorType.fromTflite(tensor.type()), shape, tensor.params().scale(), tensor.params().zero_point()));
        }
        return List.copyOf(list);
    }

    /** The manifest this model was loaded from (null for {@link #loadUnpinned}). */
    public ModelManifest manifest() {
        return manifest;
    }

    public InterpreterOptions options() {
        return options;
    }

    /** Input tensor specs in model order. */
    public List<TensorSpec> inputs() {
        return inputs;
    }

    /** Output tensor specs in model order. */
    public List<TensorSpec> outputs() {
        return outputs;
    }

    /** Raw memory of input tensor 0, {@code inputs().get(0)} bytes long; valid until {@link #close()}. */
    public BytePointer inputBytes() {
        return inputBytes(0);
    }

    /** Raw memory of input tensor {@code i}. */
    public BytePointer inputBytes(int i) {
        return rawBytes(interpreter.input_tensor(i));
    }

    private static BytePointer rawBytes(TfLiteTensor t) {
        // typed_tensor<int8_t> refuses uint8 tensors, so go through the untyped data pointer
        BytePointer p = new BytePointer(t.data().raw());
        return p.capacity(t.bytes()).limit(t.bytes());
    }

    /** Float view of input tensor {@code i} (only for float32 inputs). */
    public FloatPointer inputFloats(int i) {
        TensorSpec s = inputs.get(i);
        if (s.type() != TensorType.FLOAT32) {
            throw new IllegalStateException("input " + s + " is not float32");
        }
        FloatPointer p = interpreter.typed_input_tensor_float(i);
        return p.capacity(s.elementCount()).limit(s.elementCount());
    }

    /**
     * Runs the graph once.
     *
     * @return wall-clock latency of the invoke in ms
     * @throws ModelException when TFLite reports an error
     */
    public double invoke() {
        long t0 = System.nanoTime();
        int status = interpreter.Invoke();
        double ms = (System.nanoTime() - t0) / 1e6;
        if (status != 0) {
            throw new ModelException("model " + name() + ": Invoke failed with status " + status);
        }
        if (invokes++ == 0) {
            firstInvokeMs = ms;
        }
        lastInvokeMs = ms;
        return ms;
    }

    /**
     * Copies output tensor {@code i} into {@code dst} as floats, dequantizing uint8/int8 outputs with the
     * tensor's scale and zero point.
     *
     * @param dst at least {@code outputs().get(i).elementCount()} long
     * @return number of elements written
     */
    public int readOutput(int i, float[] dst) {
        TensorSpec s = outputs.get(i);
        int n = s.elementCount();
        if (dst.length < n) {
            throw new IllegalArgumentException("output " + s + " needs " + n + " floats, got " + dst.length);
        }
        switch (s.type()) {
            case FLOAT32 -> interpreter.typed_output_tensor_float(i).get(dst, 0, n);
            case UINT8, INT8 -> {
                BytePointer p = rawBytes(interpreter.output_tensor(i));
                boolean unsigned = s.type() == TensorType.UINT8;
                for (int k = 0; k < n; k++) {
                    int q = unsigned ? (p.get(k) & 0xff) : p.get(k);
                    dst[k] = s.scale() * (q - s.zeroPoint());
                }
            }
            case INT32 -> {
                org.bytedeco.javacpp.IntPointer p = interpreter.typed_output_tensor_int(i);
                for (int k = 0; k < n; k++) {
                    dst[k] = p.get(k);
                }
            }
            default -> throw new ModelException("model " + name() + ": output " + s + " has an unsupported type");
        }
        return n;
    }

    /** Model id from the manifest, or the file name. */
    public String name() {
        return manifest != null ? manifest.id() : "unpinned-model";
    }

    /** Number of completed invokes. */
    public long invokeCount() {
        return invokes;
    }

    /** Latency of the first invoke in ms (warm-up), -1 before it. */
    public double firstInvokeMs() {
        return firstInvokeMs;
    }

    /** Latency of the most recent invoke in ms. */
    public double lastInvokeMs() {
        return lastInvokeMs;
    }

    /** Number of nodes in the primary subgraph. */
    public long nodeCount() {
        return interpreter.nodes_size();
    }

    /** The native interpreter, for delegate plumbing inside this package. */
    Interpreter interpreter() {
        return interpreter;
    }

    /** Closes the interpreter, then destroys the external delegate (which must outlive the interpreter). */
    @Override
    public void close() {
        interpreter.close();
        resolver.close();
        flatBuffer.close();
        closeQuietly(delegate);
    }
}
