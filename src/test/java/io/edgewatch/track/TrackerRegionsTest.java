package io.edgewatch.track;

import io.edgewatch.detect.BoxNorm;
import io.edgewatch.detect.Detection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The tracker under region-based detection: coverage, stationary objects, prediction by elapsed time. */
class TrackerRegionsTest {
    private static final TrackerSettings S = new TrackerSettings(0.3, 0.5, 0.0, 0.0, 0.45, 3, 2, 0, 8);

    private static Detection person(double cx, double cy) {
        return new Detection(0, "person", 0.9, BoxNorm.ofCenter(cx, cy, 0.05, 0.15));
    }

    private static Track confirmedAt(Tracker t, double cx, long t0) {
        Track tr = null;
        for (int i = 0; i < 3; i++) {
            Tracker.Update u = t.update(List.of(person(cx, 0.5)), List.of(), i, t0 + i * 200L, Tracker.Coverage.ALL);
            if (!u.confirmed().isEmpty()) {
                tr = u.confirmed().get(0);
            }
        }
        return tr;
    }

    @Test
    void aTrackOutsideEveryRegionIsKeptNotMissed() {
        Tracker t = new Tracker(S, "c");
        Track tr = confirmedAt(t, 0.2, 0);
        // ten rounds that look only at the right half: the track on the left is never missed
        for (int i = 3; i < 13; i++) {
            Tracker.Update u = t.update(List.of(), List.of(), i, i * 200L, box -> box.centerX() > 0.5);
            assertThat(u.lost()).isEmpty();
        }
        assertThat(tr.missed()).isZero();
        // rounds that cover it and find nothing: lost after maxMissedFrames (2) + 1
        Tracker.Update u = null;
        for (int i = 13; i < 16; i++) {
            u = t.update(List.of(), List.of(), i, i * 200L, Tracker.Coverage.ALL);
        }
        assertThat(u.lost()).containsExactly(tr);
    }

    @Test
    void aTrackThatStaysPutBecomesStationaryAndMovesOnAgain() {
        Tracker t = new Tracker(S, "c", 2_000);
        Track tr = confirmedAt(t, 0.5, 0);
        Tracker.Update u;
        boolean becameStationary = false;
        long time = 400;
        for (int i = 3; i < 20 && !becameStationary; i++) {
            time = i * 200L;
            u = t.update(List.of(person(0.5 + (i % 2) * 0.002, 0.5)), List.of(), i, time, Tracker.Coverage.ALL);
            becameStationary = u.stationaryChanged().contains(tr);
        }
        assertThat(becameStationary).isTrue();
        assertThat(tr.stationary()).isTrue();
        // it became stationary 2 s after it stopped (first confirmed hit at 400 ms)
        assertThat(time).isBetween(2_000L, 2_800L);
        // it walks away: the IoU with where it stood falls under 0.6, it is moving again
        u = t.update(List.of(person(0.53, 0.5)), List.of(), 21, time + 200, Tracker.Coverage.ALL);
        assertThat(u.stationaryChanged()).containsExactly(tr);
        assertThat(tr.stationary()).isFalse();
    }

    @Test
    void aStationaryTrackMissedByARecheckIsLookedForInEveryRoundAgain() {
        Tracker t = new Tracker(S, "c", 1_000);
        Track tr = confirmedAt(t, 0.5, 0);
        for (int i = 3; i < 12; i++) {
            t.update(List.of(person(0.5, 0.5)), List.of(), i, i * 200L, Tracker.Coverage.ALL);
        }
        assertThat(tr.stationary()).isTrue();
        Tracker.Update u = t.update(List.of(), List.of(), 12, 2_400, Tracker.Coverage.ALL);
        assertThat(u.stationaryChanged()).containsExactly(tr);
        assertThat(tr.stationary()).isFalse();
        assertThat(tr.missed()).isEqualTo(1);
    }

    @Test
    void predictionStepsByElapsedTimeNotByFrames() {
        // the same walk (0.005 per 100 ms = 0.05 per second) seen at 10 fps and at 2.5 fps gives the same velocity
        Tracker fast = new Tracker(S, "f");
        Tracker slow = new Tracker(S, "s");
        for (int i = 0; i <= 48; i++) {
            fast.update(List.of(person(0.2 + 0.005 * i, 0.5)), i, i * 100L);
        }
        for (int i = 0; i <= 12; i++) {
            slow.update(List.of(person(0.2 + 0.02 * i, 0.5)), i, i * 400L);
        }
        assertThat(fast.active()).hasSize(1);
        assertThat(slow.active()).hasSize(1);
        double vFast = fast.active().get(0).velocity()[0];
        double vSlow = slow.active().get(0).velocity()[0];
        assertThat(vFast).isCloseTo(0.05, org.assertj.core.api.Assertions.within(0.005)); // normalized units per second
        assertThat(vSlow).isCloseTo(0.05, org.assertj.core.api.Assertions.within(0.005));
    }
}
