package io.edgewatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.config.EdgewatchConfig;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.inference.Acceleration;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelException;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.pipeline.Benchmark;
import io.edgewatch.pipeline.Settings;
import io.edgewatch.track.TrackerSettings;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.concurrent.Callable;

/**
 * {@code bench}: runs the pipeline over a video file and prints per-stage median and p95 ms, pipeline fps, the
 * raw invoke time of the same model measured in the same run, RSS, and as the last line {@code ratio <x>}. Exit code 0,
 * 2 on a missing or unusable video file or model, or a bad option value.
 */
@CommandLine.Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the pipeline on a video file; the last line is 'ratio <pipeline ms / (decode + raw invoke ms)>'.",
                "Progress goes to standard error (see --progress)."})
public class BenchCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--source", required = true, description = "Video file.")
    Path source;

    @CommandLine.Option(names = "--frames", defaultValue = "0", description = "Frames to process (0 = whole file).")
    long frames;

    @CommandLine.Option(names = "--warmup-passes", defaultValue = "1",
            description = "Untimed passes over the file before the timed one (0..10, default 1); the first one's ratio is printed as cold_ratio.")
    int warmupPasses;

    @CommandLine.Option(names = "--threads", description = "Interpreter threads (default: edgewatch.detector.threads).")
    Integer threads;

    @CommandLine.Option(names = "--gating", arity = "1", defaultValue = "false",
            description = "Motion gating and regions on (true) or the whole frame every frame (false, default), in every pass.")
    boolean gating;

    @CommandLine.Option(names = "--run-pass", arity = "1", defaultValue = "true",
            description = "Also time the file as 'run' processes it (capture, pipeline and detector threads) against the raw invoke (default: ${DEFAULT-VALUE}).")
    boolean runPass;

    @CommandLine.Option(names = "--run-baseline", arity = "0..1", defaultValue = "false",
            description = "With the run pass, also time the run with one interpreter of --threads threads and one round in flight (a live camera's layout) and print it as the baseline line.")
    boolean runBaseline;

    @CommandLine.Mixin
    Progress.Option progress = new Progress.Option();

    private final EdgewatchConfig config;
    private final ObjectMapper mapper;

    public BenchCommand(EdgewatchConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    @Override
    public Integer call() throws Exception {
        EdgewatchConfig.Detector d = config.detector();
        EdgewatchConfig.Tracker t = config.tracker();
        EdgewatchConfig.Events e = config.events();
        try {
            ModelManifest manifest = ModelManifest.read(d.manifest(), mapper);
            InterpreterOptions opts = new InterpreterOptions(threads != null ? threads : io.edgewatch.config.EdgewatchConfig.Detector.threadsPerInterpreter(d),
                    Acceleration.valueOf(d.acceleration().toUpperCase()));
            io.edgewatch.pipeline.DetectionSettings ds = gating
                    ? io.edgewatch.pipeline.DetectionSettings.defaults().withDetectFps(0) : io.edgewatch.pipeline.DetectionSettings.everyFrame();
            long fileFrames = Progress.videoFrames(source);
            long perPass = frames > 0 && fileFrames > 0 ? Math.min(frames, fileFrames) : frames > 0 ? frames : fileFrames;
            Benchmark.Result r;
            Benchmark.Throughput run = null;
            Benchmark.Throughput baseline = null;
            try (Progress p = progress.start("bench", perPass * (warmupPasses + 1 + (runPass ? (runBaseline ? 2 : 1) : 0)), "frames")) {
                Benchmark.Listener l = new Benchmark.Listener() {
                    @Override
                    public void pass(String name) {
                        p.phase(name);
                    }

                    @Override
                    public void frame() {
                        p.advance();
                    }
                };
                r = Benchmark.run(source, frames, warmupPasses, manifest, opts, Settings.filter(d),
                        Settings.tracker(config.tracker()), Settings.events(config.events()), ds, mapper, l);
                if (runPass) {
                    // as 'run' wires a file analysed as fast as possible; --threads sets each interpreter's threads
                    boolean throughput = io.edgewatch.pipeline.CameraPipeline.throughput(
                            io.edgewatch.capture.CaptureSettings.defaults("bench-run", source.toString()), ds);
                    int interpreters = io.edgewatch.config.EdgewatchConfig.Detector.interpretersFor(d, 1, throughput);
                    InterpreterOptions runOpts = new InterpreterOptions(threads != null ? threads
                            : io.edgewatch.config.EdgewatchConfig.Detector.threadsPerInterpreter(d, interpreters), opts.acceleration());
                    run = Benchmark.runThroughput(source, frames, manifest, opts, runOpts, interpreters, Settings.filter(d),
                            Settings.tracker(config.tracker()), Settings.events(config.events()), ds, mapper, l);
                    if (runBaseline) {
                        baseline = Benchmark.runThroughput(source, frames, manifest, opts, opts, 1, Settings.filter(d),
                                Settings.tracker(config.tracker()), Settings.events(config.events()), ds, mapper, l);
                    }
                }
                p.finish();
            }
            System.out.println("model " + manifest.id() + "  threads " + opts.threads() + "  " + opts.acceleration().name().toLowerCase()
                    + "  source " + source + "  gating " + (gating ? "on" : "off"));
            if (run != null) {
                System.out.println(run.line());
            }
            if (baseline != null) {
                System.out.println("baseline " + baseline.line());
            }
            System.out.println(r.table());
            return 0;
        } catch (ModelException | IllegalArgumentException ex) {
            System.err.println("edgewatch: " + ex.getMessage());
            return 2;
        } catch (org.bytedeco.javacv.FrameGrabber.Exception ex) {
            System.err.println("edgewatch: video file " + source + " cannot be decoded: " + io.edgewatch.capture.FfmpegLog.explain(ex.getMessage()));
            return 2;
        }
    }
}
