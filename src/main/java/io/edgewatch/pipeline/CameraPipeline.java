package io.edgewatch.pipeline;

import io.edgewatch.util.Redaction;

import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.CapturedFrame;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.detect.DetectorService;
import io.edgewatch.detect.RegionPlanner;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.TrackEvent;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.motion.MotionDetector;
import io.edgewatch.track.Track;
import io.edgewatch.track.Tracker;
import io.edgewatch.track.TrackerSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One camera's processing on its own thread: takes the newest frame from the capture hand-off, keeps the frames due
 * at the camera's detection rate ({@link DetectionSchedule}) and runs them through its {@link Stage}s: motion,
 * regions, detect (on the shared {@link DetectorService}), track, faces, zones, events. The stage list is wired here
 * and only here; {@code run}, the benchmarks and the tests all use it. A failure in one camera's pipeline ends that
 * camera only. At the end of the stream (or on stop) every open track gets its {@code end} event.
 *
 * <p>Per-camera figures, with Frigate's meanings: camera fps (decoded), detection fps (region invokes that served the
 * camera per second), skipped fps (detection rounds due but not served for lack of detector time), motion fps
 * (analysed frames with motion), regions per analysed frame; all over windows of at least one second.
 */
public final class CameraPipeline implements Runnable {
    private static final Logger LOG = Logger.getLogger(CameraPipeline.class);
    /** Decoded frames over which the source's rate is measured for the detect-fps check. */
    private static final int RATE_SPAN_FRAMES = 50;

    private final String cameraId;
    private final CaptureWorker capture;
    private final LatestFrameSlot slot;
    private final DetectorService.Client detector;
    private final DetectionSettings detection;
    private final DetectionSchedule schedule;
    private final Tracker tracker;
    private final TrackEventBuilder events;
    private final EventPublisher publisher;
    private final double expectedFps;
    private final MeterRegistry registry;
    /** Every meter this pipeline registered, removed by {@link #unbindMetrics()}. */
    private final io.edgewatch.util.OwnedMeters meters = new io.edgewatch.util.OwnedMeters();
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong motionFrames = new AtomicLong();
    private final AtomicLong regions = new AtomicLong();
    private final AtomicLong inferenceFreeFrames = new AtomicLong();
    private List<Stage> stages;
    private DetectorService ownDetector;
    private volatile java.util.function.Consumer<FrameContext> observer;
    private Stages.Events eventStage;
    private io.edgewatch.face.FaceStage faces;
    private io.edgewatch.zones.ZoneMonitor zones;
    private volatile double processFps;
    private volatile double detectionFps;
    private volatile double skippedFps;
    private volatile double motionFps;
    private volatile double regionsPerFrame;
    private volatile double lastInvokeMs;
    private volatile int activeTracks;
    private volatile List<Track> activeNow = List.of();
    private volatile List<String> identitiesNow = List.of();
    private volatile int stationaryTracks;
    private volatile String error;
    private volatile String lastFailure;
    private final java.util.concurrent.atomic.AtomicLong restarts = new java.util.concurrent.atomic.AtomicLong();
    /** First delay before the frame loop resumes after a failure, ms (doubled per failure in a row, capped). */
    static final long RESTART_MIN_MS = 1_000;
    /** Cap of the restart delay, ms. */
    static final long RESTART_MAX_MS = 30_000;
    /** Failures in a row (no healthy minute between) after which liveness reports the camera DOWN (still retried). */
    static final int FAILURES_FOR_DOWN = 5;
    private volatile boolean stopped;
    private volatile int roundsInFlight = 1;
    private boolean rateWarned;
    private long rateSeq = -1;
    private long rateTimeMs;
    private int lastWidth;
    private int lastHeight;
    private long lastSeq;
    private long lastTimeMs;
    private final Timer invokeTimer;
    private final Timer frameTimer;
    private final Timer frameToEvent;
    private volatile java.util.function.LongConsumer eventLatencyListener;
    private final Counter eventsCounter;
    private final DistributionSummary detectionsSummary;
    private final DistributionSummary regionsSummary;

    /**
     * @param detector        this camera's client of the shared detector
     * @param detection       detection rate, motion gating, regions and stationary settings
     * @param trackerSettings tracker parameters
     * @param trackIdPrefix   prefix of this camera's track ids, e.g. {@code <run>-<camera>}
     * @param expectedFps     the camera's expected frame rate, Hz (health compares the received rate to it)
     */
    public CameraPipeline(String cameraId, CaptureWorker capture, LatestFrameSlot slot, DetectorService.Client detector,
                          DetectionSettings detection, TrackerSettings trackerSettings, String trackIdPrefix,
                          TrackEventBuilder events, EventPublisher publisher, double expectedFps, MeterRegistry registry) {
        this.cameraId = cameraId;
        this.capture = capture;
        this.slot = slot;
        this.detector = detector;
        this.detection = detection;
        this.schedule = new DetectionSchedule(detection.intervalMs());
        if (detection.intervalMs() > 0) {
            capture.demand(schedule::wanted); // frames not due at the detection rate are decoded but never converted
        }
        capture.greyCopy(greyCopyWidthPx()); // motion's working copy, from the decoder's luma
        this.tracker = new Tracker(trackerSettings, trackIdPrefix, detection.stationaryAfterMs());
        this.events = events;
        this.publisher = publisher;
        this.expectedFps = expectedFps;
        this.registry = registry;
        String model = detector.service().name();
        this.invokeTimer = keep(Timer.builder("edgewatch.inference.latency").description("Detector invoke time per analysed frame (all its regions)")
                .tag("camera", cameraId).tag("model", model).publishPercentileHistogram().register(registry));
        this.frameTimer = keep(Timer.builder("edgewatch.pipeline.frame.latency").description("Motion to publish, per analysed frame (detector wait excluded)")
                .tag("camera", cameraId).publishPercentileHistogram().register(registry));
        this.frameToEvent = keep(Timer.builder("edgewatch.frame.to.event.latency")
                .description("From a frame's capture time to its events' hand-off to the sink, frames with events")
                .tag("camera", cameraId).publishPercentileHistogram().publishPercentiles(0.5, 0.95).register(registry));
        this.eventsCounter = keep(Counter.builder("edgewatch.events.published").description("Track events handed to the publisher")
                .tag("camera", cameraId).register(registry));
        this.detectionsSummary = keep(DistributionSummary.builder("edgewatch.detections.per.frame")
                .description("Detections (confident and weak) per analysed frame").tag("camera", cameraId).register(registry));
        this.regionsSummary = keep(DistributionSummary.builder("edgewatch.regions.per.analysed.frame")
                .description("Regions sent to the detector per analysed frame (0 = no inference)").tag("camera", cameraId).register(registry));
        List<Tag> cam = List.of(Tag.of("camera", cameraId));
        keep(Gauge.builder("edgewatch.capture.fps", capture.stats(), CaptureStats::fps)
                .description("Frames per second received from the camera").tags(cam).register(registry));
        keep(Gauge.builder("edgewatch.camera.fps", capture.stats(), CaptureStats::fps)
                .description("Frames per second decoded (Frigate's camera_fps)").tags(cam).register(registry));
        keep(Gauge.builder("edgewatch.process.fps", this, CameraPipeline::processFps)
                .description("Frames per second analysed (detection rounds, with or without inference)").tags(cam).register(registry));
        keep(Gauge.builder("edgewatch.detection.fps", this, CameraPipeline::detectionFps)
                .description("Detector runs (regions) per second that served the camera").tags(cam).register(registry));
        keep(Gauge.builder("edgewatch.skipped.fps", this, CameraPipeline::skippedFps)
                .description("Detection rounds per second that were due but skipped for lack of detector time").tags(cam).register(registry));
        keep(Gauge.builder("edgewatch.motion.fps", this, CameraPipeline::motionFps)
                .description("Analysed frames per second with motion").tags(cam).register(registry));
        keep(Gauge.builder("edgewatch.regions.per.frame", this, CameraPipeline::regionsPerFrame)
                .description("Regions per analysed frame, mean over the last window").tags(cam).register(registry));
        keep(Gauge.builder("edgewatch.tracks.active", this, CameraPipeline::activeTracks)
                .description("Confirmed tracks currently alive").tags(cam).register(registry));
        keep(Gauge.builder("edgewatch.tracks.stationary", this, CameraPipeline::stationaryTracks)
                .description("Confirmed tracks currently stationary").tags(cam).register(registry));
        keep(FunctionCounter.builder("edgewatch.pipeline.restarts", restarts, java.util.concurrent.atomic.AtomicLong::get)
                .description("Times the camera's frame loop failed and was resumed after a back-off").tags(cam).register(registry));
        keep(FunctionCounter.builder("edgewatch.detection.rounds.skipped", schedule, DetectionSchedule::skipped)
                .description("Detection rounds due but skipped for lack of detector time").tags(cam).register(registry));
        keep(FunctionCounter.builder("edgewatch.capture.frames.dropped", slot, LatestFrameSlot::dropped)
                .description("Frames replaced before analysis because a newer one arrived (latest frame wins)").tags(cam).register(registry));
        keep(FunctionCounter.builder("edgewatch.capture.frames.received", capture.stats(), CaptureStats::framesReceived)
                .description("Frames decoded from the camera").tags(cam).register(registry));
        // capture robustness: reconnects and stalls in the last hour, quality 0 excellent .. 3 unusable
        keep(Gauge.builder("edgewatch.capture.reconnects.last.hour", capture.stats(), CaptureStats::reconnectsLastHour).tags(cam).register(registry));
        keep(Gauge.builder("edgewatch.capture.stalls.last.hour", capture.stats(), CaptureStats::stallsLastHour).tags(cam).register(registry));
        keep(Gauge.builder("edgewatch.capture.quality", this, p -> p.captureStats().quality(p.expectedFps()).ordinal()).tags(cam).register(registry));
        keep(FunctionCounter.builder("edgewatch.capture.frames.corrupt", capture.stats(), CaptureStats::corruptFrames)
                .description("Frames that could not be decoded into an image").tags(cam).register(registry));
    }

    /**
     * A pipeline with a detector of its own, for tools and tests that run one camera without the agent: the detector
     * is served by a private {@link DetectorService}, closed when the pipeline thread ends or {@link #closeOwnDetector()}
     * is called.
     */
    public static CameraPipeline withOwnDetector(String cameraId, CaptureWorker capture, LatestFrameSlot slot,
                                                 io.edgewatch.detect.ObjectDetector detector, DetectionSettings detection,
                                                 TrackerSettings trackerSettings, String trackIdPrefix, TrackEventBuilder events,
                                                 EventPublisher publisher, double expectedFps, MeterRegistry registry) {
        DetectorService own = new DetectorService(detector.model().name(), List.of(detector));
        CameraPipeline p = new CameraPipeline(cameraId, capture, slot, own.register(cameraId), detection, trackerSettings,
                trackIdPrefix, events, publisher, expectedFps, registry);
        p.ownDetector = own;
        return p;
    }

    /**
     * Detection rounds this camera may have queued at the shared detector at once, 1..4 (default 1). With 1, the next
     * frame is prepared (motion) while a round is detected, and its regions are planned from the tracks after that
     * round. With more, the pipeline also plans and submits the next frames while earlier rounds are detected, so
     * several interpreters work on one camera: the throughput setting for a file analysed as fast as possible (every
     * frame kept) with motion gating off, where every round is the whole frame and so does not depend on the tracks
     * (with gating, a round planned before the previous one's result would not look where that round found a new
     * person). Rounds are always completed in frame order. Set before the pipeline thread starts.
     *
     * @throws IllegalArgumentException outside 1..4, or above 1 with motion gating on
     */
    public void roundsInFlight(int n) {
        if (n < 1 || n > 4) {
            throw new IllegalArgumentException("rounds in flight must be 1..4, was " + n);
        }
        if (n > 1 && detection.motionGating()) {
            throw new IllegalArgumentException("camera " + cameraId + ": more than one round in flight needs motion gating off"
                    + " (regions are planned from the tracks of the previous round)");
        }
        roundsInFlight = n;
    }

    /**
     * Width of the grey copy this camera's motion stage works on, pixels, for a reader that feeds the pipeline
     * directly ({@link io.edgewatch.capture.FfmpegFrameReader#greyCopy(int)}); 0 without motion gating.
     */
    public int greyCopyWidthPx() {
        return detection.motionGating() ? detection.motion().frameWidthPx() : 0;
    }

    /** Detection rounds this camera may have queued at the shared detector at once (see {@link #roundsInFlight(int)}). */
    public int roundsInFlight() {
        return roundsInFlight;
    }

    /**
     * Whether a camera runs for throughput rather than latency: a file analysed as fast as possible (every frame kept,
     * {@code BLOCKING} hand-off) with motion gating off, whose rounds can therefore be several in flight.
     */
    public static boolean throughput(io.edgewatch.capture.CaptureSettings capture, DetectionSettings detection) {
        return capture.handOff() == LatestFrameSlot.Mode.BLOCKING && !detection.motionGating();
    }

    /**
     * Rounds in flight for a camera running for {@link #throughput} on a detector of {@code interpreters}
     * interpreters: one per interpreter, at most 4; 1 for any other camera.
     */
    public static int roundsInFlight(boolean throughput, int interpreters) {
        return throughput ? Math.max(1, Math.min(4, interpreters)) : 1;
    }

    private <M extends io.micrometer.core.instrument.Meter> M keep(M meter) {
        return meters.keep(registry, meter);
    }

    /**
     * Removes every meter this pipeline registered (the agent calls it at stop): a later start with the same camera
     * ids then registers fresh meters bound to its own pipelines, instead of Micrometer handing back the old ones
     * (gauges that would keep reading a stopped pipeline). Idempotent.
     */
    public void unbindMetrics() {
        meters.removeAll();
    }

    /** Closes the detector of a pipeline made by {@link #withOwnDetector}; nothing otherwise. Idempotent. */
    public void closeOwnDetector() {
        if (ownDetector != null) {
            ownDetector.close();
        }
    }

    /**
     * Adds the face step (identification of person tracks); call before the pipeline thread starts. Registers its
     * counters, tagged with the camera: {@code edgewatch.faces.detected}, {@code .embedded}, {@code .refused} (quality
     * gate or grayscale policy), {@code .failed} (embedding model failed) and {@code edgewatch.faces.frames.skipped}
     * (face step skipped because the per-camera budget was spent).
     */
    public void attachFaces(io.edgewatch.face.FaceStage stage) {
        this.faces = stage;
        faceCounter("edgewatch.faces.detected", "Faces found on person tracks", stage, io.edgewatch.face.FaceStage::facesDetected);
        faceCounter("edgewatch.faces.embedded", "Faces embedded and compared with the gallery", stage, io.edgewatch.face.FaceStage::facesEmbedded);
        faceCounter("edgewatch.faces.refused", "Faces refused by the quality gate or the grayscale policy", stage, io.edgewatch.face.FaceStage::facesRefused);
        faceCounter("edgewatch.faces.failed", "Faces dropped because the embedding model failed", stage, io.edgewatch.face.FaceStage::facesFailed);
        faceCounter("edgewatch.faces.frames.skipped", "Frames whose face step was skipped because the faces/s budget was spent", stage,
                io.edgewatch.face.FaceStage::framesSkippedBudget);
    }

    private void faceCounter(String name, String description, io.edgewatch.face.FaceStage stage,
                             java.util.function.ToDoubleFunction<io.edgewatch.face.FaceStage> f) {
        keep(FunctionCounter.builder(name, stage, f).description(description).tag("camera", cameraId).register(registry));
    }

    /**
     * Adds zone membership and line crossings; call before the pipeline thread starts. Does nothing for a camera
     * without zones and lines. Registers, tagged with the camera, the gauge {@code edgewatch.zone.objects} (tag
     * {@code zone}: confirmed tracks in the zone now) and the counter {@code edgewatch.line.crossings} (tags
     * {@code line}, {@code direction} in/out).
     */
    public void attachZones(io.edgewatch.zones.ZoneMonitor monitor) {
        if (monitor.settings().isEmpty()) {
            return;
        }
        this.zones = monitor;
        for (io.edgewatch.zones.Zone z : monitor.settings().zones()) {
            keep(Gauge.builder("edgewatch.zone.objects", monitor, m -> m.objectsIn(z.name()))
                    .description("Confirmed tracks whose anchor point is in the zone").tag("camera", cameraId).tag("zone", z.name())
                    .register(registry));
        }
        for (io.edgewatch.zones.CrossingLine l : monitor.settings().lines()) {
            for (String dir : List.of(io.edgewatch.zones.CrossingLine.IN, io.edgewatch.zones.CrossingLine.OUT)) {
                keep(FunctionCounter.builder("edgewatch.line.crossings", monitor, m -> m.crossings(l.name(), dir))
                        .description("Crossings of the counting line").tag("camera", cameraId).tag("line", l.name())
                        .tag("direction", dir).register(registry));
            }
        }
    }

    /** Zone membership and line crossings, or null when the camera has none. */
    public io.edgewatch.zones.ZoneMonitor zones() {
        return zones;
    }

    /** The face step, or null when face processing is off. */
    public io.edgewatch.face.FaceStage faces() {
        return faces;
    }

    /** The stage list, wired on first use (after faces and zones were attached). */
    private List<Stage> stages() {
        if (stages == null) {
            List<Stage> s = new ArrayList<>();
            if (detection.motionGating()) {
                s.add(new Stages.Motion(new MotionDetector(detection.motion())));
            }
            s.add(new Stages.Regions(new RegionPlanner(detector.service().inputSidePx(), detection.maxDownscale(),
                    detection.maxRegions(), detection.regionPadding()), detection, tracker));
            s.add(new Stages.Detect(detector));
            s.add(new Stages.Tracking(tracker));
            if (faces != null) {
                s.add(new Stages.Faces(faces));
            }
            if (zones != null) {
                s.add(new Stages.Zones(zones));
            }
            eventStage = new Stages.Events(events, publisher, zones, faces);
            s.add(eventStage);
            stages = List.copyOf(s);
        }
        return stages;
    }

    /**
     * Calls {@code observer} on the pipeline thread after each analysed frame's stages, with the frame's context
     * (e.g. {@code bench-tracking} writes the tracks of every frame). It must not keep the frame.
     */
    public void observe(java.util.function.Consumer<FrameContext> observer) {
        this.observer = observer;
    }

    /**
     * Every track of this camera's tracker, tentative ones included (a read-only view, for an {@link #observe} callback
     * on the pipeline thread only: the tracker changes it on the next frame).
     */
    public List<io.edgewatch.track.Track> tracks() {
        return tracker.all();
    }

    /** Names of the stages in order, e.g. {@code [motion, regions, detect, track, events]}. */
    public List<String> stageNames() {
        return stages().stream().map(Stage::name).toList();
    }

    /**
     * Whether the frame is due for analysis at the camera's detection rate (counts skipped rounds). Frames not due are
     * released by the caller without further work.
     */
    public boolean due(CapturedFrame frame) {
        return schedule.due(frame.captureTimeMs(), frame.seq());
    }

    /**
     * Runs one analysed frame through the stages (whether it is due is the caller's question: {@link #due}).
     *
     * @return per-stage times
     */
    public StageTimes process(CapturedFrame frame) {
        FrameContext ctx = new FrameContext(frame);
        early(ctx);
        submit(ctx);
        return complete(ctx);
    }

    /** The stages that need only the frame (motion): may run while the detector works on the previous frame. */
    private void early(FrameContext ctx) {
        for (Stage s : stages()) {
            if (s.early()) {
                long t0 = System.nanoTime();
                s.process(ctx);
                ctx.motionMs += (System.nanoTime() - t0) / 1e6;
            }
        }
    }

    /** The stages up to the detector (regions, which need the tracks after the previous frame), then queues the regions. */
    private void submit(FrameContext ctx) {
        for (Stage s : stages()) {
            if (s.early()) {
                continue;
            }
            long t0 = System.nanoTime();
            if (s instanceof Stages.Detect d) {
                d.submit(ctx);
                ctx.detectWallMs = -t0 / 1e6; // completed in complete()
                return;
            }
            s.process(ctx);
            ctx.motionMs += (System.nanoTime() - t0) / 1e6;
        }
    }

    /** Waits for the detector, then runs the stages after it (track, faces, zones, events) and books the frame. */
    private StageTimes complete(FrameContext ctx) {
        boolean after = false;
        for (Stage s : stages()) {
            if (s instanceof Stages.Detect d) {
                d.complete(ctx);
                ctx.detectWallMs += System.nanoTime() / 1e6;
                after = true;
                continue;
            }
            if (!after) {
                continue;
            }
            long t0 = System.nanoTime();
            s.process(ctx);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (s == eventStage) {
                ctx.publishMs += ms;
            } else {
                ctx.trackMs += ms;
            }
        }
        CapturedFrame frame = ctx.frame;
        java.util.function.Consumer<FrameContext> o = observer;
        if (o != null) {
            o.accept(ctx);
        }
        lastWidth = frame.width();
        lastHeight = frame.height();
        lastSeq = frame.seq();
        lastTimeMs = frame.captureTimeMs();
        List<Track> active = ctx.update.active();
        activeTracks = active.size();
        int still = 0;
        for (Track t : active) {
            if (t.stationary()) {
                still++;
            }
        }
        stationaryTracks = still;
        activeNow = active; // the tracker's fresh list of this frame, never changed afterwards: counted when asked
        if (faces != null) {
            java.util.TreeSet<String> ids = new java.util.TreeSet<>();
            for (Track t : active) {
                io.edgewatch.face.TrackIdentity ti = faces.stateOf(t.id());
                if (ti != null && ti.decided() && ti.identity() != null) {
                    ids.add(ti.identity());
                }
            }
            identitiesNow = List.copyOf(ids);
        }
        processed.incrementAndGet();
        DetectorService.RoundResult r = ctx.round;
        regions.addAndGet(r.regions());
        if (r.regions() == 0) {
            inferenceFreeFrames.incrementAndGet();
        } else {
            lastInvokeMs = r.invokeMs();
            invokeTimer.record((long) (r.invokeMs() * 1e6), TimeUnit.NANOSECONDS);
        }
        if (ctx.motion != null && ctx.motion.hasMotion()) {
            motionFrames.incrementAndGet();
        }
        double ownMs = r.preprocessMs() + r.invokeMs() + r.postprocessMs();
        StageTimes st = new StageTimes(ctx.motionMs, r.preprocessMs(), r.invokeMs(), r.postprocessMs(), ctx.trackMs, ctx.publishMs,
                r.detections().size(), ctx.events.size(), r.regions(), Math.max(0, ctx.detectWallMs - ownMs));
        frameTimer.record((long) (st.totalMs() * 1e6), TimeUnit.NANOSECONDS);
        if (!ctx.events.isEmpty()) {
            long lag = Math.max(0, System.currentTimeMillis() - frame.captureTimeMs());
            frameToEvent.record(lag, TimeUnit.MILLISECONDS);
            java.util.function.LongConsumer l = eventLatencyListener;
            if (l != null) {
                l.accept(lag);
            }
        }
        eventsCounter.increment(ctx.events.size());
        detectionsSummary.record(r.detections().size());
        regionsSummary.record(r.regions());
        return st;
    }

    /**
     * Publishes {@code end} for every open track.
     *
     * @param reason {@code stream-end} (the source ended or the frame limit was reached) or {@code shutdown}
     */
    public void flush(String reason) {
        stages();
        var ended = tracker.flush();
        List<TrackEvent> ev = events.end(ended, new TrackEvent.FrameRef(lastWidth, lastHeight, lastSeq),
                lastTimeMs == 0 ? System.currentTimeMillis() : lastTimeMs, reason);
        publisher.publish(eventStage.annotate(ev));
        activeTracks = 0;
        stationaryTracks = 0;
        activeNow = List.of();
        identitiesNow = List.of();
    }

    /**
     * The camera's loop: takes the newest frame, keeps those due, and overlaps the detector's work with taking and
     * preparing (motion, then regions) the next frames; at most {@link #roundsInFlight(int)} rounds are queued at the
     * detector at once, and rounds are completed (track, events) in frame order. A frame is closed once its own stages
     * are done.
     */
    @Override
    public void run() {
        Window w = new Window(System.nanoTime());
        ArrayDeque<FrameContext> inFlight = new ArrayDeque<>(); // submitted to the detector, not yet completed, oldest first
        long backoffMs = RESTART_MIN_MS;
        int inARow = 0;
        long healthySinceMs = System.currentTimeMillis();
        try {
            while (!stopped) {
                try {
                    while (!stopped) {
                        while (!inFlight.isEmpty() && inFlight.peekFirst().pending.isDone()) { // publish as soon as the detector is done
                            completeOldest(inFlight);
                            w.frames++;
                        }
                        // while a round is in flight, look for the next frame in short steps, so the round is completed as
                        // soon as it is done even when no frame follows soon (latency), and prepared meanwhile when one does
                        CapturedFrame f = slot.take(!inFlight.isEmpty() ? 1 : 500);
                        if (f != null) {
                            checkSourceRate(f);
                            if (!due(f)) {
                                f.close();
                            } else {
                                FrameContext next = new FrameContext(f);
                                boolean queued = false;
                                try {
                                    early(next);
                                    while (inFlight.size() >= roundsInFlight) {
                                        completeOldest(inFlight);
                                        w.frames++;
                                    }
                                    submit(next);
                                    inFlight.addLast(next);
                                    queued = true;
                                } finally {
                                    if (!queued) {
                                        next.frame.close();
                                    }
                                }
                            }
                        } else if (slot.finished()) {
                            break;
                        }
                        w = tick(w);
                        if (inARow > 0 && System.currentTimeMillis() - healthySinceMs > 60_000) {
                            inARow = 0; // a healthy minute: the next failure starts the back-off again
                            backoffMs = RESTART_MIN_MS;
                            error = null;
                        }
                    }
                    break; // stopped, or the source ended
                } catch (RuntimeException e) {
                    // supervision: a failing frame (a stage's bug, a native error surfaced as an exception) never ends the
                    // camera; the rounds in flight are dropped, the stages keep their state (open tracks still end once), and
                    // the frame loop resumes after a back-off, counted in health and metrics
                    for (FrameContext c; (c = inFlight.pollFirst()) != null; ) {
                        awaitQuietly(c);
                        c.frame.close();
                    }
                    long n = restarts.incrementAndGet();
                    inARow++;
                    lastFailure = Redaction.text(e.getClass().getSimpleName() + ": " + e.getMessage());
                    LOG.errorf(e, "camera %s: pipeline failed (%d in a row, %d in all): %s; resuming in %d ms", cameraId, inARow, n, lastFailure, backoffMs);
                    if (inARow >= FAILURES_FOR_DOWN) {
                        error = "pipeline failed " + inARow + " times in a row, last: " + lastFailure;
                    }
                    for (long until = System.currentTimeMillis() + backoffMs; !stopped && System.currentTimeMillis() < until; ) {
                        Thread.sleep(Math.min(100, Math.max(1, until - System.currentTimeMillis()))); // stop() ends the wait
                    }
                    backoffMs = Math.min(RESTART_MAX_MS, backoffMs * 2);
                    healthySinceMs = System.currentTimeMillis();
                }
            }
            while (!inFlight.isEmpty()) {
                completeOldest(inFlight);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) { // only from completing the last rounds after the loop
            error = e.getMessage();
            LOG.errorf(e, "camera %s: pipeline failed at the end of the stream: %s", cameraId, e.getMessage());
            capture.stop();
        } finally {
            // failed or interrupted with rounds queued: wait for them before their frames are released
            for (FrameContext c; (c = inFlight.pollFirst()) != null; ) {
                try {
                    if (c.pending != null) {
                        c.pending.await();
                    }
                } catch (RuntimeException e) {
                    LOG.debugf("camera %s: round in flight at stop: %s", cameraId, e.getMessage());
                }
                c.frame.close();
            }
            try {
                flush(stopped ? "shutdown" : "stream-end");
            } catch (RuntimeException e) {
                LOG.errorf(e, "camera %s: could not end open tracks", cameraId);
            }
            for (Stage s : stages == null ? List.<Stage>of() : stages) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    LOG.warnf("camera %s: closing stage %s: %s", cameraId, s.name(), e.getMessage());
                }
            }
            closeOwnDetector();
            done.countDown();
        }
    }

    /** Counters at the start of a rate window. */
    private final class Window {
        final long startNs;
        final long regions0 = regions.get();
        final long motion0 = motionFrames.get();
        final long skipped0 = schedule.skipped();
        long frames;

        Window(long startNs) {
            this.startNs = startNs;
        }
    }

    private Window tick(Window w) {
        long now = System.nanoTime();
        double s = (now - w.startNs) / 1e9;
        if (s < 1) {
            return w;
        }
        long dr = regions.get() - w.regions0;
        processFps = w.frames / s;
        detectionFps = dr / s;
        motionFps = (motionFrames.get() - w.motion0) / s;
        skippedFps = (schedule.skipped() - w.skipped0) / s;
        regionsPerFrame = w.frames == 0 ? 0 : (double) dr / w.frames;
        return new Window(now);
    }

    /**
     * Logs once when detect-fps is above the source's frame rate (every frame is then analysed). The rate is measured
     * over every {@value #RATE_SPAN_FRAMES} decoded frames on the frames' own clock, the one the schedule runs on
     * (stream time of a file, decode time of a live source), from the frames' numbers, so frames dropped by the
     * hand-off count; the capture's decode rate ({@link CaptureStats#fps()}) would be wrong for a file replayed
     * unpaced, which is decoded as fast as the pipeline takes frames.
     */
    private void checkSourceRate(CapturedFrame f) {
        if (rateWarned || detection.detectFps() <= 0) {
            return;
        }
        long frames = f.seq() - rateSeq;
        long ms = f.captureTimeMs() - rateTimeMs;
        if (rateSeq >= 0 && frames > 0 && ms >= 0 && frames < RATE_SPAN_FRAMES) {
            return;
        }
        if (rateSeq >= 0 && frames >= RATE_SPAN_FRAMES && ms > 0) {
            double source = frames * 1000.0 / ms;
            if (detection.detectFps() > source * 1.05) {
                rateWarned = true;
                LOG.infof("camera %s: detect-fps %.1f is above the source's %.1f fps: every frame is analysed", cameraId,
                        detection.detectFps(), source);
            }
        }
        rateSeq = f.seq(); // a new span (also after a clock or numbering that went back)
        rateTimeMs = f.captureTimeMs();
    }

    /** Stops capture and processing; open tracks are ended. */
    public void stop() {
        stopped = true;
        capture.stop();
    }

    /** Waits for the pipeline to finish. */
    public boolean await(long timeoutMs) throws InterruptedException {
        return done.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public boolean finished() {
        return done.getCount() == 0;
    }

    /**
     * Receives each frame-to-event latency (ms, from the frame's capture time to its events' hand-off; frames with
     * events only) on the camera's pipeline thread, as it is recorded in the metric. For benchmarks that need exact
     * figures over a window of their own: the metric's percentiles cover Micrometer's decaying window of about two
     * minutes, start-up included. Null = none. Must be cheap.
     */
    public void eventLatencyListener(java.util.function.LongConsumer listener) {
        this.eventLatencyListener = listener;
    }

    public String cameraId() {
        return cameraId;
    }

    public CaptureStats captureStats() {
        return capture.stats();
    }

    /** The camera's detection settings. */
    public DetectionSettings detection() {
        return detection;
    }

    /** The camera's client of the shared detector. */
    public DetectorService.Client detector() {
        return detector;
    }

    /** Frames dropped by the latest-frame-wins hand-off. */
    public long droppedFrames() {
        return slot.dropped();
    }

    /** Frames analysed (detection rounds, with or without inference). */
    public long processedFrames() {
        return processed.get();
    }

    /** Analysed frames that needed no inference (nothing moved, nothing tracked). */
    public long inferenceFreeFrames() {
        return inferenceFreeFrames.get();
    }

    /** Analysed frames with motion. */
    public long motionFrames() {
        return motionFrames.get();
    }

    /** Regions detected since start. */
    public long regionsDetected() {
        return regions.get();
    }

    /** Detection rounds due but skipped for lack of detector time, since start. */
    public long skippedRounds() {
        return schedule.skipped();
    }

    /** Analysed frames per second over the last window of at least 1 s. */
    public double processFps() {
        return processFps;
    }

    /** Region invokes per second that served this camera, last window. */
    public double detectionFps() {
        return detectionFps;
    }

    /** Rounds per second due but skipped, last window. */
    public double skippedFps() {
        return skippedFps;
    }

    /** Analysed frames per second with motion, last window. */
    public double motionFps() {
        return motionFps;
    }

    /** Regions per analysed frame, last window. */
    public double regionsPerFrame() {
        return regionsPerFrame;
    }

    /** Invoke time of the last frame that had regions (summed over them), ms. */
    public double lastInvokeMs() {
        return lastInvokeMs;
    }

    public double activeTracks() {
        return activeTracks;
    }

    /**
     * Identities (gallery names) of the confirmed person tracks alive after the last analysed frame that face
     * processing identified, sorted; empty without face processing. Thread-safe.
     */
    public List<String> identitiesPresent() {
        return identitiesNow;
    }

    /** Confirmed tracks of a label alive after the last analysed frame (0 after the end of the stream). Thread-safe. */
    public int activeTracks(String label) {
        int n = 0;
        for (Track t : activeNow) { // a track's label never changes
            if (t.label().equals(label)) {
                n++;
            }
        }
        return n;
    }

    public double stationaryTracks() {
        return stationaryTracks;
    }

    /** Expected frame rate from config, Hz. */
    public double expectedFps() {
        return expectedFps;
    }

    /**
     * Why liveness reports this camera DOWN, or null: set after {@value #FAILURES_FOR_DOWN} failures of the frame loop
     * in a row (it is still resumed with back-off) or a failure at the end of a stream; cleared after a healthy minute.
     */
    public String error() {
        return error;
    }

    /** Times the frame loop failed and was resumed (supervision). */
    public long restarts() {
        return restarts.get();
    }

    /** The last failure of the frame loop (redacted), or null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Takes the oldest round in flight off the queue, completes it and closes its frame (also when completing fails). */
    private void completeOldest(ArrayDeque<FrameContext> inFlight) {
        FrameContext done = inFlight.pollFirst();
        try (CapturedFrame c = done.frame) {
            complete(done);
        }
    }

    private void awaitQuietly(FrameContext ctx) {
        try {
            if (ctx.pending != null) {
                ctx.pending.await();
            }
        } catch (RuntimeException e) {
            LOG.debugf("camera %s: round in flight at a failure: %s", cameraId, e.getMessage());
        }
    }
}
