package io.edgewatch.events;

import io.edgewatch.detect.BoxNorm;
import io.edgewatch.track.Clothing;
import io.edgewatch.track.PathSample;
import io.edgewatch.track.Track;
import io.edgewatch.track.Tracker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one camera's tracker updates into {@code new}, {@code update} and {@code end} events (without sequence
 * numbers; the {@link EventPublisher} assigns them). Every {@code new} is followed by exactly one {@code end}.
 * Not thread-safe: one per camera.
 */
public final class TrackEventBuilder {
    private final String device;
    private final String camera;
    private final EventPolicy policy;
    private final Map<String, Published> published = new HashMap<>();

    private record Published(long timeMs, BoxNorm box) { }

    /**
     * Velocities come from the tracker in normalized units per second, whatever the frame rate.
     */
    public TrackEventBuilder(String device, String camera, EventPolicy policy) {
        this.device = device;
        this.camera = camera;
        this.policy = policy;
    }

    /**
     * Events for one frame's tracker update.
     *
     * @param width   frame width, pixels
     * @param height  frame height, pixels
     * @param frameSeq frame sequence number
     * @param timeMs  frame time, epoch ms
     */
    public List<TrackEvent> onFrame(Tracker.Update u, int width, int height, long frameSeq, long timeMs) {
        return onFrame(u, width, height, frameSeq, timeMs, java.util.Set.of());
    }

    /**
     * Events for one frame's tracker update, with an {@code update} now for each track in {@code changed} (e.g. it
     * entered a zone or crossed a line) and each track that became stationary or moves again, regardless of the
     * update intervals, unless it already has an event in this frame.
     *
     * @param changed ids of tracks whose state changed in a way subscribers must learn at once
     */
    public List<TrackEvent> onFrame(Tracker.Update u, int width, int height, long frameSeq, long timeMs, java.util.Set<String> changed) {
        List<TrackEvent> out = new ArrayList<>();
        TrackEvent.FrameRef frame = new TrackEvent.FrameRef(width, height, frameSeq);
        for (Track t : u.confirmed()) {
            out.add(event(EventType.NEW, t, frame, timeMs, null));
            published.put(t.id(), new Published(timeMs, t.observedBox()));
        }
        for (Track t : u.active()) {
            Published p = published.get(t.id());
            if (p == null || p.timeMs() == timeMs) {
                continue;
            }
            long since = timeMs - p.timeMs();
            boolean periodic = policy.updateIntervalMs() > 0 && since >= policy.updateIntervalMs();
            boolean material = since >= policy.minUpdateIntervalMs() && materialChange(p.box(), t.observedBox());
            if (periodic || material || changed.contains(t.id()) || u.stationaryChanged().contains(t)) {
                out.add(event(EventType.UPDATE, t, frame, timeMs, null));
                published.put(t.id(), new Published(timeMs, t.observedBox()));
            }
        }
        for (Track t : u.lost()) {
            out.addAll(end(List.of(t), frame, timeMs, "lost"));
        }
        return out;
    }

    private boolean materialChange(BoxNorm before, BoxNorm now) {
        double move = Math.hypot(now.centerX() - before.centerX(), now.centerY() - before.centerY());
        double areaRatio = before.area() > 0 ? now.area() / before.area() : 1;
        return move >= policy.materialMove() || areaRatio >= 2 || areaRatio <= 0.5;
    }

    /**
     * {@code end} events for tracks ended without being lost (end of stream, shutdown).
     */
    public List<TrackEvent> end(List<Track> tracks, TrackEvent.FrameRef frame, long timeMs, String reason) {
        List<TrackEvent> out = new ArrayList<>();
        for (Track t : tracks) {
            if (published.remove(t.id()) == null) {
                continue; // never published: nothing to end
            }
            List<TrackEvent.PathPoint> path = new ArrayList<>();
            for (PathSample s : t.path()) {
                path.add(new TrackEvent.PathPoint(EventTime.format(s.timeMs()), r4(s.x()), r4(s.y())));
            }
            TrackEvent.Summary summary = new TrackEvent.Summary(EventTime.format(t.firstSeenMs()), EventTime.format(t.lastSeenMs()),
                    t.lastSeenMs() - t.firstSeenMs(), r4(t.topScore()), t.hits(), path, box(t.observedBox()), reason);
            if (policy.clothingColours()) {
                summary = summary.withClothing(clothing(t.clothing()));
            }
            out.add(event(EventType.END, t, frame, Math.max(timeMs, t.lastSeenMs()), summary));
        }
        return out;
    }

    private TrackEvent event(EventType type, Track t, TrackEvent.FrameRef frame, long timeMs, TrackEvent.Summary summary) {
        double[] v = t.velocity();
        TrackEvent.TrackInfo info = new TrackEvent.TrackInfo(t.id(), t.label(), r4(t.score()), r4(t.topScore()), box(t.observedBox()),
                EventTime.format(t.firstSeenMs()), Math.max(0, timeMs - t.firstSeenMs()), t.hits(),
                new double[]{r4(v[0]), r4(v[1])}, null, null, null, t.stationary() && type != EventType.END ? Boolean.TRUE : null, null);
        return new TrackEvent(TrackEvent.SCHEMA, 0, type, EventTime.format(timeMs), device, camera, frame, info, summary);
    }

    /** The event form of a track's clothing colours, or null when none is decided. */
    static TrackEvent.ClothingInfo clothing(Clothing c) {
        return c == null ? null : new TrackEvent.ClothingInfo(colour(c.upper()), colour(c.lower()));
    }

    private static TrackEvent.ColourInfo colour(Clothing.Share s) {
        return s == null ? null : new TrackEvent.ColourInfo(s.colour().wireName(), Math.round(s.confidence() * 100) / 100.0);
    }

    /** Box rounded to 4 decimals and clamped to 0..1. */
    public static TrackEvent.Box box(BoxNorm b) {
        BoxNorm c = b.clamped();
        return new TrackEvent.Box(r4(c.xMin()), r4(c.yMin()), r4(c.xMax()), r4(c.yMax()));
    }

    static double r4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    /** Tracks published and not yet ended. */
    public int openTracks() {
        return published.size();
    }
}
