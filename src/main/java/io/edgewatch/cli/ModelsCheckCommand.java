package io.edgewatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.edgewatch.config.EdgewatchConfig;
import io.edgewatch.inference.AcceleratedModelLoader;
import io.edgewatch.inference.DelegateMode;
import io.edgewatch.inference.DelegateReport;
import io.edgewatch.inference.DelegateSpec;
import io.edgewatch.inference.FallbackPolicy;
import io.edgewatch.inference.GoldenTolerance;
import io.edgewatch.inference.LoadedModel;
import io.edgewatch.inference.ModelException;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TensorSpec;
import io.edgewatch.inference.WarmupListener;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code models check --model NAME [--delegate LIB] [--delegate-option k=v]...}: loads the model on the CPU and, with
 * {@code --delegate}, through that external delegate, and prints one JSON object: tensor specs, whether the delegate
 * was applied (and why not), nodes delegated/total, partitions, warm-up ms, median invoke ms on the CPU and on the
 * delegate, and the golden-check result. Exit code 0 when the delegate was applied and passed (or none was asked for),
 * 1 when it was not applied or failed the golden check, 2 when the model or the arguments are unusable.
 */
@CommandLine.Command(name = "check", mixinStandardHelpOptions = true,
        description = "Load a model (optionally through an external delegate), check and time it, print a JSON report.")
public class ModelsCheckCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--model", required = true,
            description = "Manifest id (searched in the folder of edgewatch.detector.manifest and in models-tflite/) or manifest path.")
    String model;

    @CommandLine.Option(names = "--delegate", description = "External delegate library: path or soname (e.g. libedgetpu.so.1).")
    String delegate;

    @CommandLine.Option(names = "--delegate-option", description = "Plugin option key=value (repeatable; TFLite external delegate options are key-value pairs).")
    Map<String, String> delegateOptions = new LinkedHashMap<>();

    @CommandLine.Option(names = "--threads", description = "CPU threads (default: edgewatch.detector.threads).")
    Integer threads;

    @CommandLine.Option(names = "--invokes", defaultValue = "20", description = "Invokes measured per configuration (default: ${DEFAULT-VALUE}).")
    int invokes;

    private final EdgewatchConfig config;
    private final ObjectMapper mapper;

    public ModelsCheckCommand(EdgewatchConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    @Override
    public Integer call() {
        try {
            ModelManifest manifest = ModelManifest.read(resolve(model), mapper);
            int t = threads != null ? threads : io.edgewatch.config.EdgewatchConfig.Detector.threadsPerInterpreter(config.detector());
            DelegateSpec spec = new DelegateSpec(delegate == null ? DelegateMode.XNNPACK : DelegateMode.EXTERNAL, t, Optional.ofNullable(delegate),
                    delegateOptions, FallbackPolicy.CPU, Optional.empty(), true, GoldenTolerance.defaults(), invokes);
            AcceleratedModelLoader loader = new AcceleratedModelLoader(mapper, WarmupListener.NONE);
            try (LoadedModel m = loader.load(manifest, spec)) {
                DelegateReport r = m.report();
                System.out.println(mapper.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json(r)));
                boolean ok = delegate == null || (r.delegateApplied() && r.golden().acceptable());
                return ok ? 0 : 1;
            }
        } catch (ModelException | IllegalArgumentException e) {
            System.err.println("edgewatch: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("edgewatch: cannot write the report: " + e.getMessage());
            return 2;
        }
    }

    /** The JSON document printed by {@code models check}. */
    static Map<String, Object> json(DelegateReport r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", r.model());
        j.put("modelFile", r.modelFile());
        j.put("inputs", tensors(r.inputs()));
        j.put("outputs", tensors(r.outputs()));
        j.put("delegate", r.library());
        j.put("delegateApplied", r.delegateApplied());
        j.put("runsOn", r.runsOn());
        j.put("reason", r.reason());
        j.put("nodesDelegated", r.nodesDelegated());
        j.put("nodesTotal", r.nodesTotal());
        j.put("partitions", r.partitions());
        j.put("xnnpackNodes", r.xnnpackNodes());
        j.put("warmupMs", round(r.warmupMs()));
        j.put("cpuMedianInvokeMs", r.cpuInvokeMs() < 0 ? null : round(r.cpuInvokeMs()));
        j.put("delegateMedianInvokeMs", r.delegateInvokeMs() < 0 ? null : round(r.delegateInvokeMs()));
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("status", r.golden().status());
        g.put("elementsCompared", r.golden().elementsCompared());
        g.put("mismatches", r.golden().mismatches());
        g.put("maxAbsDiff", r.golden().maxAbsDiff());
        g.put("detail", r.golden().detail());
        j.put("golden", g);
        j.put("pluginMessages", r.pluginMessages());
        return j;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static List<Map<String, Object>> tensors(List<TensorSpec> specs) {
        return specs.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("type", s.type().name().toLowerCase());
            m.put("shape", s.shape());
            if (s.quantized()) {
                m.put("scale", s.scale());
                m.put("zeroPoint", s.zeroPoint());
            }
            return m;
        }).toList();
    }

    /** A manifest path, or the manifest whose id is {@code name} in the detector manifest's folder or models-tflite/. */
    private Path resolve(String name) {
        Path p = Path.of(name);
        if (name.endsWith(".json") || Files.isRegularFile(p)) {
            return p;
        }
        Path detectorDir = config.detector().manifest().toAbsolutePath().getParent();
        for (Path dir : List.of(detectorDir, Path.of("models-tflite").toAbsolutePath())) {
            if (dir == null || !Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".manifest.json")).sorted().toList()) {
                    if (name.equals(ModelManifest.read(f, mapper).id())) {
                        return f;
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("--model " + name + ": no manifest with that id in " + detectorDir
                + " or models-tflite/, and no such manifest file");
    }
}
