package io.edgewatch.cli;

import io.edgewatch.events.DiscardingSink;
import io.edgewatch.inference.ModelException;
import io.edgewatch.pipeline.Agent;
import io.edgewatch.pipeline.CameraPipeline;
import io.edgewatch.pipeline.RunRequest;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.descriptive.SynchronizedDescriptiveStatistics;
import picocli.CommandLine;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

/**
 * {@code bench-cameras}: N cameras from video files replayed at their own frame rate (not looped: each must last the
 * warm-up and the duration) through the agent's real wiring (one shared detector, motion gating, regions), for a given
 * duration. Prints per camera the decoded, motion, detection and skipped fps and the frame-to-event latency (p50 and
 * p95 over the measured window's frames with events), for the process the CPU cores used, the RSS and the threads, all
 * measured after a warm-up; then, with {@code --compare-gating}, one camera of the static scene (or the first source)
 * with motion gating off and on, and the CPU ratio; and as the last line
 * {@code cameras N detection_fps_min X cpu_cores Y rss_mb Z}. Events are counted and discarded. Exit 0, 2 on a bad option
 * or an unusable file or model.
 */
@CommandLine.Command(name = "bench-cameras", mixinStandardHelpOptions = true,
        description = {"Benchmark N cameras on the shared detector; the last line is 'cameras N detection_fps_min X cpu_cores Y rss_mb Z'.",
                "Progress goes to standard error (see --progress)."})
public class BenchCamerasCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--source", required = true, description = "Video file; repeat to mix files (cameras take them in turn).")
    List<Path> sources;

    @CommandLine.Option(names = "--cameras", defaultValue = "1", description = "Cameras, 1..64 (default: ${DEFAULT-VALUE}).")
    int cameras;

    @CommandLine.Option(names = "--duration-s", defaultValue = "40", description = "Measured seconds, after the warm-up (default: ${DEFAULT-VALUE}).")
    int durationS;

    @CommandLine.Option(names = "--warmup-s", defaultValue = "5", description = "Seconds before measuring (default: ${DEFAULT-VALUE}).")
    int warmupS;

    @CommandLine.Option(names = "--detect-fps", defaultValue = "5", description = "Detection rounds per second per camera, 0 = every frame (default: ${DEFAULT-VALUE}).")
    double detectFps;

    @CommandLine.Option(names = "--gating", defaultValue = "true", arity = "1", description = "Motion gating on or off (default: ${DEFAULT-VALUE}).")
    boolean gating;

    @CommandLine.Option(names = "--compare-gating", defaultValue = "false", arity = "0..1",
            description = "Also run one camera with gating off, then on, and print the CPU ratio (on the --static-scene clip when given).")
    boolean compareGating;

    @CommandLine.Option(names = "--static-scene", description = "Image to make a static-scene clip of (sensor noise added) for --compare-gating.")
    Path staticScene;

    @CommandLine.Option(names = "--compare-s", defaultValue = "20", description = "Measured seconds of each --compare-gating run (default: ${DEFAULT-VALUE}).")
    int compareS;

    @CommandLine.Option(names = "--compare-warmup-s", defaultValue = "15",
            description = "Seconds before measuring each --compare-gating run, longer than stationary-after-s so a still person in the scene is stationary by then (default: ${DEFAULT-VALUE}).")
    int compareWarmupS;

    @CommandLine.Mixin
    Progress.Option progress = new Progress.Option();

    /** Progress of the whole command, in seconds of warm-up and measurement. */
    private Progress bar = Progress.off();

    private final Agent agent;

    public BenchCamerasCommand(Agent agent) {
        this.agent = agent;
    }

    /**
     * Length of a video file in seconds, or 0 when FFmpeg does not know it (then it is not checked).
     *
     * @throws org.bytedeco.javacv.FrameGrabber.Exception when FFmpeg cannot open it or it has no video stream
     */
    private static double lengthS(Path p) throws org.bytedeco.javacv.FrameGrabber.Exception {
        io.edgewatch.capture.FfmpegLog.install(); // FFmpeg's messages through the log, not its stream dump on stderr
        try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(p.toFile())) {
            g.start();
            if (!g.hasVideo()) {
                throw new org.bytedeco.javacv.FrameGrabber.Exception("no video stream" + (g.hasAudio() ? " (audio only)" : ""));
            }
            long us = g.getLengthInTime();
            g.stop();
            return us > 0 ? us / 1e6 : 0;
        }
    }

    /** Figures of one camera over the measured window. */
    record CameraFigures(String camera, double decodedFps, double motionFps, double detectionFps, double skippedFps,
                         double p50Ms, double p95Ms) { }

    /** Figures of one run. */
    record RunFigures(List<CameraFigures> cameras, double cpuCores, double rssMb, int threads) {
        double detectionFpsMin() {
            return cameras.stream().mapToDouble(CameraFigures::detectionFps).min().orElse(0);
        }
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = new CommandLine(this);
        if (cameras < 1 || cameras > 64) {
            throw new CommandLine.ParameterException(cl, "--cameras must be 1..64, was " + cameras);
        }
        if (durationS < 1 || durationS > 3600 || warmupS < 0 || warmupS > 600 || compareS < 1 || compareS > 3600
                || compareWarmupS < 0 || compareWarmupS > 600) {
            throw new CommandLine.ParameterException(cl, "--duration-s and --compare-s must be 1..3600, --warmup-s and --compare-warmup-s 0..600");
        }
        if (!(detectFps >= 0 && detectFps <= 120)) {
            throw new CommandLine.ParameterException(cl, "--detect-fps must be 0..120, was " + detectFps);
        }
        if (staticScene != null && !compareGating) {
            throw new CommandLine.ParameterException(cl, "--static-scene is the clip of --compare-gating: give both, or neither");
        }
        for (Path p : sources) {
            if (!Files.isReadable(p)) {
                System.err.println("edgewatch: --source: video file " + p + " does not exist or is not readable");
                return 2;
            }
            // the files are not looped: a shorter one would end inside the measured window and dilute the figures
            double lengthS;
            try {
                lengthS = lengthS(p);
            } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
                System.err.println("edgewatch: --source: video file " + p + " cannot be decoded: " + io.edgewatch.capture.FfmpegLog.explain(e.getMessage()));
                return 2;
            }
            int needS = warmupS + durationS;
            if (compareGating && staticScene == null && p.equals(sources.get(0))) {
                needS = Math.max(needS, compareWarmupS + compareS);
            }
            if (lengthS > 0 && lengthS < needS) {
                System.err.printf(Locale.ROOT, "edgewatch: --source: video file %s lasts %.1f s, the run needs %d s (warm-up + duration); "
                        + "shorten --duration-s/--warmup-s or give a longer file%n", p, lengthS, needS);
                return 2;
            }
        }
        Path staticClip = null;
        if (staticScene != null) {
            // made before the main run: a bad image is refused at once, not after warm-up + duration
            try {
                staticClip = Files.createTempFile("edgewatch-static-", ".avi");
                staticClip.toFile().deleteOnExit();
                StaticSceneClip.write(staticScene, staticClip, compareWarmupS + compareS + 5, 10, 4);
            } catch (IllegalArgumentException e) {
                System.err.println("edgewatch: --static-scene: " + e.getMessage());
                return 2;
            }
        }
        try {
            List<String> src = new ArrayList<>();
            for (int i = 0; i < cameras; i++) {
                src.add(sources.get(i % sources.size()).toString());
            }
            System.out.printf(Locale.ROOT, "cameras %d  sources %s  detect_fps %.1f  gating %s  warmup_s %d  duration_s %d%n", cameras,
                    sources, detectFps, gating ? "on" : "off", warmupS, durationS);
            bar = progress.start("bench-cameras", warmupS + durationS + (compareGating ? 2L * (compareWarmupS + compareS) : 0), "s");
            RunFigures main = run(src, "cam", gating, warmupS, durationS);
            bar.clear(); // the table starts on a clean line; the progress line is drawn again under it
            System.out.printf(Locale.ROOT, "%-8s %8s %8s %9s %8s %8s %8s%n", "camera", "decoded", "motion", "detection", "skipped",
                    "p50_ms", "p95_ms");
            for (CameraFigures c : main.cameras()) {
                System.out.printf(Locale.ROOT, "%-8s %8.2f %8.2f %9.2f %8.2f %8.0f %8.0f%n", c.camera(), c.decodedFps(), c.motionFps(),
                        c.detectionFps(), c.skippedFps(), c.p50Ms(), c.p95Ms());
            }
            double p95Max = main.cameras().stream().mapToDouble(CameraFigures::p95Ms).max().orElse(0);
            double skippedMax = main.cameras().stream().mapToDouble(CameraFigures::skippedFps).max().orElse(0);
            System.out.printf(Locale.ROOT, "process cpu_cores %.2f  rss_mb %.0f  threads %d  skipped_fps_max %.2f  p95_ms_max %.0f%n",
                    main.cpuCores(), main.rssMb(), main.threads(), skippedMax, p95Max);
            if (compareGating) {
                Path clip = staticClip != null ? staticClip : sources.get(0);
                RunFigures off = run(List.of(clip.toString()), "off", false, compareWarmupS, compareS);
                RunFigures on = run(List.of(clip.toString()), "on", true, compareWarmupS, compareS);
                bar.clear();
                System.out.printf(Locale.ROOT, "gating off: cpu_cores %.3f detection_fps %.2f%n", off.cpuCores(), off.detectionFpsMin());
                System.out.printf(Locale.ROOT, "gating on:  cpu_cores %.3f detection_fps %.2f motion_fps %.2f%n", on.cpuCores(),
                        on.detectionFpsMin(), on.cameras().get(0).motionFps());
                System.out.printf(Locale.ROOT, "gating_cpu_ratio %.3f (on / off, %s)%n", on.cpuCores() / off.cpuCores(),
                        staticScene != null ? "static scene " + staticScene.getFileName() : "source " + clip.getFileName());
            }
            bar.finish();
            System.out.printf(Locale.ROOT, "cameras %d detection_fps_min %.2f cpu_cores %.2f rss_mb %.0f%n", cameras, main.detectionFpsMin(),
                    main.cpuCores(), main.rssMb());
            return 0;
        } catch (ModelException | IllegalArgumentException e) {
            bar.close();
            System.err.println("edgewatch: " + e.getMessage());
            return 2;
        } finally {
            bar.close();
        }
    }

    private RunFigures run(List<String> src, String idPrefix, boolean gatingOn, int warmup, int seconds) throws InterruptedException {
        DiscardingSink sink = new DiscardingSink();
        agent.start(new RunRequest(List.copyOf(src), idPrefix, Optional.empty(), 0, 1.0, OptionalDouble.of(detectFps), Optional.of(gatingOn),
                Optional.of(sink)));
        String phase = idPrefix.equals("cam") ? "" : "gating " + idPrefix + ", ";
        try {
            bar.phase(phase + "warm-up");
            for (int i = 0; i < warmup; i++) {
                Thread.sleep(1000);
                bar.advance();
            }
            bar.phase(phase + "measuring");
            List<CameraPipeline> ps = agent.pipelines();
            Map<String, long[]> start = new LinkedHashMap<>();
            Map<String, DescriptiveStatistics> latencies = new LinkedHashMap<>();
            for (CameraPipeline p : ps) {
                start.put(p.cameraId(), counters(p));
                DescriptiveStatistics lat = new SynchronizedDescriptiveStatistics();
                latencies.put(p.cameraId(), lat);
                p.eventLatencyListener(lat::addValue);
            }
            long cpu0 = cpuNs();
            long t0 = System.nanoTime();
            double rssMax = 0;
            int threadsMax = 0;
            for (int i = 0; i < seconds; i++) {
                Thread.sleep(1000);
                bar.advance();
                rssMax = Math.max(rssMax, io.edgewatch.pipeline.Benchmark.rssMb());
                threadsMax = Math.max(threadsMax, threads());
            }
            double s = (System.nanoTime() - t0) / 1e9;
            double cores = (cpuNs() - cpu0) / 1e9 / s;
            List<CameraFigures> out = new ArrayList<>();
            for (CameraPipeline p : ps) {
                p.eventLatencyListener(null);
                long[] a = start.get(p.cameraId());
                long[] b = counters(p);
                // exact percentiles of the measured window's frames with events (NaN when none had events)
                DescriptiveStatistics lat = latencies.get(p.cameraId());
                out.add(new CameraFigures(p.cameraId(), (b[0] - a[0]) / s, (b[1] - a[1]) / s, (b[2] - a[2]) / s, (b[3] - a[3]) / s,
                        lat.getPercentile(50), lat.getPercentile(95)));
            }
            return new RunFigures(out, cores, rssMax, threadsMax);
        } finally {
            agent.stop();
        }
    }

    /** decoded frames, motion frames, regions detected, rounds skipped */
    private static long[] counters(CameraPipeline p) {
        return new long[]{p.captureStats().framesReceived(), p.motionFrames(), p.regionsDetected(), p.skippedRounds()};
    }

    /** CPU time of the whole process (all threads, native ones included), ns. */
    private static long cpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Threads of the process (native ones included), from /proc/self/status; -1 elsewhere. */
    private static int threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring(8).trim());
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
