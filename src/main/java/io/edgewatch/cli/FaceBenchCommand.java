package io.edgewatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.CapturedFrame;
import io.edgewatch.capture.FfmpegFrameReader;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.config.EdgewatchConfig;
import io.edgewatch.config.FacesConfig;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.EventSink;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.face.FaceException;
import io.edgewatch.face.FaceService;
import io.edgewatch.face.FaceSettings;
import io.edgewatch.face.FaceStage;
import io.edgewatch.face.GalleryCipher;
import io.edgewatch.inference.Acceleration;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelException;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.pipeline.CameraPipeline;
import io.edgewatch.track.Tracker;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code bench-faces}: runs the camera pipeline over a video three times on one thread (no faces; faces with the
 * configured per-camera budget; faces unbudgeted, never deciding, as the worst case) against an empty temporary
 * gallery, and prints per-face detect, align and embed ms (median, p95), pipeline ms per frame of each run, and the
 * faces per second a camera at {@code --fps} can afford beside the detector.
 */
@CommandLine.Command(name = "bench-faces", mixinStandardHelpOptions = true,
        description = {"Benchmark face detect/align/embed per face and the face budget's effect on the frame pipeline.",
                "Progress goes to standard error (see --progress)."})
public class FaceBenchCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--source", required = true, description = "Video file with people facing the camera.")
    Path source;

    @CommandLine.Option(names = "--fps", defaultValue = "10", description = "Camera frame rate for the affordable-faces figure (default ${DEFAULT-VALUE}).")
    double fps;

    @CommandLine.Option(names = "--budget", description = "Faces per second (default: edgewatch.faces.faces-per-second).")
    Double budget;

    @CommandLine.Option(names = "--loops", defaultValue = "3", description = "Passes over the video per configuration (default ${DEFAULT-VALUE}).")
    int loops;

    @CommandLine.Mixin
    Progress.Option progress = new Progress.Option();

    /** Progress of the whole command: one unit a frame of every pass. */
    private Progress bar = Progress.off();

    private final EdgewatchConfig config;
    private final FacesConfig faces;
    private final ObjectMapper mapper;

    public FaceBenchCommand(EdgewatchConfig config, FacesConfig faces, ObjectMapper mapper) {
        this.config = config;
        this.faces = faces;
        this.mapper = mapper;
    }

    private static final class NullSink implements EventSink {
        @Override
        public void send(String topic, byte[] payload, boolean retained) {
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public String describe() {
            return "none";
        }

        @Override
        public void close() {
        }
    }

    private record Run(DescriptiveStatistics frameMs, List<FaceStage> stages) {
        long embedded() {
            return stages.stream().mapToLong(FaceStage::facesEmbedded).sum();
        }

        long skipped() {
            return stages.stream().mapToLong(FaceStage::framesSkippedBudget).sum();
        }

        DescriptiveStatistics of(java.util.function.Function<FaceStage, List<Double>> f) {
            DescriptiveStatistics d = new DescriptiveStatistics();
            stages.forEach(st -> f.apply(st).forEach(d::addValue));
            return d;
        }
    }

    private Run runLoops(String name, FaceService svc, ModelManifest manifest, InterpreterOptions opts, DetectionFilter filter) throws Exception {
        DescriptiveStatistics all = new DescriptiveStatistics();
        List<FaceStage> stages = new java.util.ArrayList<>();
        for (int i = 0; i < Math.max(1, loops); i++) {
            bar.phase(name + " pass " + (i + 1) + "/" + Math.max(1, loops));
            Run r = run(svc, manifest, opts, filter);
            for (double v : r.frameMs().getValues()) {
                all.addValue(v);
            }
            stages.addAll(r.stages());
        }
        return new Run(all, stages);
    }

    private Run run(FaceService svc, ModelManifest manifest, InterpreterOptions opts, DetectionFilter filter) throws Exception {
        CaptureSettings cs = CaptureSettings.defaults("bench", source.toString());
        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.BLOCKING);
        EdgewatchConfig.Tracker t = config.tracker();
        ObjectDetector detector = new ObjectDetector(TfliteModel.load(manifest, opts), filter);
        io.edgewatch.detect.DetectorService service = new io.edgewatch.detect.DetectorService(manifest.id(), List.of(detector));
        CameraPipeline p = new CameraPipeline("bench", new CaptureWorker(cs, slot, new CaptureStats("bench"), 0), slot,
                service.register("bench"), io.edgewatch.pipeline.DetectionSettings.everyFrame(), io.edgewatch.pipeline.Settings.tracker(t), "bench",
                new TrackEventBuilder("bench", "bench", io.edgewatch.pipeline.Settings.events(config.events())),
                new EventPublisher(new NullSink(), mapper, "edgewatch", 1), fps, new SimpleMeterRegistry());
        FaceStage stage = svc == null ? null : svc.createStage("bench");
        if (stage != null) {
            p.attachFaces(stage);
        }
        DescriptiveStatistics st = new DescriptiveStatistics();
        try (FfmpegFrameReader reader = new FfmpegFrameReader(cs, 0)) {
            reader.open();
            CapturedFrame next;
            while ((next = reader.next()) != null) {
                try (CapturedFrame f = next) {
                    long t0 = System.nanoTime();
                    p.process(f);
                    st.addValue((System.nanoTime() - t0) / 1e6);
                }
                bar.advance();
            }
            p.flush("stream-end");
        }
        service.close();
        return new Run(st, stage == null ? List.of() : List.of(stage));
    }

    private static String fig(DescriptiveStatistics s) {
        return s.getN() == 0 ? "n/a" : String.format("median %7.2f  p95 %7.2f  (n=%d)", s.getPercentile(50), s.getPercentile(95), s.getN());
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(source)) {
            return FaceCommands.fail(new IllegalArgumentException("video file " + source + " does not exist or is not readable"));
        }
        EdgewatchConfig.Detector d = config.detector();
        Path tmp = Files.createTempDirectory("edgewatch-bench-faces");
        try {
            ModelManifest manifest = ModelManifest.read(d.manifest(), mapper);
            InterpreterOptions opts = new InterpreterOptions(io.edgewatch.config.EdgewatchConfig.Detector.threadsPerInterpreter(d), Acceleration.valueOf(d.acceleration().toUpperCase()));
            DetectionFilter filter = new DetectionFilter(new HashSet<>(d.labels()), d.minScore(), d.minScoreByLabel(), d.weakScore());
            GalleryCipher.generateKeyFile(tmp.resolve("key"));
            FaceSettings base = FaceSettings.of(faces).withGallery(tmp.resolve("gallery"), tmp.resolve("key"), tmp.resolve("gallery/audit.jsonl"));
            base = new FaceSettings(true, "benchmark", "benchmark (empty temporary gallery)", base.mode(), base.detectorManifest(),
                    base.embedderManifest(), base.threads(), base.minFaceScore(), base.galleryDir(), base.keyFile(), base.auditFile(),
                    0, base.threshold(), base.grayscalePolicy(), base.grayscaleThreshold(), base.minFacePx(), base.minBlurVariance(),
                    base.maxYaw(), base.facesPerSecond(), base.maxTracksPerFrame(), 1_000_000, 1_000_000, false, base.upperFraction(), base.margin());
            double b = budget != null ? budget : base.facesPerSecond();
            bar = progress.start("bench-faces", Progress.videoFrames(source) * (1 + 3L * Math.max(1, loops)), "frames");
            bar.phase("warm-up");
            run(null, manifest, opts, filter); // warm-up
            Run none = runLoops("faces off", null, manifest, opts, filter);
            Run budgeted;
            Run unlimited;
            try (FaceService svc = FaceService.open(base.withMode(base.mode(), b, false), mapper, "bench", System.currentTimeMillis())) {
                // one random template, so that no track is ever decided: every track keeps asking for faces (worst case)
                int dim;
                try (FaceStage probe = svc.createStage("probe")) {
                    dim = probe.analyzer().embedder().dimension();
                }
                float[] dummy = new float[dim];
                java.util.Random rnd = new java.util.Random(1);
                for (int i = 0; i < dummy.length; i++) {
                    dummy[i] = (float) rnd.nextGaussian();
                }
                String model = io.edgewatch.inference.ModelManifest.read(base.embedderManifest(), mapper).id();
                svc.gallery().add("bench-random", io.edgewatch.face.FaceEmbedder.normalize(dummy), model, 1, System.currentTimeMillis(), 0);
                budgeted = runLoops("faces budgeted", svc, manifest, opts, filter);
            }
            try (FaceService svc = FaceService.open(base.withMode(base.mode(), 1000, false), mapper, "bench", System.currentTimeMillis())) {
                unlimited = runLoops("faces unbudgeted", svc, manifest, opts, filter);
            }
            bar.finish();
            DescriptiveStatistics det = unlimited.of(FaceStage::detectMs);
            DescriptiveStatistics al = unlimited.of(FaceStage::alignMs);
            DescriptiveStatistics em = unlimited.of(FaceStage::embedMs);
            double perFace = det.getPercentile(50) + al.getPercentile(50) + em.getPercentile(50);
            double spare = 1000 - fps * none.frameMs().getPercentile(50);
            System.out.println("source " + source + "  detector " + manifest.id() + " (" + opts.threads() + " threads)  face models "
                    + unlimited.stages().get(0).analyzer().detector().model().name() + " + " + unlimited.stages().get(0).analyzer().embedder().modelId()
                    + " (" + base.threads() + " thread)  mode " + base.mode().name().toLowerCase());
            System.out.println("face detect ms per search region " + fig(det));
            System.out.println("align+quality ms per face        " + fig(al));
            System.out.println("embed ms per face                " + fig(em));
            System.out.printf("detect+align+embed per face      median %7.2f ms%n", perFace);
            System.out.println("frame ms, faces off              " + fig(none.frameMs()));
            System.out.printf("frame ms, faces %5.1f/s budget   %s  embedded %d, skipped frames (budget) %d%n", b, fig(budgeted.frameMs()),
                    budgeted.embedded(), budgeted.skipped());
            System.out.printf("frame ms, faces unbudgeted       %s  embedded %d%n", fig(unlimited.frameMs()), unlimited.embedded());
            System.out.printf("affordable faces/s at %.0f fps     %.1f (spare %.0f ms/s after the frame pipeline, / %.2f ms per face)%n",
                    fps, Math.max(0, spare / perFace), spare, perFace);
            budgeted.stages().forEach(FaceStage::close);
            unlimited.stages().forEach(FaceStage::close);
            return 0;
        } catch (ModelException | FaceException | IllegalArgumentException ex) {
            bar.close();
            return FaceCommands.fail(ex);
        } finally {
            bar.close();
            try (Stream<Path> w = Files.walk(tmp)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
