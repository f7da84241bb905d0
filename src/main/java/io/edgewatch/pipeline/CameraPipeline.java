package io.edgewatch.pipeline;

import io.edgewatch.capture.CaptureStats;
import io.edgewatch.capture.CaptureWorker;
import io.edgewatch.capture.CapturedFrame;
import io.edgewatch.capture.LatestFrameSlot;
import io.edgewatch.detect.Detection;
import io.edgewatch.detect.ObjectDetector;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.TrackEvent;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.track.Tracker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One camera's processing: takes the newest frame from the capture hand-off, detects, tracks, builds and publishes
 * events, on its own thread. A failure in one camera's pipeline ends that camera only. At the end of the stream
 * (or on stop) every open track gets its {@code end} event.
 */
public final class CameraPipeline implements Runnable {
    private static final Logger LOG = Logger.getLogger(CameraPipeline.class);

    private final String cameraId;
    private final CaptureWorker capture;
    private final LatestFrameSlot slot;
    private final ObjectDetector detector;
    private final Tracker tracker;
    private final TrackEventBuilder events;
    private final EventPublisher publisher;
    private final double expectedFps;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicLong processed = new AtomicLong();
    private volatile double processFps;
    private volatile double lastInvokeMs;
    private volatile int activeTracks;
    private volatile String error;
    private volatile boolean stopped;
    private int lastWidth;
    private int lastHeight;
    private long lastSeq;
    private long lastTimeMs;
    private final Timer invokeTimer;
    private final Timer frameTimer;
    private final Counter eventsCounter;
    private final DistributionSummary detectionsSummary;
    private io.edgewatch.face.FaceStage faces;
    private io.edgewatch.zones.ZoneMonitor zones;
    private final MeterRegistry registry;

    public CameraPipeline(String cameraId, CaptureWorker capture, LatestFrameSlot slot, ObjectDetector detector,
                          Tracker tracker, TrackEventBuilder events, EventPublisher publisher, double expectedFps,
                          MeterRegistry registry) {
        this.cameraId = cameraId;
        this.capture = capture;
        this.slot = slot;
        this.detector = detector;
        this.tracker = tracker;
        this.events = events;
        this.publisher = publisher;
        this.expectedFps = expectedFps;
        this.registry = registry;
        this.invokeTimer = Timer.builder("edgewatch.inference.latency").description("Detector invoke latency per frame")
                .tag("camera", cameraId).tag("model", detector.model().name()).publishPercentileHistogram()
                .register(registry);
        this.frameTimer = Timer.builder("edgewatch.pipeline.frame.latency").description("Pre-process to publish, per frame")
                .tag("camera", cameraId).publishPercentileHistogram().register(registry);
        this.eventsCounter = Counter.builder("edgewatch.events.published").description("Track events handed to the publisher")
                .tag("camera", cameraId).register(registry);
        this.detectionsSummary = DistributionSummary.builder("edgewatch.detections.per.frame")
                .description("Detections (confident and weak) per analysed frame").tag("camera", cameraId).register(registry);
        io.micrometer.core.instrument.Gauge.builder("edgewatch.capture.fps", capture.stats(), CaptureStats::fps)
                .description("Frames per second received from the camera").tag("camera", cameraId).register(registry);
        io.micrometer.core.instrument.Gauge.builder("edgewatch.process.fps", this, CameraPipeline::processFps)
                .description("Frames per second analysed").tag("camera", cameraId).register(registry);
        io.micrometer.core.instrument.Gauge.builder("edgewatch.tracks.active", this, CameraPipeline::activeTracks)
                .description("Confirmed tracks currently alive").tag("camera", cameraId).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.capture.frames.dropped", slot, LatestFrameSlot::dropped)
                .description("Frames replaced before analysis because a newer one arrived (latest frame wins)")
                .tag("camera", cameraId).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.capture.frames.received", capture.stats(), CaptureStats::framesReceived)
                .description("Frames decoded from the camera").tag("camera", cameraId).register(registry);
        // capture robustness: reconnects and stalls in the last hour, quality 0 excellent .. 3 unusable
        var cam = List.of(io.micrometer.core.instrument.Tag.of("camera", cameraId));
        registry.gauge("edgewatch.capture.reconnects.last.hour", cam, capture.stats(), CaptureStats::reconnectsLastHour);
        registry.gauge("edgewatch.capture.stalls.last.hour", cam, capture.stats(), CaptureStats::stallsLastHour);
        registry.gauge("edgewatch.capture.quality", cam, this, p -> p.captureStats().quality(p.expectedFps()).ordinal());
        io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.capture.frames.corrupt", capture.stats(), CaptureStats::corruptFrames)
                .description("Frames that could not be decoded into an image").tag("camera", cameraId).register(registry);
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
        io.micrometer.core.instrument.FunctionCounter.builder(name, stage, f).description(description).tag("camera", cameraId).register(registry);
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
            io.micrometer.core.instrument.Gauge.builder("edgewatch.zone.objects", monitor, m -> m.objectsIn(z.name()))
                    .description("Confirmed tracks whose anchor point is in the zone").tag("camera", cameraId).tag("zone", z.name())
                    .register(registry);
        }
        for (io.edgewatch.zones.CrossingLine l : monitor.settings().lines()) {
            for (String dir : List.of(io.edgewatch.zones.CrossingLine.IN, io.edgewatch.zones.CrossingLine.OUT)) {
                io.micrometer.core.instrument.FunctionCounter.builder("edgewatch.line.crossings", monitor, m -> m.crossings(l.name(), dir))
                        .description("Crossings of the counting line").tag("camera", cameraId).tag("line", l.name())
                        .tag("direction", dir).register(registry);
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

    /**
     * Processes one frame through detection, tracking and publication.
     *
     * @return per-stage times
     */
    public StageTimes process(CapturedFrame frame) {
        List<Detection> detections = detector.detect(frame.image());
        long t0 = System.nanoTime();
        List<Detection> confident = new ArrayList<>(detections.size());
        List<Detection> weak = new ArrayList<>();
        for (Detection d : detections) {
            (detector.filter().accept(d) ? confident : weak).add(d);
        }
        Tracker.Update u = tracker.update(confident, weak, frame.seq(), frame.captureTimeMs());
        if (faces != null) {
            faces.process(frame.image(), u.active(), frame.seq(), frame.captureTimeMs());
        }
        java.util.Set<String> zoneChanges = zones != null ? zones.update(u.active(), frame.captureTimeMs()) : java.util.Set.of();
        long t1 = System.nanoTime();
        List<TrackEvent> ev = annotate(events.onFrame(u, frame.width(), frame.height(), frame.seq(), frame.captureTimeMs(), zoneChanges));
        publisher.publish(ev);
        long t2 = System.nanoTime();
        lastWidth = frame.width();
        lastHeight = frame.height();
        lastSeq = frame.seq();
        lastTimeMs = frame.captureTimeMs();
        activeTracks = u.active().size();
        lastInvokeMs = detector.invokeMs();
        processed.incrementAndGet();
        StageTimes st = new StageTimes(detector.preprocessMs(), detector.invokeMs(), detector.postprocessMs(),
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, detections.size(), ev.size());
        invokeTimer.record((long) (st.invokeMs() * 1e6), TimeUnit.NANOSECONDS);
        frameTimer.record((long) (st.totalMs() * 1e6), TimeUnit.NANOSECONDS);
        eventsCounter.increment(ev.size());
        detectionsSummary.record(detections.size());
        return st;
    }

    /**
     * Publishes {@code end} for every open track.
     *
     * @param reason {@code stream-end} (the source ended or the frame limit was reached) or {@code shutdown}
     */
    public void flush(String reason) {
        var ended = tracker.flush();
        List<TrackEvent> ev = events.end(ended, new TrackEvent.FrameRef(lastWidth, lastHeight, lastSeq),
                lastTimeMs == 0 ? System.currentTimeMillis() : lastTimeMs, reason);
        publisher.publish(annotate(ev));
        activeTracks = 0;
    }

    private List<TrackEvent> annotate(List<TrackEvent> ev) {
        if (zones != null) {
            ev = zones.annotate(ev);
        }
        return faces != null ? faces.annotate(ev) : ev;
    }

    @Override
    public void run() {
        long windowStart = System.nanoTime();
        long windowFrames = 0;
        try {
            while (!stopped) {
                CapturedFrame f = slot.take(500);
                if (f == null) {
                    if (slot.finished()) {
                        break;
                    }
                    continue;
                }
                try (f) {
                    process(f);
                }
                windowFrames++;
                long now = System.nanoTime();
                if (now - windowStart >= 1_000_000_000L) {
                    processFps = windowFrames / ((now - windowStart) / 1e9);
                    windowFrames = 0;
                    windowStart = now;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            error = e.getMessage();
            LOG.errorf(e, "camera %s: pipeline failed: %s", cameraId, e.getMessage());
            capture.stop();
        } finally {
            try {
                flush(stopped ? "shutdown" : "stream-end");
            } catch (RuntimeException e) {
                LOG.errorf(e, "camera %s: could not end open tracks", cameraId);
            }
            detector.close();
            if (faces != null) {
                faces.close();
            }
            done.countDown();
        }
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

    public String cameraId() {
        return cameraId;
    }

    public CaptureStats captureStats() {
        return capture.stats();
    }

    /** Frames dropped by the latest-frame-wins hand-off. */
    public long droppedFrames() {
        return slot.dropped();
    }

    public long processedFrames() {
        return processed.get();
    }

    /** Processed frames per second over the last window of at least 1 s. */
    public double processFps() {
        return processFps;
    }

    public double lastInvokeMs() {
        return lastInvokeMs;
    }

    public double activeTracks() {
        return activeTracks;
    }

    /** Expected frame rate from config, Hz. */
    public double expectedFps() {
        return expectedFps;
    }

    /** Pipeline error, or null. */
    public String error() {
        return error;
    }
}
