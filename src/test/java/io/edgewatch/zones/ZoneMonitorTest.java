package io.edgewatch.zones;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgewatch.detect.BoxNorm;
import io.edgewatch.detect.Detection;
import io.edgewatch.events.EventPolicy;
import io.edgewatch.events.EventTime;
import io.edgewatch.events.EventType;
import io.edgewatch.events.TrackEvent;
import io.edgewatch.events.TrackEventBuilder;
import io.edgewatch.testsupport.EventSchema;
import io.edgewatch.track.Tracker;
import io.edgewatch.track.TrackerSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Zone membership and line crossings with hand-computed geometry, driven through the real tracker and event builder
 * as the camera pipeline drives them.
 */
class ZoneMonitorTest {
    /** Confirmed at the first hit, lost after 2 missed frames, no association buffer. */
    private static final TrackerSettings TS = new TrackerSettings(0.3, 0.5, 0.0, 0.0, 0.45, 1, 2, 500, 50);
    /** No periodic updates and no material-change updates: every update below comes from a zone change. */
    private static final EventPolicy QUIET = new EventPolicy(0, 1_000, 1.5);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000L;

    /** A door line from (0.2, 0.5) to (0.8, 0.5): moving down the image is "in". */
    private static final CrossingLine DOOR = new CrossingLine("door", 0.2, 0.5, 0.8, 0.5);
    /** The left 40 % of the frame. */
    private static final Zone LEFT = new Zone("left", new double[]{0, 0, 0.4, 0, 0.4, 1, 0, 1});

    private static Detection personAt(double cx, double cy) {
        // large enough that a walker turning round (the Kalman prediction overshoots by two steps) keeps its track
        return new Detection(0, "person", 0.9, BoxNorm.ofCenter(cx, cy, 0.15, 0.3));
    }

    private record Run(List<TrackEvent> events, ZoneMonitor monitor) { }

    /** Runs {@code frames} frames at 10 fps, then 4 empty frames (the track is lost), exactly as CameraPipeline does. */
    private static Run run(ZoneSettings zs, int frames, IntFunction<List<Detection>> detections) {
        Tracker tracker = new Tracker(TS, "z");
        TrackEventBuilder b = new TrackEventBuilder("dev", "cam", QUIET);
        ZoneMonitor m = new ZoneMonitor(zs);
        List<TrackEvent> out = new ArrayList<>();
        for (int i = 0; i < frames + 4; i++) {
            long t = T0 + i * 100L;
            Tracker.Update u = tracker.update(i < frames ? detections.apply(i) : List.of(), i, t);
            Set<String> changed = m.update(u.active(), t);
            out.addAll(m.annotate(b.onFrame(u, 640, 480, i, t, changed)));
        }
        assertThat(m.trackedCount()).as("ended tracks are forgotten").isZero();
        return new Run(out, m);
    }

    @Test
    void polygonContainsByTheEvenOddRuleIncludingAConcaveNotch() {
        // an L: the square 0.1..0.5 with its top-right quarter 0.3..0.5 x 0.1..0.3 cut out
        Zone l = new Zone("l", new double[]{0.1, 0.1, 0.3, 0.1, 0.3, 0.3, 0.5, 0.3, 0.5, 0.5, 0.1, 0.5});
        assertThat(l.vertices()).isEqualTo(6);
        assertThat(l.contains(0.2, 0.2)).isTrue();   // upper arm
        assertThat(l.contains(0.4, 0.4)).isTrue();   // lower arm
        assertThat(l.contains(0.4, 0.2)).isFalse();  // the notch
        assertThat(l.contains(0.05, 0.3)).isFalse(); // left of it
        assertThat(l.contains(0.3, 0.6)).isFalse();  // below it
    }

    @Test
    void lineSidesAndSegmentCrossingsAreHandComputed() {
        // cross product (B-A) x (P-A) = 0.6 * (y - 0.5): below the line (y down) is the right-hand side of A->B
        assertThat(DOOR.side(0.5, 0.6)).isEqualTo(1);
        assertThat(DOOR.side(0.5, 0.4)).isEqualTo(-1);
        assertThat(DOOR.side(0.9, 0.5)).isZero();
        assertThat(CrossingLine.direction(1)).isEqualTo("in");
        assertThat(DOOR.crossedBy(0.5, 0.4, 0.5, 0.6)).isTrue();
        assertThat(DOOR.crossedBy(0.9, 0.4, 0.9, 0.6)).as("beside B, on the line's extension").isFalse();
        assertThat(DOOR.crossedBy(0.15, 0.4, 0.35, 0.6)).as("just inside A (x = 0.25 at y = 0.5)").isTrue();
        assertThat(DOOR.crossedBy(0.05, 0.45, 0.15, 0.55)).as("passes left of A (x = 0.1 at y = 0.5)").isFalse();
        assertThat(DOOR.crossedBy(0.5, 0.4, 0.6, 0.45)).as("same side").isFalse();
        // a vertical line from top to bottom: its right-hand side is the left of the image
        CrossingLine v = new CrossingLine("v", 0.5, 0, 0.5, 1);
        assertThat(v.side(0.4, 0.5)).isEqualTo(1);
    }

    @Test
    void aPersonWalkingDownAndBackCrossesInThenOutEachReportedOnce() {
        ZoneSettings zs = new ZoneSettings(List.of(), List.of(DOOR), ZoneAnchor.CENTER, 3);
        // centre y: 0.30 + 0.02 i for i < 20 (0.30 .. 0.68), then back up 0.68 - 0.02 (i - 20) for 20 frames (0.68 .. 0.30)
        Run r = run(zs, 40, i -> List.of(personAt(0.5, i < 20 ? 0.30 + 0.02 * i : 0.68 - 0.02 * (i - 20))));
        List<TrackEvent> ev = r.events();
        assertThat(ev).extracting(TrackEvent::type).containsExactly(EventType.NEW, EventType.UPDATE, EventType.UPDATE, EventType.END);
        assertThat(ev.get(0).track().zones()).as("no zones configured: no zones field").isNull();
        assertThat(ev.get(0).track().crossings()).isNull();
        TrackEvent.Crossing in = ev.get(1).track().crossings().get(0);
        TrackEvent.Crossing out = ev.get(2).track().crossings().get(0);
        assertThat(ev.get(1).track().crossings()).hasSize(1);
        assertThat(in.line()).isEqualTo("door");
        assertThat(in.direction()).isEqualTo("in");
        assertThat(out.direction()).isEqualTo("out");
        // the detection centre passes y = 0.5 between frames 10 (0.50 exactly: on the line) and 11; the Kalman-filtered
        // centre lags a constant-velocity walker by at most a frame or two, so the first frame below the line is 11..13
        // and the update comes inertia - 1 = 2 frames later
        long inFrame = (EventTime.parse(in.time()) - T0) / 100;
        assertThat(inFrame).isBetween(11L, 13L);
        assertThat((EventTime.parse(ev.get(1).time()) - T0) / 100).isEqualTo(inFrame + 2);
        long outFrame = (EventTime.parse(out.time()) - T0) / 100;
        // back up: the detection is at 0.50 at frame 29 and above the line from frame 30; filtered, a few frames later
        assertThat(outFrame).isBetween(29L, 34L);
        // the end summary holds both, in order; the end event itself repeats none
        TrackEvent end = ev.get(3);
        assertThat(end.track().crossings()).isNull();
        assertThat(end.summary().crossings()).containsExactly(in, out);
        assertThat(end.summary().zones()).isNull();
        assertThat(r.monitor().crossings("door", "in")).isEqualTo(1);
        assertThat(r.monitor().crossings("door", "out")).isEqualTo(1);
        for (TrackEvent e : ev) {
            assertThat(EventSchema.validate(MAPPER.valueToTree(e.withSeq(1)))).isEmpty();
        }
    }

    @Test
    void passingBesideTheLineOrJitteringOnItCountsNothing() {
        ZoneSettings zs = new ZoneSettings(List.of(LEFT), List.of(DOOR), ZoneAnchor.CENTER, 3);
        // beside B: x = 0.9 walking from y 0.3 to 0.7
        Run beside = run(zs, 20, i -> List.of(personAt(0.9, 0.3 + 0.02 * i)));
        assertThat(beside.events()).extracting(TrackEvent::type).containsExactly(EventType.NEW, EventType.END);
        assertThat(beside.events().get(1).summary().crossings()).isEmpty();
        assertThat(beside.events().get(1).summary().zones()).isEmpty();
        // standing on the line and on the zone's edge (x = 0.4), the detection jumping 0.01 to either side every frame
        Run jitter = run(zs, 40, i -> List.of(personAt(i % 2 == 0 ? 0.39 : 0.41, i % 2 == 0 ? 0.49 : 0.51)));
        assertThat(jitter.events()).extracting(TrackEvent::type).containsExactly(EventType.NEW, EventType.END);
        assertThat(jitter.monitor().crossings("door", "in") + jitter.monitor().crossings("door", "out")).isZero();
    }

    @Test
    void leavingAndEnteringAZoneUpdatesOnceAfterTheInertia() {
        ZoneSettings zs = new ZoneSettings(List.of(LEFT), List.of(), ZoneAnchor.BOTTOM_CENTER, 3);
        // bottom centre = detection centre + 0.15; x from 0.10 by 0.02 per frame to 0.68 (30 frames), then back to 0.10
        IntFunction<List<Detection>> walk = i -> List.of(personAt(i < 30 ? 0.10 + 0.02 * i : 0.68 - 0.02 * (i - 30), 0.5));
        Run r = run(zs, 60, walk);
        List<TrackEvent> ev = r.events();
        assertThat(ev).extracting(TrackEvent::type).containsExactly(EventType.NEW, EventType.UPDATE, EventType.UPDATE, EventType.END);
        assertThat(ev.get(0).track().zones()).as("first seen inside").containsExactly("left");
        assertThat(ev.get(1).track().zones()).as("left it").isEmpty();
        assertThat(ev.get(2).track().zones()).as("came back").containsExactly("left");
        // the detection centre passes x = 0.4 between frames 15 (0.40) and 16; filtered a frame or two later, plus 2
        long leftAt = (EventTime.parse(ev.get(1).time()) - T0) / 100;
        assertThat(leftAt).isBetween(17L, 20L);
        assertThat(ev.get(1).track().boxNorm().xMin() + ev.get(1).track().boxNorm().xMax()).as("centre x * 2 when it left")
                .isGreaterThan(0.8);
        assertThat(ev.get(3).summary().zones()).containsExactly("left");
        assertThat(ev.get(3).summary().crossings()).as("no lines configured").isNull();
    }

    /** The left 40 % of the frame with a dwell alert after {@code seconds}. */
    private static Zone leftWithDwell(double seconds) {
        return new Zone("left", new double[]{0, 0, 0.4, 0, 0.4, 1, 0, 1}, seconds);
    }

    private static long frameOf(TrackEvent e) {
        return (EventTime.parse(e.time()) - T0) / 100;
    }

    @Test
    void aPersonStandingInAZoneGetsOneDwellUpdateAtTheThresholdEvenAcrossAGap() {
        ZoneSettings zs = new ZoneSettings(List.of(leftWithDwell(1.5)), List.of(), ZoneAnchor.CENTER, 3);
        // standing at (0.2, 0.5) for 30 frames at 10 fps, not detected in frames 10 and 11 (the track coasts, then is
        // matched again): the stay runs on from frame 0, so 1.5 s are reached at frame 15, not 12 + 15
        Run r = run(zs, 30, i -> i == 10 || i == 11 ? List.of() : List.of(personAt(0.2, 0.5)));
        List<TrackEvent> ev = r.events();
        assertThat(ev).extracting(TrackEvent::type).containsExactly(EventType.NEW, EventType.UPDATE, EventType.END);
        assertThat(ev.get(0).track().dwell()).isNull();
        TrackEvent alert = ev.get(1);
        assertThat(frameOf(alert)).isEqualTo(15);
        assertThat(alert.track().dwell()).containsExactly(new TrackEvent.Dwell("left", 1.5));
        assertThat(alert.track().zones()).containsExactly("left");
        TrackEvent end = ev.get(2);
        assertThat(end.track().dwell()).as("reported once").isNull();
        assertThat(end.summary().zones()).containsExactly("left");
        // frames 0..29 inside: 2.9 s from the first to the last frame inside (the frames after it do not count)
        assertThat(end.summary().dwell()).containsExactly(new TrackEvent.Dwell("left", 2.9));
        for (TrackEvent e : ev) {
            assertThat(EventSchema.validate(MAPPER.valueToTree(e.withSeq(1)))).as("schema errors of %s", e).isEmpty();
        }
        assertThat(MAPPER.valueToTree(alert.withSeq(1)).at("/track/dwell").toString()).isEqualTo("[{\"zone\":\"left\",\"seconds\":1.5}]");
    }

    @Test
    void leavingAndComingBackIsTwoStaysEachAlertedAndBothSummed() {
        ZoneSettings zs = new ZoneSettings(List.of(leftWithDwell(1.0)), List.of(), ZoneAnchor.BOTTOM_CENTER, 3);
        // the walk of leavingAndEnteringAZoneUpdatesOnceAfterTheInertia: out of the zone at about frame 16, back at about 44
        IntFunction<List<Detection>> walk = i -> List.of(personAt(i < 30 ? 0.10 + 0.02 * i : 0.68 - 0.02 * (i - 30), 0.5));
        Run r = run(zs, 60, walk);
        List<TrackEvent> ev = r.events();
        assertThat(ev).extracting(TrackEvent::type).containsExactly(EventType.NEW, EventType.UPDATE, EventType.UPDATE,
                EventType.UPDATE, EventType.UPDATE, EventType.END);
        // first stay from frame 0: the alert at frame 10, 1.0 s
        assertThat(frameOf(ev.get(1))).isEqualTo(10);
        assertThat(ev.get(1).track().dwell()).containsExactly(new TrackEvent.Dwell("left", 1.0));
        TrackEvent exit = ev.get(2);
        TrackEvent entry = ev.get(3);
        assertThat(exit.track().zones()).isEmpty();
        assertThat(entry.track().zones()).containsExactly("left");
        assertThat(exit.track().dwell()).isNull();
        assertThat(entry.track().dwell()).isNull();
        // second stay: it began at the first of the 3 inertia frames (entry - 2) and reaches 1.0 s 10 frames later
        TrackEvent alert2 = ev.get(4);
        assertThat(frameOf(alert2)).isEqualTo(frameOf(entry) - 2 + 10);
        assertThat(alert2.track().dwell()).containsExactly(new TrackEvent.Dwell("left", 1.0));
        // the first stay ended at its last frame inside (exit - 3), the second at frame 59
        long frames = (frameOf(exit) - 3) + (59 - (frameOf(entry) - 2));
        assertThat(ev.get(5).summary().dwell()).containsExactly(new TrackEvent.Dwell("left", frames / 10.0));
        assertThat(ev.get(5).summary().dwell().get(0).seconds()).isBetween(2.5, 3.5);
    }

    @Test
    void aFrameOrTwoOutsideThePolygonDoesNotEndTheStay() {
        ZoneSettings zs = new ZoneSettings(List.of(leftWithDwell(2.5)), List.of(), ZoneAnchor.CENTER, 3);
        Tracker tracker = new Tracker(TS, "b");
        ZoneMonitor m = new ZoneMonitor(zs);
        List<Boolean> anchorInside = new ArrayList<>();
        List<TrackEvent> ev = new ArrayList<>();
        TrackEventBuilder b = new TrackEventBuilder("dev", "cam", QUIET);
        for (int i = 0; i < 44; i++) {
            long t = T0 + i * 100L;
            // a wide box standing at x = 0.3, its detection lurching to 0.43 in frames 10..12 (e.g. a bad detection);
            // the zone edge is at 0.4
            double cx = i >= 40 ? -1 : i >= 10 && i <= 12 ? 0.43 : 0.3;
            Tracker.Update u = tracker.update(cx < 0 ? List.of() : List.of(new Detection(0, "person", 0.9, BoxNorm.ofCenter(cx, 0.5, 0.4, 0.4))), i, t);
            if (i < 40) {
                anchorInside.add(LEFT.contains(u.active().get(0).box().centerX(), 0.5));
            }
            ev.addAll(m.annotate(b.onFrame(u, 640, 480, i, t, m.update(u.active(), t))));
        }
        // the filtered anchor was outside in frames 11 and 12 only: fewer than the inertia's 3, so no exit
        List<Integer> outside = new ArrayList<>();
        for (int i = 0; i < anchorInside.size(); i++) {
            if (!anchorInside.get(i)) {
                outside.add(i);
            }
        }
        assertThat(outside).containsExactly(11, 12);
        assertThat(ev).extracting(TrackEvent::type).containsExactly(EventType.NEW, EventType.UPDATE, EventType.END);
        // one stay from frame 0: the alert at 2.5 s, the two frames outside counted as inside
        assertThat(frameOf(ev.get(1))).isEqualTo(25);
        assertThat(ev.get(1).track().dwell()).containsExactly(new TrackEvent.Dwell("left", 2.5));
        assertThat(ev.get(2).summary().dwell()).containsExactly(new TrackEvent.Dwell("left", 3.9));
    }

    @Test
    void aZoneWithoutADwellAlertStillSumsTheTimeAndAZoneNeverEnteredHasNone() {
        Zone right = new Zone("right", new double[]{0.6, 0, 1, 0, 1, 1, 0.6, 1});
        ZoneSettings zs = new ZoneSettings(List.of(LEFT, right), List.of(), ZoneAnchor.CENTER, 3);
        Run r = run(zs, 20, i -> List.of(personAt(0.2, 0.5)));
        assertThat(r.events()).extracting(TrackEvent::type).containsExactly(EventType.NEW, EventType.END);
        assertThat(r.events().get(1).summary().dwell()).containsExactly(new TrackEvent.Dwell("left", 1.9));
        // without zones (lines only) there is no dwell field at all
        Run lines = run(new ZoneSettings(List.of(), List.of(DOOR), ZoneAnchor.CENTER, 3), 10, i -> List.of(personAt(0.2, 0.3)));
        assertThat(lines.events().get(1).summary().dwell()).isNull();
    }

    @Test
    void occupancyCountsConfirmedTracksInTheZoneNow() {
        ZoneSettings zs = new ZoneSettings(List.of(LEFT), List.of(), ZoneAnchor.CENTER, 3);
        Tracker tracker = new Tracker(TS, "o");
        ZoneMonitor m = new ZoneMonitor(zs);
        Tracker.Update u = tracker.update(List.of(personAt(0.1, 0.5), personAt(0.25, 0.5), personAt(0.8, 0.5)), 0, T0);
        m.update(u.active(), T0);
        assertThat(m.objectsIn("left")).isEqualTo(2);
        assertThat(m.objectsIn("nowhere")).isZero();
        assertThat(m.zonesOf("o-3")).isEmpty();
        assertThat(m.zonesOf("o-1")).containsExactly("left");
        // tracks ended without being lost (end of stream) leave the zone too
        TrackEventBuilder b = new TrackEventBuilder("dev", "cam", QUIET);
        m.annotate(b.onFrame(u, 640, 480, 0, T0));
        m.annotate(b.end(tracker.flush(), new TrackEvent.FrameRef(640, 480, 0), T0, "stream-end"));
        assertThat(m.objectsIn("left")).isZero();
        assertThat(m.trackedCount()).isZero();
    }

    @Test
    void badZonesAndLinesAreRefusedNamingThem() {
        assertThatThrownBy(() -> new Zone("a b", new double[]{0, 0, 1, 0, 1, 1})).hasMessageContaining("zone name 'a b'");
        assertThatThrownBy(() -> new Zone("z", new double[]{0, 0, 1, 1})).hasMessageContaining("zone z").hasMessageContaining("at least 3 points");
        assertThatThrownBy(() -> new CrossingLine("l", 0.5, 0.5, 0.5, 0.5)).hasMessageContaining("line l").hasMessageContaining("the same");
        assertThatThrownBy(() -> new CrossingLine("l", 0, 0, 1, 1.01)).hasMessageContaining("1.01").hasMessageContaining("outside 0..1");
        assertThatThrownBy(() -> new ZoneSettings(List.of(LEFT, LEFT), List.of(), ZoneAnchor.CENTER, 3)).hasMessageContaining("left is used twice");
        assertThatThrownBy(() -> ZoneAnchor.parse("feet")).hasMessageContaining("'feet'");
    }
}
