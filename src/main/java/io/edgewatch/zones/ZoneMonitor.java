package io.edgewatch.zones;

import io.edgewatch.events.EventTime;
import io.edgewatch.events.EventType;
import io.edgewatch.events.TrackEvent;
import io.edgewatch.track.Track;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Zone membership and line crossings of one camera's confirmed tracks (Frigate-style zones, Axis-style line
 * crossing). Called once per frame after the tracker; decides from each track's Kalman-filtered box, only in frames
 * in which the track was detected (a predicted box never enters a zone or crosses a line).
 *
 * <p>Rules: a track's zones are set from its anchor point when it is first seen confirmed (its confirmation already
 * took several detections); afterwards it enters or leaves a zone once its anchor has been inside or outside for
 * {@code inertiaFrames} consecutive detected frames. A line is crossed when the anchor has stayed
 * {@code inertiaFrames} detected frames on the other side of the line and the move from the last position on the old
 * side to the first on the new side passes through the segment A-B; the crossing's time is that first frame's.
 * A track first seen on one side has no crossing until it changes side.
 *
 * <p>Dwell: the time of each stay in a zone is measured in frame time by {@link ZoneDwell} (from the stay's first
 * frame inside to its last; a brief exit shorter than the inertia, or a gap while the track was missing and then
 * re-identified inside, counts as inside). A stay that reaches the zone's {@link Zone#dwellAlertS()} raises a dwell
 * alert once: the track's id is among the changed ones of that frame and its next event carries {@code track.dwell}.
 *
 * <p>What reaches the events ({@link #annotate}): {@code track.zones} (zones the track is in now, when zones are
 * configured), {@code track.crossings} (crossings since the track's previous event, each reported once), and on
 * {@code end} {@code summary.zones} (every zone entered, in order of first entry), {@code summary.dwell} (time in
 * each of those zones) and {@code summary.crossings}; {@code track.dwell} (dwell alerts since the previous event).
 * Not thread-safe except the figures ({@link #objectsIn}, {@link #crossings}), which metrics read.
 */
public final class ZoneMonitor {
    private final ZoneSettings settings;
    private final Map<String, TrackZones> tracks = new HashMap<>();
    private final Map<String, Integer> occupancy = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> crossingCounts = new ConcurrentHashMap<>();

    private static final class LineState {
        int side;            // confirmed side: +1, -1, 0 not yet known
        double lastX, lastY; // last anchor on the confirmed side
        int count;           // consecutive detected frames on the other side
        double firstX, firstY;
        long firstMs;
    }

    private static final class TrackZones {
        final Set<String> current = new LinkedHashSet<>();
        final Map<String, Integer> pendingFrames = new HashMap<>();
        final Set<String> entered = new LinkedHashSet<>();
        final Map<String, Long> pendingSinceMs = new HashMap<>();
        final Map<String, ZoneDwell> dwell = new HashMap<>();
        final List<TrackEvent.Dwell> unpublishedDwell = new ArrayList<>();
        final Map<String, LineState> lines = new HashMap<>();
        final List<TrackEvent.Crossing> unpublished = new ArrayList<>();
        final List<TrackEvent.Crossing> all = new ArrayList<>();
    }

    /**
     * @param settings the camera's zones and lines (may be empty: then nothing is added to events)
     */
    public ZoneMonitor(ZoneSettings settings) {
        this.settings = settings;
        for (Zone z : settings.zones()) {
            occupancy.put(z.name(), 0);
        }
        for (CrossingLine l : settings.lines()) {
            crossingCounts.put(key(l.name(), CrossingLine.IN), new AtomicLong());
            crossingCounts.put(key(l.name(), CrossingLine.OUT), new AtomicLong());
        }
    }

    public ZoneSettings settings() {
        return settings;
    }

    /**
     * Advances zone membership and line crossings by one frame.
     *
     * @param active the tracker's confirmed tracks alive after this frame
     * @param timeMs frame time, epoch ms
     * @return ids of tracks that entered or left a zone, crossed a line or reached a zone's dwell alert in this frame
     *         (their change deserves an {@code update} event now)
     */
    public Set<String> update(List<Track> active, long timeMs) {
        Set<String> changed = new LinkedHashSet<>();
        List<TrackZones> alive = new ArrayList<>(active.size());
        for (Track t : active) {
            TrackZones st = tracks.get(t.id());
            boolean first = st == null;
            if (first) {
                st = new TrackZones();
                tracks.put(t.id(), st);
            }
            if (t.missed() == 0 || first) {
                double[] p = settings.anchor().point(t.box());
                if (zonesChanged(st, p[0], p[1], first, timeMs) | linesCrossed(st, p[0], p[1], timeMs)) {
                    if (!first) {
                        changed.add(t.id());
                    }
                }
            }
            alive.add(st);
        }
        recountOccupancy(alive);
        return changed;
    }

    private void recountOccupancy(Iterable<TrackZones> alive) {
        Map<String, Integer> counts = new HashMap<>();
        for (TrackZones st : alive) {
            for (String z : st.current) {
                counts.merge(z, 1, Integer::sum);
            }
        }
        for (Zone z : settings.zones()) {
            occupancy.put(z.name(), counts.getOrDefault(z.name(), 0));
        }
    }

    /** Entries and exits after the inertia, and the time in each zone (true: an entry, exit or dwell alert now). */
    private boolean zonesChanged(TrackZones st, double x, double y, boolean first, long timeMs) {
        boolean changed = false;
        for (Zone z : settings.zones()) {
            String name = z.name();
            boolean inside = z.contains(x, y);
            if (first) {
                if (inside) {
                    st.current.add(name);
                    st.entered.add(name);
                    dwellOf(st, z).enter(timeMs, timeMs);
                }
                continue;
            }
            if (inside == st.current.contains(name)) {
                st.pendingFrames.remove(name);
                st.pendingSinceMs.remove(name);
                if (inside) {
                    changed |= alert(st, name, dwellOf(st, z).inside(timeMs));
                }
                continue;
            }
            int n = st.pendingFrames.merge(name, 1, Integer::sum);
            if (n == 1) {
                st.pendingSinceMs.put(name, timeMs);
            }
            if (n >= settings.inertiaFrames()) {
                st.pendingFrames.remove(name);
                long since = st.pendingSinceMs.remove(name);
                if (inside) {
                    st.current.add(name);
                    st.entered.add(name);
                    alert(st, name, dwellOf(st, z).enter(since, timeMs));
                } else {
                    st.current.remove(name);
                    dwellOf(st, z).leave();
                }
                changed = true;
            }
        }
        return changed;
    }

    private static ZoneDwell dwellOf(TrackZones st, Zone z) {
        return st.dwell.computeIfAbsent(z.name(), k -> new ZoneDwell(z.dwellAlertMs()));
    }

    /** Queues a dwell alert for the track's next event; false when {@code stayMs} says none fired (-1). */
    private static boolean alert(TrackZones st, String zone, long stayMs) {
        if (stayMs < 0) {
            return false;
        }
        st.unpublishedDwell.add(new TrackEvent.Dwell(zone, seconds(stayMs)));
        return true;
    }

    /** ms as seconds with 2 decimals. */
    private static double seconds(long ms) {
        return Math.round(ms / 10.0) / 100.0;
    }

    private boolean linesCrossed(TrackZones st, double x, double y, long timeMs) {
        boolean crossed = false;
        for (CrossingLine l : settings.lines()) {
            LineState ls = st.lines.computeIfAbsent(l.name(), k -> new LineState());
            int s = l.side(x, y);
            if (ls.side == 0 || s == ls.side) {
                if (s != 0) {
                    ls.side = s;
                    ls.lastX = x;
                    ls.lastY = y;
                }
                ls.count = 0;
                continue;
            }
            if (s == 0) {
                continue; // on the line: neither side, wait
            }
            if (ls.count == 0) {
                ls.firstX = x;
                ls.firstY = y;
                ls.firstMs = timeMs;
            }
            if (++ls.count >= settings.inertiaFrames()) {
                if (l.crossedBy(ls.lastX, ls.lastY, ls.firstX, ls.firstY)) {
                    TrackEvent.Crossing c = new TrackEvent.Crossing(l.name(), CrossingLine.direction(s), EventTime.format(ls.firstMs));
                    st.unpublished.add(c);
                    st.all.add(c);
                    crossingCounts.get(key(l.name(), c.direction())).incrementAndGet();
                    crossed = true;
                }
                ls.side = s;
                ls.lastX = x;
                ls.lastY = y;
                ls.count = 0;
            }
        }
        return crossed;
    }

    /**
     * Adds zone and crossing facts to a frame's events (see the class comment); forgets a track at its {@code end}.
     * Events of a camera without zones and lines are returned unchanged.
     */
    public List<TrackEvent> annotate(List<TrackEvent> events) {
        if (settings.isEmpty() || events.isEmpty()) {
            return events;
        }
        boolean withZones = !settings.zones().isEmpty();
        boolean withLines = !settings.lines().isEmpty();
        List<TrackEvent> out = new ArrayList<>(events.size());
        boolean ended = false;
        for (TrackEvent e : events) {
            TrackZones st = e.track() == null ? null : tracks.get(e.track().id());
            if (st == null) {
                out.add(e);
                continue;
            }
            List<TrackEvent.Crossing> fresh = st.unpublished.isEmpty() ? null : List.copyOf(st.unpublished);
            st.unpublished.clear();
            List<TrackEvent.Dwell> alerts = st.unpublishedDwell.isEmpty() ? null : List.copyOf(st.unpublishedDwell);
            st.unpublishedDwell.clear();
            e = e.withTrack(e.track().withZones(withZones ? List.copyOf(st.current) : null, fresh).withDwell(alerts));
            if (e.type() == EventType.END && e.summary() != null) {
                e = e.withSummary(e.summary().withZones(withZones ? List.copyOf(st.entered) : null,
                        withLines ? List.copyOf(st.all) : null).withDwell(withZones ? timeInZones(st) : null));
                tracks.remove(e.track().id());
                ended = true;
            }
            out.add(e);
        }
        if (ended) {
            recountOccupancy(tracks.values()); // tracks ended by a flush (end of stream, shutdown) leave their zones too
        }
        return out;
    }

    /** Time in each zone the track entered, in order of first entry. */
    private static List<TrackEvent.Dwell> timeInZones(TrackZones st) {
        List<TrackEvent.Dwell> out = new ArrayList<>(st.entered.size());
        for (String z : st.entered) {
            ZoneDwell d = st.dwell.get(z);
            out.add(new TrackEvent.Dwell(z, seconds(d == null ? 0 : d.totalMs())));
        }
        return out;
    }

    /** Zones a track is in now; empty for an unknown track. */
    public Set<String> zonesOf(String trackId) {
        TrackZones st = tracks.get(trackId);
        return st == null ? Set.of() : Set.copyOf(st.current);
    }

    /** Confirmed tracks in a zone after the last frame (0 for an unknown zone). Thread-safe. */
    public int objectsIn(String zone) {
        return occupancy.getOrDefault(zone, 0);
    }

    /** Crossings of a line in a direction since start ({@code in} or {@code out}; 0 for an unknown line). Thread-safe. */
    public long crossings(String line, String direction) {
        AtomicLong n = crossingCounts.get(key(line, direction));
        return n == null ? 0 : n.get();
    }

    /** Tracks with zone state (memory check: ended tracks are forgotten). */
    public int trackedCount() {
        return tracks.size();
    }

    private static String key(String line, String direction) {
        return line + "\u0000" + direction;
    }
}
