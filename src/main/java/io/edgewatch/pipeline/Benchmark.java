package io.edgewatch.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.CapturedFrame;
import io.edgewatch.capture.FfmpegFrameReader;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.DetectorService;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.DiscardingSink;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.bytedeco.javacv.FrameGrabber;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the whole pipeline over a video file on the calling thread, decode included, and times every stage; then
 * measures the same model's raw invoke time (same input, no pre- or post-processing) in the same run, as the
 * baseline. The ratio is pipeline ms per frame (wall time / frames) / (decode mean + raw invoke mean).
 *
 * <p>Warm-up: by default one whole pass over the file (fresh model, tracker and publisher) runs before the timed
 * pass, and its ratio is reported as the cold ratio. In a fresh JVM the JIT compiles for several seconds on
 * background threads; with two interpreter threads on two cores that steals the second XNNPACK worker's CPU and
 * doubles the p95 of the invoke (measured 2026-11-29: ratio 1.29 in the first pass, 1.12 and 1.09 in the next two of
 * the same JVM). A running agent is past that, so the timed pass is the warmed one. In every pass the first
 * {@value #WARMUP_FRAMES} frames are not timed.
 */
public final class Benchmark {
    /** Frames processed before timing starts (JIT compilation, caches, interpreter warm-up). */
    public static final int WARMUP_FRAMES = 30;
    /** Raw invokes of the run pass's reference interpreter, half before and half after the run. */
    static final int RAW_INVOKES = 300;
    /** Detections in a frame from which its track stage also counts as {@link #CROWD_STAGE} (issue 11: 20 people). */
    public static final int CROWD = 20;
    /** Stage name of the track stage on frames with at least {@link #CROWD} detections. */
    public static final String CROWD_STAGE = "track@20+";

    /**
     * Figures of one run.
     *
     * @param stages       per-stage statistics, ms per analysed frame: decode, motion, preprocess, invoke, postprocess, track, publish,
     *                     pipeline, and {@code track@20+}: the track stage on the frames with at least {@value #CROWD} detections
     * @param people       detections per analysed frame (the people in view, for a person-only filter)
     * @param rawInvoke    raw invoke statistics, ms
     * @param frames       frames processed
     * @param pipelineFps  frames / wall time of the pipeline pass
     * @param rssMb        resident set size at the end, MiB
     * @param events       events published
     * @param ratio        pipeline ms per frame / (decode mean + raw invoke mean)
     * @param coldRatio    the same ratio of the first warm-up pass (fresh JVM), NaN without warm-up pass
     */
    public record Result(Map<String, DescriptiveStatistics> stages, DescriptiveStatistics people, DescriptiveStatistics rawInvoke, long frames,
                         double pipelineFps, double rssMb, long events, long maxPayloadBytes, double ratio, double coldRatio) {
        /** Human-readable table; the last line is {@code ratio <x>}. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%-12s %10s %10s%n", "stage", "median_ms", "p95_ms"));
            stages.forEach((k, v) -> sb.append(v.getN() > 0 ? row(k, v) : String.format(Locale.ROOT, "%-12s %10s %10s%n", k, "-", "-")));
            sb.append(row("raw_invoke", rawInvoke));
            sb.append(String.format(Locale.ROOT, "people (detections per analysed frame) median %.0f max %.0f; frames with >= %d: %d%n",
                    people.getPercentile(50), people.getMax(), CROWD, stages.get(CROWD_STAGE).getN()));
            sb.append(String.format(Locale.ROOT, "frames %d  pipeline_fps %.1f  pipeline_ms_per_frame %.3f (wall time / frames)  events %d  max_payload_bytes %d  rss_mb %.0f%n",
                    frames, pipelineFps, 1000.0 / pipelineFps, events, maxPayloadBytes, rssMb));
            sb.append(String.format(Locale.ROOT, "means_ms decode %.3f  raw_invoke %.3f%n", stages.get("decode").getMean(), rawInvoke.getMean()));
            if (!Double.isNaN(coldRatio)) {
                sb.append(String.format(Locale.ROOT, "cold_ratio %.3f (first pass in this JVM, JIT still compiling; not the figure)%n", coldRatio));
            }
            sb.append("ratio = pipeline_ms_per_frame / (decode mean + raw_invoke mean) of the timed pass; target <= 1.15\n");
            sb.append(String.format(Locale.ROOT, "ratio %.3f", ratio));
            return sb.toString();
        }

        private static String row(String name, DescriptiveStatistics s) {
            return String.format(Locale.ROOT, "%-12s %10.3f %10.3f%n", name, s.getPercentile(50), s.getPercentile(95));
        }
    }

    /**
     * Told how a benchmark advances (for a progress display): {@link #pass} before each pass over the file, {@link #frame}
     * after each frame decoded by a pass ({@link #runThroughput}: each frame the pipeline thread processed, on that thread).
     */
    public interface Listener {
        /** Does nothing. */
        Listener NONE = new Listener() {
            @Override
            public void pass(String name) {
            }

            @Override
            public void frame() {
            }
        };

        /** A pass starts: "warm-up pass 1/2", "timed pass", "run pass". */
        void pass(String name);

        /** One more frame done. */
        void frame();
    }

    /**
     * @param source    video file
     * @param maxFrames    frames to process per pass (0 = whole file)
     * @param warmupPasses untimed passes over the file before the timed one (0..10; 1 by default in the CLI)
     * @throws FrameGrabber.Exception   when the file cannot be decoded
     * @throws IllegalArgumentException when the file is missing, too short, or warmupPasses is out of range
     */
    public static Result run(Path source, long maxFrames, int warmupPasses, ModelManifest manifest, InterpreterOptions opts,
                             DetectionFilter filter, TrackerSettings ts, EventPolicy policy, ObjectMapper mapper) throws FrameGrabber.Exception {
        return run(source, maxFrames, warmupPasses, manifest, opts, filter, ts, policy, DetectionSettings.everyFrame(), mapper);
    }

    /**
     * As {@link #run(Path, long, int, ModelManifest, InterpreterOptions, DetectionFilter, TrackerSettings, EventPolicy, ObjectMapper)}
     * with the given detection settings (the default measures every frame, whole, without motion gating).
     */
    public static Result run(Path source, long maxFrames, int warmupPasses, ModelManifest manifest, InterpreterOptions opts,
                             DetectionFilter filter, TrackerSettings ts, EventPolicy policy, DetectionSettings detection,
                             ObjectMapper mapper) throws FrameGrabber.Exception {
        return run(source, maxFrames, warmupPasses, manifest, opts, filter, ts, policy, detection, mapper, Listener.NONE);
    }

    /** As {@link #run(Path, long, int, ModelManifest, InterpreterOptions, DetectionFilter, TrackerSettings, EventPolicy,
     * DetectionSettings, ObjectMapper)}, telling {@code listener} of each pass and frame. */
    public static Result run(Path source, long maxFrames, int warmupPasses, ModelManifest manifest, InterpreterOptions opts,
                             DetectionFilter filter, TrackerSettings ts, EventPolicy policy, DetectionSettings detection,
                             ObjectMapper mapper, Listener listener) throws FrameGrabber.Exception {
        if (!Files.isReadable(source)) {
            throw new IllegalArgumentException("video file " + source + " does not exist or is not readable");
        }
        if (maxFrames < 0 || (maxFrames > 0 && maxFrames <= WARMUP_FRAMES)) {
            throw new IllegalArgumentException("--frames must be 0 (the whole file) or more than " + WARMUP_FRAMES + " (the first "
                    + WARMUP_FRAMES + " frames warm up and are not timed), was " + maxFrames);
        }
        if (warmupPasses < 0 || warmupPasses > 10) {
            throw new IllegalArgumentException("--warmup-passes must be 0..10, was " + warmupPasses);
        }
        double cold = Double.NaN;
        for (int i = 0; i < warmupPasses; i++) {
            listener.pass("warm-up pass " + (i + 1) + "/" + warmupPasses);
            Result r = pass(source, maxFrames, manifest, opts, filter, ts, policy, detection, mapper, listener);
            if (i == 0) {
                cold = r.ratio();
            }
        }
        listener.pass("timed pass");
        Result r = pass(source, maxFrames, manifest, opts, filter, ts, policy, detection, mapper, listener);
        return new Result(r.stages(), r.people(), r.rawInvoke(), r.frames(), r.pipelineFps(), r.rssMb(), r.events(), r.maxPayloadBytes(), r.ratio(), cold);
    }

    private static Result pass(Path source, long maxFrames, ModelManifest manifest, InterpreterOptions opts, DetectionFilter filter,
                               TrackerSettings ts, EventPolicy policy, DetectionSettings detection, ObjectMapper mapper,
                               Listener listener) throws FrameGrabber.Exception {
        Map<String, DescriptiveStatistics> st = new LinkedHashMap<>();
        for (String k : new String[]{"decode", "motion", "preprocess", "invoke", "postprocess", "track", CROWD_STAGE, "publish", "pipeline"}) {
            st.put(k, new DescriptiveStatistics());
        }
        DescriptiveStatistics people = new DescriptiveStatistics();
        DiscardingSink sink = new DiscardingSink();
        EventPublisher publisher = new EventPublisher(sink, mapper, "edgewatch", 1);
        CaptureSettings cs = CaptureSettings.defaults("bench", source.toString());
        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.BLOCKING);
        ObjectDetector detector = new ObjectDetector(TfliteModel.load(manifest, opts), filter);
        DetectorService service = new DetectorService(manifest.id(), List.of(detector));
        CameraPipeline pipeline = new CameraPipeline("bench", new CaptureWorker(cs, slot, new CaptureStats("bench"), 0), slot,
                service.register("bench"), detection, ts, "bench", new TrackEventBuilder("bench", "bench", policy), publisher, 10,
                new SimpleMeterRegistry());
        long frames = 0;
        long wallNs = 0;
        long timedFrames = 0;
        try (FfmpegFrameReader reader = new FfmpegFrameReader(cs, 0)) {
            reader.greyCopy(pipeline.greyCopyWidthPx()); // as the capture makes it for the motion stage
            reader.open();
            long start = System.nanoTime();
            while (maxFrames <= 0 || frames < maxFrames) {
                if (frames == WARMUP_FRAMES) {
                    start = System.nanoTime(); // JIT and caches warmed: time from here, like the raw invokes below
                }
                long t0 = System.nanoTime();
                CapturedFrame f = reader.next();
                double decodeMs = (System.nanoTime() - t0) / 1e6;
                if (f == null) {
                    break;
                }
                listener.frame();
                try (f) {
                    if (!pipeline.due(f)) {
                        frames++;
                        continue;
                    }
                    StageTimes t = pipeline.process(f);
                    if (frames >= WARMUP_FRAMES) {
                        st.get("decode").addValue(decodeMs);
                        st.get("motion").addValue(t.motionMs());
                        st.get("preprocess").addValue(t.preprocessMs());
                        st.get("invoke").addValue(t.invokeMs());
                        st.get("postprocess").addValue(t.postprocessMs());
                        st.get("track").addValue(t.trackMs());
                        if (t.detections() >= CROWD) {
                            st.get(CROWD_STAGE).addValue(t.trackMs());
                        }
                        people.addValue(t.detections());
                        st.get("publish").addValue(t.publishMs());
                        st.get("pipeline").addValue(decodeMs + t.totalMs());
                        timedFrames++;
                        wallNs = System.nanoTime() - start;
                    }
                }
                frames++;
            }
            pipeline.flush("stream-end");
        }
        if (timedFrames == 0) {
            throw new IllegalArgumentException("video file " + source + " has " + frames + " frames; the benchmark needs more than "
                    + WARMUP_FRAMES + " (the first " + WARMUP_FRAMES + " warm up and are not timed)");
        }
        // baseline: the same interpreter, warmed up, the last input left in place, invoke only
        DescriptiveStatistics raw = new DescriptiveStatistics();
        int n = (int) Math.max(30, Math.min(timedFrames, 300));
        for (int i = 0; i < n; i++) {
            raw.addValue(detector.model().invoke());
        }
        service.close();
        double perFrameMs = wallNs / 1e6 / timedFrames;
        // means on both sides: pipeline wall time per frame against decode and raw invoke time per frame
        double ratio = perFrameMs / (st.get("decode").getMean() + raw.getMean());
        return new Result(st, people, raw, timedFrames, timedFrames / (wallNs / 1e9), rssMb(), publisher.published(), publisher.maxPayloadBytes(), ratio,
                Double.NaN);
    }

    /**
     * Throughput of {@code run} on a file: capture thread, pipeline thread and the shared detector's workers, as the
     * agent wires them for a file analysed as fast as possible (every frame analysed; without motion gating one
     * round in flight per interpreter, see {@link CameraPipeline#throughput} and
     * {@link io.edgewatch.config.EdgewatchConfig.Detector#interpretersFor(io.edgewatch.config.EdgewatchConfig.Detector, int, boolean)}).
     *
     * @param frames        frames analysed after the warm-up frames
     * @param runMsPerFrame wall time per analysed frame, ms
     * @param rawInvokeMs   mean raw invoke time of one interpreter as a single live camera has it (the stage passes'
     *                      interpreter options), alone, half of the invokes before the run and half after, ms
     * @param interpreters  interpreters the run used
     * @param threads       threads of each of them
     * @param rounds        rounds in flight
     * @param ratio         rawInvokeMs / runMsPerFrame: 1 = the file is analysed as fast as the model runs for one live
     *                      camera; above 1 when the run's interpreters together do more (target &gt;= 0.95)
     */
    public record Throughput(long frames, double runMsPerFrame, double rawInvokeMs, int interpreters, int threads, int rounds, double ratio) {
        /** One line: {@code run_ms_per_frame X raw_invoke_ms Y run_ratio Z (...)}. */
        public String line() {
            return String.format(Locale.ROOT, "run_ms_per_frame %.3f raw_invoke_ms %.3f run_ratio %.3f (raw invoke / run ms per frame, %d frames;"
                            + " run: %d interpreter(s) x %d thread(s), %d round(s) in flight; target >= 0.95)",
                    runMsPerFrame, rawInvokeMs, ratio, frames, interpreters, threads, rounds);
        }
    }

    /**
     * Measures {@link Throughput} over the file (the first {@value #WARMUP_FRAMES} analysed frames are not timed).
     *
     * @param rawOpts      options of the baseline interpreter (one live camera's), whose raw invoke is the reference
     * @param runOpts      options of each of the run's interpreters
     * @param interpreters interpreters of the run's shared detector, 1..16
     * @throws IllegalArgumentException when the file cannot be read or has too few frames
     */
    public static Throughput runThroughput(Path source, long maxFrames, ModelManifest manifest, InterpreterOptions rawOpts,
                                           InterpreterOptions runOpts, int interpreters, DetectionFilter filter,
                                           TrackerSettings ts, EventPolicy policy, DetectionSettings detection, ObjectMapper mapper,
                                           Listener listener) throws InterruptedException, FrameGrabber.Exception {
        listener.pass("run pass");
        if (!Files.isReadable(source)) {
            throw new IllegalArgumentException("video file " + source + " does not exist or is not readable");
        }
        if (interpreters < 1 || interpreters > 16) {
            throw new IllegalArgumentException("interpreters must be 1..16, was " + interpreters);
        }
        DiscardingSink sink = new DiscardingSink();
        EventPublisher publisher = new EventPublisher(sink, mapper, "edgewatch", 1);
        CaptureSettings cs = CaptureSettings.defaults("bench-run", source.toString());
        LatestFrameSlot slot = new LatestFrameSlot(cs.handOff());
        int rounds = CameraPipeline.roundsInFlight(CameraPipeline.throughput(cs, detection), interpreters); // as the agent sets it
        // the reference: one interpreter as one live camera has it, warmed up, the file's first frame as its input (a real
        // picture, like the stage passes' raw invoke), timed alone before and after the run so that a host whose speed
        // drifts (shared machines) weighs on both sides alike
        try (ObjectDetector reference = new ObjectDetector(TfliteModel.load(manifest, rawOpts), filter)) {
            try (FfmpegFrameReader reader = new FfmpegFrameReader(cs, 0)) {
                reader.open();
                try (CapturedFrame first = reader.next()) {
                    if (first == null) {
                        throw new IllegalArgumentException("video file " + source + " has no frame");
                    }
                    reference.detect(first.image());
                }
            }
            DescriptiveStatistics raw = new DescriptiveStatistics();
            for (int i = 0; i < WARMUP_FRAMES; i++) {
                reference.model().invoke();
            }
            for (int i = 0; i < RAW_INVOKES / 2; i++) {
                raw.addValue(reference.model().invoke());
            }
            List<ObjectDetector> detectors = new ArrayList<>();
            for (int i = 0; i < interpreters; i++) {
                detectors.add(new ObjectDetector(TfliteModel.load(manifest, runOpts), filter));
            }
            long timed;
            double perFrame;
            try (DetectorService service = new DetectorService(manifest.id(), detectors)) {
                CaptureWorker capture = new CaptureWorker(cs, slot, new CaptureStats("bench-run"), maxFrames);
                CameraPipeline pipeline = new CameraPipeline("bench-run", capture, slot, service.register("bench-run"), detection, ts,
                        "bench-run", new TrackEventBuilder("bench", "bench-run", policy), publisher, 10, new SimpleMeterRegistry());
                pipeline.roundsInFlight(rounds);
                long[] startNs = {0};
                long[] lastNs = {0};
                long[] seen = {0};
                pipeline.observe(ctx -> {
                    long now = System.nanoTime();
                    if (++seen[0] == WARMUP_FRAMES) {
                        startNs[0] = now;
                    }
                    lastNs[0] = now;
                    listener.frame();
                });
                capture.start();
                Thread t = new Thread(pipeline, "pipeline-bench-run");
                t.start();
                t.join();
                timed = seen[0] - WARMUP_FRAMES;
                if (timed <= 0) {
                    throw new IllegalArgumentException("video file " + source + " has " + seen[0] + " frames; the run pass needs more than " + WARMUP_FRAMES);
                }
                perFrame = (lastNs[0] - startNs[0]) / 1e6 / timed;
            }
            for (int i = 0; i < RAW_INVOKES / 2; i++) {
                raw.addValue(reference.model().invoke());
            }
            return new Throughput(timed, perFrame, raw.getMean(), interpreters, runOpts.threads(), rounds, raw.getMean() / perFrame);
        }
    }

    /** Resident set size of this process, MiB (from /proc/self/status; -1 elsewhere). */
    public static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
