package io.edgewatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.capture.CaptureSettings;
import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.CapturedFrame;
import io.edgewatch.capture.FfmpegFrameReader;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.config.EdgewatchConfig;
import io.edgewatch.detect.BoxNorm;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.eval.MotChallenge;
import io.edgewatch.eval.MotEvaluator;
import io.edgewatch.eval.MotFormatException;
import io.edgewatch.eval.MotRow;
import io.edgewatch.eval.MotScore;
import io.edgewatch.eval.SeqInfo;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.DiscardingSink;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.inference.Acceleration;
import io.edgewatch.inference.InterpreterOptions;
import io.edgewatch.inference.ModelException;
import io.edgewatch.inference.ModelManifest;
import io.edgewatch.inference.TfliteModel;
import io.edgewatch.pipeline.CameraPipeline;
import io.edgewatch.pipeline.DetectionSettings;
import io.edgewatch.pipeline.Settings;
import io.edgewatch.track.Track;
import io.edgewatch.track.TrackState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bytedeco.javacv.FrameGrabber;
import picocli.CommandLine;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code bench-tracking}: runs one camera's real pipeline (motion, regions, detect, track, events, with the
 * configured detector, tracker and event settings and the detection defaults of a file given to {@code run}) over a
 * video file, unpaced, every frame decoded, and writes one MOTChallenge row per confirmed track per frame in which it
 * was associated with a detection, including the {@code min-hits - 1} frames it was matched in while still tentative
 * (written once it is confirmed, under its id; a track that is never confirmed writes nothing). With {@code --gt} it scores the rows ({@link MotEvaluator}); the last line is then
 * {@code mota X idf1 Y hota Z idsw N}. Events go to a discarding sink and are counted. Exit 0; 2 on a missing or
 * unusable file, a malformed ground-truth line (file and line named), a bad option or an unusable model.
 */
@CommandLine.Command(name = "bench-tracking", mixinStandardHelpOptions = true,
        description = {"Run the pipeline over a video file, write the confirmed tracks in MOTChallenge format and, with --gt, score them.",
                "Rows: frame,id,left,top,width,height,score,-1,-1,-1 (pixels, frames from 1), one per confirmed track per frame in which "
                        + "it was matched to a detection (the frames before its confirmation included); the box is the one events publish (Kalman-filtered, clamped to the frame).",
                "The MOT id is the numeric suffix of the track id; the mapping 'mot id N = track <full id>' is written to FILE.ids "
                        + "beside --mot-out (not to standard output).",
                "With --gt the last line is 'mota X idf1 Y hota Z idsw N'. Progress goes to standard error (see --progress)."})
public class BenchTrackingCommand implements Callable<Integer> {
    /** Prefix of the track ids of this command (the camera part of {@code <run>-<camera>-<n>}). */
    static final String TRACK_PREFIX = "bench-tracking";

    @CommandLine.Option(names = "--source", required = true, description = "Video file.")
    Path source;

    @CommandLine.Option(names = "--mot-out", required = true, description = "MOTChallenge result file to write (replaced).")
    Path motOut;

    @CommandLine.Option(names = "--gt", description = "MOTChallenge ground truth (gt.txt) to score against.")
    Path gt;

    @CommandLine.Option(names = "--seqinfo", description = "seqinfo.ini giving the ground truth's length (default: seqinfo.ini beside --gt, if present).")
    Path seqinfo;

    @CommandLine.Option(names = "--detect-fps", defaultValue = "0",
            description = "Detection rounds per second of stream time, 0 = every frame (default: ${DEFAULT-VALUE}; MOT ground truth has boxes on every frame).")
    double detectFps;

    @CommandLine.Option(names = "--gating", defaultValue = "true", arity = "1", description = "Motion gating and regions on or off (default: ${DEFAULT-VALUE}).")
    boolean gating;

    @CommandLine.Option(names = "--iou", defaultValue = "0.5", description = "IoU threshold of CLEAR MOT and IDF1, (0, 1] (default: ${DEFAULT-VALUE}).")
    double iou;

    @CommandLine.Option(names = "--tile", defaultValue = "1",
            description = "Tiles per side, 1..4: run on a wide view made of the source shown n x n times (nW x nH, MPEG-4) and score against the "
                    + "ground truth repeated per tile (ids + k*" + TiledClip.ID_OFFSET + ") (default: ${DEFAULT-VALUE}).")
    int tile;

    @CommandLine.Option(names = "--tile-clip", description = "Where --tile writes the tiled clip (default: a temporary file, deleted at exit).")
    Path tileClip;

    @CommandLine.Mixin
    Progress.Option progress = new Progress.Option();

    private final EdgewatchConfig config;
    private final ObjectMapper mapper;

    public BenchTrackingCommand(EdgewatchConfig config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * What one run produced.
     *
     * @param rows       MOT rows, frames from 1
     * @param ids        MOT id to full track id, ascending
     * @param frames     frames decoded
     * @param events     events published (to the discarding sink)
     * @param width      frame width, pixels
     * @param height     frame height, pixels
     * @param seconds    wall time, s
     */
    record Run(List<MotRow> rows, Map<Integer, String> ids, int frames, long events, int width, int height, double seconds) { }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = new CommandLine(this);
        if (!(iou > 0 && iou <= 1)) {
            throw new CommandLine.ParameterException(cl, "--iou must be in (0, 1], was " + iou);
        }
        if (!(detectFps >= 0 && detectFps <= 120)) {
            throw new CommandLine.ParameterException(cl, "--detect-fps must be 0..120 (0 = every frame), was " + detectFps);
        }
        if (tile < 1 || tile > 4) {
            throw new CommandLine.ParameterException(cl, "--tile must be 1..4, was " + tile);
        }
        try {
            requireReadable("--source: video file", source);
            if (motOut.toString().isBlank()) {
                throw new IllegalArgumentException("--mot-out: no file name given");
            }
            if (tileClip != null && tile == 1) {
                throw new IllegalArgumentException("--tile-clip needs --tile 2..4");
            }
            Path outDir = motOut.toAbsolutePath().getParent();
            if (outDir == null || !Files.isDirectory(outDir) || !Files.isWritable(outDir)) {
                throw new IllegalArgumentException("--mot-out: folder " + outDir + " does not exist or is not writable");
            }
            List<MotRow> truth = null;
            SeqInfo info = null;
            if (gt != null) {
                requireReadable("--gt: ground truth", gt);
                truth = MotChallenge.read(gt);      // a malformed line stops here, before the (long) run
                if (truth.stream().allMatch(MotRow::doNotCare)) {
                    throw new IllegalArgumentException("--gt: ground truth " + gt + (truth.isEmpty() ? " has no rows" : " has only do-not-care rows")
                            + ": nothing to score against");
                }
                Path si = seqinfo;
                if (si == null && gt.toAbsolutePath().getParent() != null) {
                    Path beside = gt.toAbsolutePath().getParent().resolve("seqinfo.ini");
                    si = Files.isRegularFile(beside) ? beside : null;
                }
                if (si != null) {
                    requireReadable("--seqinfo", si);
                    info = SeqInfo.read(si);
                }
            } else if (seqinfo != null) {
                throw new IllegalArgumentException("--seqinfo needs --gt");
            }
            // the outputs are written after the (long) run: find out now whether they can be
            requireWritable("--mot-out", motOut);
            requireWritable("--mot-out", idsFile(motOut));
            if (tileClip != null) {
                requireWritable("--tile-clip", tileClip);
            }
            Path video = source;
            if (tile > 1) {
                video = tileClip;
                if (video == null) {
                    video = Files.createTempFile("edgewatch-tiled-", ".avi");
                    video.toFile().deleteOnExit();
                }
                long t0 = System.nanoTime();
                TiledClip.Info ti = TiledClip.write(source, video, tile);
                System.err.printf(Locale.ROOT, "bench-tracking: tiled %s %dx%d into %s (%dx%d, %d frames) in %.1f s%n", source, tile, tile,
                        video, ti.width() * tile, ti.height() * tile, ti.frames(), (System.nanoTime() - t0) / 1e9);
                if (truth != null) {
                    truth = TiledClip.groundTruth(truth, tile, ti.width(), ti.height());
                }
            }
            DetectionSettings ds = DetectionSettings.defaults().withDetectFps(detectFps).withMotionGating(gating);
            Run run;
            try (Progress p = progress.start("bench-tracking", Progress.videoFrames(video), "frames")) {
                run = run(video, ds, p);
                p.finish();
            }
            MotChallenge.writeResults(motOut, run.rows());
            Path idsFile = idsFile(motOut);
            try (Writer w = Files.newBufferedWriter(idsFile, StandardCharsets.UTF_8)) {
                for (Map.Entry<Integer, String> e : run.ids().entrySet()) {
                    w.write("mot id " + e.getKey() + " = track " + e.getValue() + "\n");
                }
            }
            System.out.printf(Locale.ROOT, "source %s  frames %d  size %dx%d  detect_fps %s  gating %s  tile %d  seconds %.1f%n", video,
                    run.frames(), run.width(), run.height(), detectFps == 0 ? "every-frame" : Double.toString(detectFps),
                    gating ? "on" : "off", tile, run.seconds());
            System.out.printf(Locale.ROOT, "mot_out %s  rows %d  track_ids %d  events %d  ids %s%n", motOut, run.rows().size(), run.ids().size(),
                    run.events(), idsFile);
            if (truth != null) {
                int gtLength = info != null ? info.seqLength() : truth.stream().mapToInt(MotRow::frame).max().orElse(0);
                MotScore s = MotEvaluator.evaluate(truth, run.rows(), iou, run.frames(), gtLength);
                long people = truth.stream().filter(r -> !r.doNotCare()).mapToInt(MotRow::id).distinct().count();
                System.out.printf(Locale.ROOT, "gt %s  people %d  track_ids/people %d/%d%n", gt, people, run.ids().size(), people);
                for (String line : s.reportLines()) {
                    System.out.println(line);
                }
            }
            return 0;
        } catch (MotFormatException e) {
            System.err.println("edgewatch: " + e.getMessage()); // names the file and the line
            return 2;
        } catch (ModelException | IllegalArgumentException e) {
            System.err.println("edgewatch: " + e.getMessage());
            return 2;
        } catch (FrameGrabber.Exception e) {
            System.err.println("edgewatch: video file " + source + " cannot be decoded: " + io.edgewatch.capture.FfmpegLog.explain(e.getMessage()));
            return 2;
        } catch (IOException e) {
            System.err.println("edgewatch: " + e);
            return 2;
        }
    }

    /** {@code FILE.ids} beside the MOT file. */
    static Path idsFile(Path motOut) {
        return motOut.resolveSibling(motOut.getFileName() + ".ids");
    }

    /**
     * Refuses (IllegalArgumentException naming {@code option}) a path that is a directory or cannot be created or
     * written; a file the probe created is removed again.
     */
    static void requireWritable(String option, Path p) {
        if (Files.isDirectory(p)) {
            throw new IllegalArgumentException(option + ": " + p + " is a directory; give a file name");
        }
        boolean existed = Files.exists(p);
        try (java.nio.channels.SeekableByteChannel c = Files.newByteChannel(p, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            c.position(); // opened for writing: enough
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(option + ": " + p + " cannot be written (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        if (!existed) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new IllegalArgumentException(option + ": " + p + " was created but cannot be removed again (" + e.getMessage() + ")");
            }
        }
    }

    private static void requireReadable(String what, Path p) {
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new IllegalArgumentException(what + " " + p + " does not exist or is not readable");
        }
    }

    /** Runs the pipeline over the file on this thread, every frame decoded, and collects the MOT rows; one progress unit a frame. */
    Run run(Path video, DetectionSettings ds, Progress progress) throws Exception {
        EdgewatchConfig.Detector d = config.detector();
        ModelManifest manifest = ModelManifest.read(d.manifest(), mapper);
        InterpreterOptions opts = new InterpreterOptions(EdgewatchConfig.Detector.threadsPerInterpreter(d),
                Acceleration.valueOf(d.acceleration().toUpperCase(Locale.ROOT)));
        ObjectDetector detector = new ObjectDetector(TfliteModel.load(manifest, opts), Settings.filter(d));
        DiscardingSink sink = new DiscardingSink();
        EventPublisher publisher = new EventPublisher(sink, mapper, config.events().topicPrefix(), 1);
        CaptureSettings cs = CaptureSettings.defaults(TRACK_PREFIX, video.toString());
        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.BLOCKING);
        List<MotRow> rows = new ArrayList<>();
        Map<Integer, String> ids = new TreeMap<>();
        Map<String, Integer> seenIds = new LinkedHashMap<>();
        CameraPipeline pipeline = null;
        long t0 = System.nanoTime();
        int frames = 0;
        int width = 0;
        int height = 0;
        try (FfmpegFrameReader reader = new FfmpegFrameReader(cs, 0)) {
            reader.open();
            double fps = reader.frameRate() > 0 && reader.frameRate() < 1000 ? reader.frameRate() : 25;
            pipeline = CameraPipeline.withOwnDetector(TRACK_PREFIX, new CaptureWorker(cs, slot, new CaptureStats(TRACK_PREFIX), 0), slot,
                    detector, ds, Settings.tracker(config.tracker()), TRACK_PREFIX,
                    new TrackEventBuilder(config.deviceId(), TRACK_PREFIX, Settings.events(config.events())), publisher, fps,
                    new SimpleMeterRegistry());
            CameraPipeline p = pipeline;
            reader.greyCopy(pipeline.greyCopyWidthPx()); // as the capture makes it for the motion stage
            Map<String, List<MotRow>> tentativeRows = new HashMap<>();
            pipeline.observe(ctx -> {
                int frame = (int) ctx.frame.seq() + 1;
                double w = ctx.frame.width();
                double h = ctx.frame.height();
                for (Track t : p.tracks()) {
                    if (t.state() != TrackState.TENTATIVE || t.missed() != 0 || t.lastSeenMs() != ctx.frame.captureTimeMs()) {
                        continue;
                    }
                    // matched before it was confirmed: kept until the track is confirmed (then written under its id)
                    // or dropped with it (a tentative track is never published)
                    BoxNorm b = t.observedBox().clamped();
                    tentativeRows.computeIfAbsent(t.id(), k -> new ArrayList<>())
                            .add(MotRow.result(frame, motId(t.id()), b.xMin() * w, b.yMin() * h, b.width() * w, b.height() * h, t.score()));
                }
                for (Track t : ctx.update.active()) {
                    List<MotRow> before = tentativeRows.remove(t.id());
                    if (before != null) {
                        rows.addAll(before);
                    }
                    if (t.missed() != 0 || t.lastSeenMs() != ctx.frame.captureTimeMs()) {
                        continue; // not matched to a detection in this frame
                    }
                    int id = seenIds.computeIfAbsent(t.id(), BenchTrackingCommand::motId);
                    ids.putIfAbsent(id, t.id());
                    BoxNorm b = t.observedBox().clamped(); // as the events publish it
                    rows.add(MotRow.result(frame, id, b.xMin() * w, b.yMin() * h, b.width() * w, b.height() * h, t.score()));
                }
                tentativeRows.keySet().removeIf(k -> p.tracks().stream().noneMatch(t -> t.id().equals(k)));
            });
            progress.detail(() -> rows.size() + " rows");
            CapturedFrame next;
            while ((next = reader.next()) != null) {
                try (CapturedFrame f = next) {
                    width = f.width();
                    height = f.height();
                    if (pipeline.due(f)) {
                        pipeline.process(f);
                    }
                }
                frames++;
                progress.advance();
            }
            pipeline.flush("stream-end");
        } finally {
            if (pipeline != null) {
                pipeline.closeOwnDetector();
            } else {
                detector.close();
            }
        }
        if (frames == 0) {
            throw new IllegalArgumentException("video file " + video + " has no decodable frame");
        }
        return new Run(rows, ids, frames, sink.messages(), width, height, (System.nanoTime() - t0) / 1e9);
    }

    /** The numeric suffix of a track id {@code <prefix>-<n>}. */
    static int motId(String trackId) {
        int dash = trackId.lastIndexOf('-');
        try {
            return Integer.parseInt(trackId.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("track id " + trackId + " does not end in -<number>", e);
        }
    }
}
