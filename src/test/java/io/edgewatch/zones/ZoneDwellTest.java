package io.edgewatch.zones;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dwell clock of one track in one zone on synthetic frame times: it fires at the first frame inside whose stay
 * reaches the threshold (not before, once per stay, again in a new stay), measures frame time rather than frames, and
 * sums the stays.
 */
class ZoneDwellTest {
    private static final long T0 = 1_700_000_000_000L;

    /** The frame time (offset from T0, ms) at which the alert fires for frames every {@code stepMs}, or -1. */
    private static long firesAt(long alertMs, long stepMs, long untilMs) {
        ZoneDwell d = new ZoneDwell(alertMs);
        assertThat(d.enter(T0, T0)).isEqualTo(-1);
        for (long t = stepMs; t <= untilMs; t += stepMs) {
            long stay = d.inside(T0 + t);
            if (stay >= 0) {
                assertThat(stay).as("stay length reported").isEqualTo(t);
                return t;
            }
        }
        return -1;
    }

    @Test
    void firesAtTheFirstFrameReachingTheThresholdWhateverTheFrameRate() {
        assertThat(firesAt(2_000, 200, 10_000)).as("5 fps: exactly at 2.0 s").isEqualTo(2_000);
        assertThat(firesAt(2_000, 40, 10_000)).as("25 fps: exactly at 2.0 s").isEqualTo(2_000);
        assertThat(firesAt(2_000, 300, 10_000)).as("3.3 fps: the first frame at or past 2.0 s").isEqualTo(2_100);
        assertThat(firesAt(2_000, 300, 1_800)).as("never before the threshold").isEqualTo(-1);
        assertThat(firesAt(0, 100, 100_000)).as("no alert configured").isEqualTo(-1);
    }

    @Test
    void firesOncePerStayAndAgainInANewStay() {
        ZoneDwell d = new ZoneDwell(1_000);
        d.enter(T0, T0 + 200); // an entry decided after the inertia: the stay started at its first frame inside
        assertThat(d.inside(T0 + 900)).isEqualTo(-1);
        assertThat(d.inside(T0 + 1_000)).isEqualTo(1_000);
        assertThat(d.inside(T0 + 1_100)).as("once per stay").isEqualTo(-1);
        assertThat(d.inside(T0 + 5_000)).isEqualTo(-1);
        d.leave();
        assertThat(d.inStay()).isFalse();
        assertThat(d.inside(T0 + 6_000)).as("outside a stay nothing counts").isEqualTo(-1);
        assertThat(d.totalMs()).isEqualTo(5_000);
        // a second stay from 8.0 s, the entry decided at 8.4 s; it reaches 1 s at 9.0 s
        assertThat(d.enter(T0 + 8_000, T0 + 8_400)).isEqualTo(-1);
        assertThat(d.inside(T0 + 8_800)).isEqualTo(-1);
        assertThat(d.inside(T0 + 9_000)).as("a new stay fires again").isEqualTo(1_000);
        d.inside(T0 + 9_500);
        assertThat(d.totalMs()).as("5.0 s + the open stay's 1.5 s").isEqualTo(6_500);
        assertThat(d.stays()).isEqualTo(2);
        d.leave();
        d.leave();
        assertThat(d.totalMs()).as("leaving twice changes nothing").isEqualTo(6_500);
    }

    @Test
    void anEntryThatAlreadyLastedTheThresholdFiresAtOnce() {
        // inertia 3 frames at 2 fps: the first frame inside was 1.0 s before the entry was decided
        ZoneDwell d = new ZoneDwell(500);
        assertThat(d.enter(T0, T0 + 1_000)).isEqualTo(1_000);
    }

    @Test
    void aGapInsideAStayCountsOnceTheTrackIsSeenInsideAgainButNotAfterTheLastSighting() {
        ZoneDwell d = new ZoneDwell(3_000);
        d.enter(T0, T0);
        d.inside(T0 + 1_000);
        // missing (or a frame or two outside) from 1.0 s to 2.5 s, then seen inside again: the gap is part of the stay
        assertThat(d.inside(T0 + 2_500)).isEqualTo(-1);
        assertThat(d.inside(T0 + 3_000)).isEqualTo(3_000);
        d.inside(T0 + 3_200);
        // gone again and never seen inside: the stay ends at its last frame inside (3.2 s), not when the exit is decided
        d.leave();
        assertThat(d.totalMs()).isEqualTo(3_200);
    }

    @Test
    void aNegativeThresholdIsRefused() {
        assertThatThrownBy(() -> new ZoneDwell(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> new Zone("door", new double[]{0, 0, 1, 0, 1, 1}, -2))
                .hasMessageContaining("zone door").hasMessageContaining("-2.0");
        assertThatThrownBy(() -> new Zone("door", new double[]{0, 0, 1, 0, 1, 1}, Double.NaN)).hasMessageContaining("NaN");
        assertThat(new Zone("door", new double[]{0, 0, 1, 0, 1, 1}, 0.0004).dwellAlertMs()).as("a set alert is at least 1 ms").isEqualTo(1);
        assertThat(new Zone("door", new double[]{0, 0, 1, 0, 1, 1}, 2.5).dwellAlertMs()).isEqualTo(2_500);
        assertThat(new Zone("door", new double[]{0, 0, 1, 0, 1, 1}).dwellAlertMs()).isZero();
    }
}
