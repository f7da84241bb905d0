package io.edgewatch.pipeline;

import io.edgewatch.detect.BoxNorm;
import io.edgewatch.detect.Detection;
import io.edgewatch.detect.DetectionFilter;
import io.edgewatch.detect.DetectorService;
import io.edgewatch.detect.Region;
import io.edgewatch.detect.RegionPlanner;
import io.edgewatch.events.EventPublisher;
import io.edgewatch.events.TrackEvent;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.motion.MotionDetector;
import io.edgewatch.track.Track;
import io.edgewatch.track.Tracker;
import io.edgewatch.zones.ZoneMonitor;

import java.util.ArrayList;
import java.util.List;

/** The stages of a camera's path, in data-flow order; {@link CameraPipeline} wires them. */
public final class Stages {
    private Stages() {
    }

    /**
     * Motion on a small grayscale copy of the frame ({@link MotionDetector}): the capture's grey copy when it made one
     * of the working size, else one shrunk from the BGR frame.
     */
    public static final class Motion implements Stage {
        private final MotionDetector detector;

        public Motion(MotionDetector detector) {
            this.detector = detector;
        }

        @Override
        public String name() {
            return "motion";
        }

        @Override
        public boolean early() {
            return true;
        }

        @Override
        public void process(FrameContext ctx) {
            ctx.motion = detector.detect(ctx.frame.image(), ctx.frame.grey());
        }

        @Override
        public void close() {
            detector.close();
        }
    }

    /**
     * Where to look: with motion gating, regions around motion boxes and the predicted boxes of the tracks that move
     * (tentative ones included), and of stationary tracks only when their re-check is due or motion touches them;
     * the whole frame every {@code fullFrameIntervalMs}, after a global change (the motion detector re-learned its
     * background) and at the first frame. No motion and no track: no region, no inference. Without gating, the whole
     * frame every round.
     */
    public static final class Regions implements Stage {
        private final RegionPlanner planner;
        private final DetectionSettings settings;
        private final Tracker tracker;
        private long lastFullMs = Long.MIN_VALUE;

        public Regions(RegionPlanner planner, DetectionSettings settings, Tracker tracker) {
            this.planner = planner;
            this.settings = settings;
            this.tracker = tracker;
        }

        @Override
        public String name() {
            return "regions";
        }

        @Override
        public void process(FrameContext ctx) {
            int w = ctx.frame.width();
            int h = ctx.frame.height();
            long now = ctx.frame.captureTimeMs();
            boolean full = !settings.motionGating() || ctx.motion == null || ctx.motion.relearned()
                    || lastFullMs == Long.MIN_VALUE || now - lastFullMs >= settings.fullFrameIntervalMs() || now < lastFullMs;
            if (full) {
                lastFullMs = now;
                ctx.fullFrame = true;
                ctx.regions = List.of(Region.full(w, h));
                ctx.coverage = Tracker.Coverage.ALL;
                return;
            }
            List<BoxNorm> motion = ctx.motion.boxes();
            List<BoxNorm> boxes = new ArrayList<>(motion);
            for (Track t : tracker.all()) {
                BoxNorm b = t.box();
                if (!t.stationary() || now - t.lastSeenMs() >= settings.stationaryIntervalMs() || touches(b, motion)) {
                    boxes.add(b);
                }
            }
            List<Region> regions = planner.plan(boxes, w, h);
            ctx.regions = regions;
            ctx.fullFrame = regions.size() == 1 && regions.get(0).fullFrame();
            if (ctx.fullFrame) {
                lastFullMs = now;
                ctx.coverage = Tracker.Coverage.ALL;
            } else {
                ctx.coverage = predicted -> covers(regions, predicted, w, h);
            }
        }

        /**
         * Whether a round on {@code regions} looked for a track predicted at {@code predicted} (normalized, may reach
         * past the frame): yes when a region holds the centre of its visible part, and yes when its centre has left
         * the frame (a person walking out of view: no round can see them, so the round counts as a miss and the
         * track ends after {@code max-missed-frames} rounds as without gating, instead of coasting off-frame,
         * never looked for).
         */
        static boolean covers(List<Region> regions, BoxNorm predicted, int frameWidth, int frameHeight) {
            double cx = predicted.centerX();
            double cy = predicted.centerY();
            if (!(cx >= 0 && cx <= 1 && cy >= 0 && cy <= 1)) {
                return true;
            }
            BoxNorm visible = predicted.clamped();
            for (Region r : regions) {
                if (r.contains(visible.centerX(), visible.centerY(), frameWidth, frameHeight)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean touches(BoxNorm b, List<BoxNorm> motion) {
            for (BoxNorm m : motion) {
                if (m.xMin() < b.xMax() && m.xMax() > b.xMin() && m.yMin() < b.yMax() && m.yMax() > b.yMin()) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The shared detector on the frame's regions; splits its output into confident and weak detections. In two halves
     * for the pipeline loop: {@link #submit} queues the regions, {@link #complete} waits for them.
     */
    public static final class Detect implements Stage {
        private final DetectorService.Client client;
        private final DetectionFilter filter;

        public Detect(DetectorService.Client client) {
            this.client = client;
            this.filter = client.service().filter();
        }

        @Override
        public String name() {
            return "detect";
        }

        @Override
        public void process(FrameContext ctx) {
            submit(ctx);
            complete(ctx);
        }

        /** Queues the frame's regions on the shared detector and returns at once. */
        public void submit(FrameContext ctx) {
            ctx.pending = client.submit(ctx.frame.image(), ctx.regions);
        }

        /** Waits for the regions queued by {@link #submit} and grades the detections. */
        public void complete(FrameContext ctx) {
            ctx.round = ctx.pending.await();
            ctx.pending = null;
            List<Detection> confident = new ArrayList<>(ctx.round.detections().size());
            List<Detection> weak = new ArrayList<>();
            for (Detection d : ctx.round.detections()) {
                (filter.accept(d) ? confident : weak).add(d);
            }
            ctx.confident = confident;
            ctx.weak = weak;
        }
    }

    /** The camera's tracker, told which tracks the round looked for. */
    public static final class Tracking implements Stage {
        private final Tracker tracker;

        public Tracking(Tracker tracker) {
            this.tracker = tracker;
        }

        @Override
        public String name() {
            return "track";
        }

        @Override
        public void process(FrameContext ctx) {
            Tracker.AppearanceSource appearance = tracker.reid().usesAppearance()
                    ? io.edgewatch.track.AppearanceExtractor.forFrame(ctx.frame.image()) : Tracker.AppearanceSource.NONE;
            ctx.update = tracker.update(ctx.confident, ctx.weak, ctx.frame.seq(), ctx.frame.captureTimeMs(), ctx.coverage, appearance);
        }
    }

    /** Face identification of person tracks (only when faces are enabled). */
    public static final class Faces implements Stage {
        private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Faces.class);
        private final io.edgewatch.face.FaceStage faces;
        private volatile long failures;

        public Faces(io.edgewatch.face.FaceStage faces) {
            this.faces = faces;
        }

        @Override
        public String name() {
            return "faces";
        }

        @Override
        public void process(FrameContext ctx) {
            try {
                faces.process(ctx.frame.image(), ctx.update.active(), ctx.frame.seq(), ctx.frame.captureTimeMs());
            } catch (RuntimeException e) {
                // a failing face or audit step skips this frame's faces, never the camera (issue 10, item 10)
                long n = ++failures;
                if (n == 1 || n % 100 == 0) {
                    LOG.warnf("camera %s: face step failed on frame %d (%d failures so far), "
                            + "its faces skipped: %s", faces.cameraId(), ctx.frame.seq(), n, io.edgewatch.util.Redaction.text(String.valueOf(e)));
                }
            }
        }

        /** Frames whose face step failed and was skipped. */
        public long failures() {
            return failures;
        }

        @Override
        public void close() {
            faces.close();
        }
    }

    /** Zone membership and line crossings (only on cameras with zones or lines). */
    public static final class Zones implements Stage {
        private final ZoneMonitor zones;

        public Zones(ZoneMonitor zones) {
            this.zones = zones;
        }

        @Override
        public String name() {
            return "zones";
        }

        @Override
        public void process(FrameContext ctx) {
            ctx.zoneChanges = zones.update(ctx.update.active(), ctx.frame.captureTimeMs());
        }
    }

    /** Builds the frame's events, adds zone and face facts, and hands them to the publisher. */
    public static final class Events implements Stage {
        private final TrackEventBuilder builder;
        private final EventPublisher publisher;
        private final ZoneMonitor zones;
        private final io.edgewatch.face.FaceStage faces;

        /** @param zones zone facts, or null; @param faces face results, or null */
        public Events(TrackEventBuilder builder, EventPublisher publisher, ZoneMonitor zones, io.edgewatch.face.FaceStage faces) {
            this.builder = builder;
            this.publisher = publisher;
            this.zones = zones;
            this.faces = faces;
        }

        @Override
        public String name() {
            return "events";
        }

        @Override
        public void process(FrameContext ctx) {
            List<TrackEvent> ev = annotate(builder.onFrame(ctx.update, ctx.frame.width(), ctx.frame.height(), ctx.frame.seq(),
                    ctx.frame.captureTimeMs(), ctx.zoneChanges));
            publisher.publish(ev);
            ctx.events = ev;
        }

        /** Adds zone and face facts to events built outside a frame (end of stream, shutdown). */
        List<TrackEvent> annotate(List<TrackEvent> ev) {
            if (zones != null) {
                ev = zones.annotate(ev);
            }
            if (faces == null) {
                return ev;
            }
            try {
                return faces.annotate(ev);
            } catch (RuntimeException e) {
                // the events go out without their face results rather than not at all
                org.jboss.logging.Logger.getLogger(Events.class).warnf("camera %s: face results not attached to %d event(s): %s",
                        faces.cameraId(), ev.size(), io.edgewatch.util.Redaction.text(String.valueOf(e)));
                return ev;
            }
        }
    }
}
