package io.edgewatch.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Loads a model on the accelerator its {@link DelegateSpec} names, and never trusts a delegate silently:
 * <ul>
 *   <li>the plugin is loaded with {@link ExternalDelegateLoader} and applied before tensors are allocated; a missing
 *       library, a library that is not a plugin, a create function that fails, a delegate that claims no node, or a
 *       failing first invoke each apply the {@link FallbackPolicy} with the reason in the report;</li>
 *   <li>nodes delegated out of total and partitions are read from the execution plan;</li>
 *   <li>the first invoke (warm-up, NPU graph compilation) is timed and announced to a {@link WarmupListener};</li>
 *   <li>golden check: the same fixed input through the CPU interpreter and the delegate, outputs compared within a
 *       {@link GoldenTolerance}; a mismatch applies the fallback policy;</li>
 *   <li>{@code auto}: XNNPACK and the delegate are timed for {@code measureInvokes} invokes each and the faster runs;</li>
 *   <li>an Edge TPU model without its delegate is refused, or replaced by the configured CPU model.</li>
 * </ul>
 * Thread-safe (no mutable state); each call builds its own interpreters.
 */
public final class AcceleratedModelLoader {
    private static final Logger LOG = Logger.getLogger(AcceleratedModelLoader.class);

    private final ExternalDelegateLoader plugins;
    private final WarmupListener listener;
    private final ObjectMapper mapper;

    /**
     * @param mapper   reads the manifest of a replacement CPU model
     * @param listener told about warm-ups and reports (may be {@link WarmupListener#NONE})
     */
    public AcceleratedModelLoader(ObjectMapper mapper, WarmupListener listener) {
        this.plugins = new ExternalDelegateLoader();
        this.listener = listener;
        this.mapper = mapper;
    }

    /**
     * Loads, checks, warms up and measures one model as configured; the start-up path.
     *
     * @throws DelegateException     when the delegate cannot be used and the fallback policy is {@code fail}
     * @throws EdgeTpuModelException when an Edge TPU model has neither its delegate nor a CPU model
     * @throws ModelException        when the model itself cannot be loaded (file, manifest, shape)
     */
    public LoadedModel load(ModelManifest manifest, DelegateSpec spec) {
        return load(manifest, spec, true);
    }

    /**
     * {@link #load(ModelManifest, DelegateSpec)}, optionally without timing a model that runs on the CPU by
     * configuration ({@code cpu}, {@code xnnpack}, or {@code auto} without a library): there is nothing to decide,
     * and {@code measureInvokes} invokes at start-up (0.4 s on a 2-core x86, more on an ARM CPU) only delay the first
     * frame. Its report then says {@code steadyInvokeMs = -1}, and the caller measures live invokes instead
     * ({@link DelegateReport#withSteadyInvokeMs}). Delegates and fallbacks are always timed.
     *
     * @param timeCpu false to skip the timed invokes of a CPU-only model
     */
    public LoadedModel load(ModelManifest manifest, DelegateSpec spec, boolean timeCpu) {
        LoadedModel m = switch (spec.mode()) {
            case CPU, XNNPACK -> loadCpu(manifest, spec, spec.mode().name().toLowerCase(Locale.ROOT) + " configured", false, List.of(), timeCpu);
            case EXTERNAL, AUTO -> spec.library().isEmpty()
                    ? loadCpu(manifest, spec, "auto without a delegate library: xnnpack", false, List.of(), timeCpu)
                    : loadExternal(manifest, spec, true);
        };
        DelegateReport r = m.report();
        if (r.fallbackApplied()) {
            LOG.warnf("%s", r.summary());
        } else {
            LOG.infof("%s", r.summary());
        }
        if (r.delegateApplied() && r.nodesDelegated() < r.nodesTotal()) {
            LOG.warnf("model %s: delegate %s runs only %d of %d nodes in %d partition(s); the rest runs on the CPU and every partition"
                    + " boundary copies tensors (compare with 'models check' or use delegate=auto)", r.model(), r.library(),
                    r.nodesDelegated(), r.nodesTotal(), r.partitions());
        }
        listener.reported(r);
        return m;
    }

    /**
     * Loads a further interpreter of a model (one per camera) the way {@code decided} says, without repeating the
     * golden check and measurements; the first invoke is still announced to the listener.
     */
    public LoadedModel loadAsDecided(ModelManifest manifest, DelegateSpec spec, DelegateReport decided) {
        if (decided.delegateApplied()) {
            return loadExternal(manifest, spec.withMode(DelegateMode.EXTERNAL, false), false);
        }
        return loadCpu(manifest, spec.withMode(spec.mode() == DelegateMode.CPU ? DelegateMode.CPU : DelegateMode.XNNPACK, false),
                decided.reason(), decided.fallbackApplied(), decided.pluginMessages(), false);
    }

    private LoadedModel loadCpu(ModelManifest manifest, DelegateSpec spec, String reason, boolean fallback, List<String> messages,
                                boolean measure) {
        return loadCpu(manifest, spec, reason, fallback, messages, measure,
                GoldenResult.skipped(fallback ? "delegate not applied" : "no delegate configured"));
    }

    private LoadedModel loadCpu(ModelManifest manifest, DelegateSpec spec, String reason, boolean fallback, List<String> messages,
                                boolean measure, GoldenResult golden) {
        InterpreterOptions opts = spec.cpuOptions();
        TfliteModel model;
        String why = reason;
        try {
            model = TfliteModel.load(manifest, opts);
        } catch (EdgeTpuModelException e) {
            if (spec.cpuModel().isEmpty()) {
                throw fallback ? new EdgeTpuModelException(e.file(), manifest.id(), reason) : e;
            }
            ModelManifest cpu = ModelManifest.read(spec.cpuModel().get(), mapper);
            LOG.warnf("model %s is compiled for the Edge TPU and no Edge TPU delegate runs it: using CPU model %s (%s) instead",
                    manifest.id(), cpu.id(), spec.cpuModel().get());
            model = TfliteModel.load(cpu, opts);
            why = reason + "; Edge TPU model replaced by CPU model " + cpu.id();
        }
        try {
            String target = opts.acceleration().name().toLowerCase(Locale.ROOT);
            double warm = warmUp(model, target);
            double steady = measure ? median(model, spec.measureInvokes()) : -1;
            GraphDelegation g = model.graphDelegation();
            DelegateReport r = new DelegateReport(manifest.id(), spec.mode().name().toLowerCase(Locale.ROOT), spec.library().orElse(null),
                    target, false, why, fallback, 0, g.nodesTotal(), 0, g.otherDelegatedNodes(), warm, steady,
                    measure ? steady : -1, -1, golden, messages, model.inputs(), model.outputs(),
                    model.manifest().modelPath().toString());
            return new LoadedModel(model, r);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private LoadedModel fallback(ModelManifest manifest, DelegateSpec spec, String reason, List<String> messages, boolean measure) {
        return fallback(manifest, spec, reason, messages, measure, GoldenResult.skipped("delegate not applied"));
    }

    private LoadedModel fallback(ModelManifest manifest, DelegateSpec spec, String reason, List<String> messages, boolean measure,
                                 GoldenResult golden) {
        if (spec.fallback() == FallbackPolicy.FAIL) {
            throw new DelegateException("model " + manifest.id() + ": " + reason + "; fallback policy is 'fail', so the model is not started");
        }
        LOG.warnf("model %s: %s; FALLING BACK TO THE CPU (fallback policy 'cpu')", manifest.id(), reason);
        return loadCpu(manifest, spec, reason, true, messages, measure, golden);
    }

    private LoadedModel loadExternal(ModelManifest manifest, DelegateSpec spec, boolean startUp) {
        String lib = spec.library().orElseThrow();
        ExternalDelegate delegate;
        try {
            delegate = plugins.create(lib, spec.options(), "model " + manifest.id());
        } catch (DelegateException e) {
            return fallback(manifest, spec, "delegate not applied: " + e.getMessage(), List.of(), startUp);
        }
        List<String> messages = delegate.pluginMessages();
        TfliteModel cand;
        try {
            cand = TfliteModel.load(manifest, spec.cpuOptions(), delegate);
        } catch (DelegateException e) {
            return fallback(manifest, spec, "delegate not applied: " + e.getMessage(), messages, startUp);
        }
        TfliteModel ref = null;
        try {
            GraphDelegation g = cand.graphDelegation();
            if (g.nodesDelegated() == 0) {
                cand.close();
                return fallback(manifest, spec, "delegate " + lib + " took none of the " + g.nodesTotal() + " nodes (no op it supports)",
                        messages, startUp);
            }
            GoldenCheck.fillFixedInput(cand, GoldenCheck.FIXED_INPUT_SEED);
            double warm;
            try {
                warm = warmUp(cand, "delegate:" + lib);
            } catch (ModelException e) {
                cand.close();
                return fallback(manifest, spec, "first invoke with delegate " + lib + " failed: " + e.getMessage(), messages, startUp);
            }
            if (!startUp) {
                DelegateReport r = report(manifest, spec, cand, g, true, "delegate " + lib + " (decided at start-up)", warm, warm, -1, -1,
                        GoldenResult.skipped("checked at start-up"), messages);
                return new LoadedModel(cand, r);
            }
            boolean auto = spec.mode() == DelegateMode.AUTO;
            GoldenResult golden = GoldenResult.skipped("disabled (golden-check=false)");
            double cpuMs = -1;
            if (cand.needsEdgeTpu()) {
                golden = GoldenResult.skipped("an Edge TPU model has no CPU reference");
            } else if (spec.goldenCheck() || auto) {
                ref = TfliteModel.load(manifest, spec.cpuOptions());
                GoldenCheck.fillFixedInput(ref, GoldenCheck.FIXED_INPUT_SEED);
                ref.invoke();
                GoldenResult cmp = GoldenCheck.compare(ref, cand, spec.tolerance());
                if (spec.goldenCheck()) {
                    golden = cmp;
                }
                if (!cmp.acceptable() && spec.goldenCheck()) {
                    cand.close();
                    ref.close();
                    ref = null;
                    return fallback(manifest, spec, String.format(Locale.ROOT,
                            "golden check failed: delegate %s differs from the CPU in %d of %d output elements (max |diff| %.4g; %s)",
                            lib, cmp.mismatches(), cmp.elementsCompared(), cmp.maxAbsDiff(), cmp.detail()), messages, true, cmp);
                }
                cpuMs = median(ref, spec.measureInvokes());
            }
            double delegateMs = median(cand, spec.measureInvokes());
            if (auto && cpuMs >= 0 && cpuMs <= delegateMs) {
                cand.close();
                TfliteModel cpu = ref;
                ref = null;
                String reason = String.format(Locale.ROOT, "auto: xnnpack %.2f ms <= delegate %s %.2f ms (median of %d invokes)",
                        cpuMs, lib, delegateMs, spec.measureInvokes());
                GraphDelegation cg = cpu.graphDelegation();
                DelegateReport r = new DelegateReport(manifest.id(), "auto", lib, "xnnpack", false, reason, false, 0, cg.nodesTotal(), 0,
                        cg.otherDelegatedNodes(), cpu.firstInvokeMs(), cpuMs, cpuMs, delegateMs, golden, messages, cpu.inputs(),
                        cpu.outputs(), manifest.modelPath().toString());
                return new LoadedModel(cpu, r);
            }
            String reason = auto
                    ? String.format(Locale.ROOT, "auto: delegate %s %.2f ms < xnnpack %.2f ms (median of %d invokes)", lib, delegateMs, cpuMs,
                    spec.measureInvokes())
                    : "delegate " + lib + " configured";
            return new LoadedModel(cand, report(manifest, spec, cand, g, true, reason, warm, delegateMs, cpuMs, delegateMs, golden, messages));
        } catch (RuntimeException e) {
            cand.close();
            throw e;
        } finally {
            if (ref != null) {
                ref.close();
            }
        }
    }

    private static DelegateReport report(ModelManifest manifest, DelegateSpec spec, TfliteModel m, GraphDelegation g, boolean applied,
                                         String reason, double warm, double steady, double cpuMs, double delegateMs, GoldenResult golden,
                                         List<String> messages) {
        return new DelegateReport(manifest.id(), spec.mode().name().toLowerCase(Locale.ROOT), spec.library().orElse(null),
                "delegate:" + spec.library().orElse("?"), applied, reason, false, g.nodesDelegated(), g.nodesTotal(), g.partitions(),
                g.otherDelegatedNodes(), warm, steady, cpuMs, delegateMs, golden, messages, m.inputs(), m.outputs(),
                manifest.modelPath().toString());
    }

    /** Times the first invoke (fixed input) and tells the listener while it runs. */
    private double warmUp(TfliteModel model, String target) {
        if (model.invokeCount() == 0) {
            GoldenCheck.fillFixedInput(model, GoldenCheck.FIXED_INPUT_SEED);
        }
        WarmupListener.Warmup w = listener.started(model.name(), target);
        try {
            double ms = model.invoke();
            w.finished(ms, true);
            return ms;
        } catch (RuntimeException e) {
            w.finished(-1, false);
            throw e;
        }
    }

    /** Median of {@code n} invokes, ms. */
    static double median(TfliteModel model, int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = model.invoke();
        }
        return median(t);
    }

    /**
     * Median of invoke times (the mean of the middle two for an even count), the way every steady figure of a
     * {@link DelegateReport} is computed; sorts {@code times} in place.
     *
     * @param times at least one value
     */
    public static double median(double[] times) {
        Arrays.sort(times);
        int n = times.length;
        return n % 2 == 1 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
    }
}
