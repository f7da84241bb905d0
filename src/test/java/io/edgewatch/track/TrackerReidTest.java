package io.edgewatch.track;

import io.edgewatch.detect.BoxNorm;
import io.edgewatch.detect.Detection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity through occlusion (issue 11 item 3): a confirmed track that goes unmatched becomes missing after
 * {@code maxMissedFrames} rounds, is not active, and takes a detection again when the appearance matches and the
 * place is within reach; otherwise it ends once the window has passed. Appearances here are the histograms of
 * {@link Appearance} (torso/legs colour), given per box position.
 */
class TrackerReidTest {
    /** maxMissedFrames 2, window 2 s, similarity 0.9, weight 0.5, 1.5 box heights per second. */
    private static final TrackerSettings S = new TrackerSettings(0.3, 0.5, 0.0, 0.0, 0.45, 3, 2, 0, 8,
            new ReidSettings(2_000, 0.9, 0.5, 1.5));

    private static Appearance colours(int upperBin, int lowerBin) {
        float[] u = new float[Appearance.BINS];
        float[] l = new float[Appearance.BINS];
        u[upperBin] = 1;
        l[lowerBin] = 1;
        return new Appearance(u, l);
    }

    private static final Appearance RED_BLUE = colours(2, 17);
    private static final Appearance GREEN_GREY = colours(8, 26);

    private static Detection person(double cx, double cy) {
        return new Detection(0, "person", 0.9, BoxNorm.ofCenter(cx, cy, 0.05, 0.15));
    }

    /** Confirms one red/blue person at x 0.3, frames 0..4 (100 ms apart); returns the tracker. */
    private static Tracker confirmed(List<Tracker.Update> updates) {
        Tracker t = new Tracker(S, "c");
        for (int i = 0; i < 5; i++) {
            updates.add(t.update(List.of(person(0.3 + 0.002 * i, 0.5)), List.of(), i, i * 100L, Tracker.Coverage.ALL, box -> RED_BLUE));
        }
        assertThat(t.active()).extracting(Track::id).containsExactly("c-1");
        return t;
    }

    @Test
    void aPersonWhoReappearsWithinTheWindowKeepsTheId() {
        List<Tracker.Update> updates = new ArrayList<>();
        Tracker t = confirmed(updates);
        // hidden for 1 s (10 rounds): missing after 2 missed rounds, not active, not lost
        for (int i = 5; i < 15; i++) {
            Tracker.Update u = t.update(List.of(), List.of(), i, i * 100L, Tracker.Coverage.ALL, box -> RED_BLUE);
            assertThat(u.lost()).isEmpty();
            updates.add(u);
        }
        assertThat(t.active()).isEmpty();
        assertThat(t.all()).hasSize(1);
        // back 0.08 to the right (the IoU with the old box is 0): re-identified by appearance
        Tracker.Update back = t.update(List.of(person(0.39, 0.5)), List.of(), 15, 1_500L, Tracker.Coverage.ALL, box -> RED_BLUE);
        assertThat(back.active()).extracting(Track::id).containsExactly("c-1");
        assertThat(back.confirmed()).isEmpty();
        assertThat(t.reidentifications()).isEqualTo(1);
        assertThat(t.all().get(0).reidentified()).isEqualTo(1);
        assertThat(t.all().get(0).observedBox().centerX()).isCloseTo(0.39, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(updates).allMatch(u -> u.lost().isEmpty());
    }

    @Test
    void someoneElseStartsANewTrackAndTheMissingOneEndsAfterTheWindow() {
        List<Tracker.Update> updates = new ArrayList<>();
        Tracker t = confirmed(updates);
        for (int i = 5; i < 10; i++) {
            t.update(List.of(), List.of(), i, i * 100L, Tracker.Coverage.ALL, box -> RED_BLUE);
        }
        // a differently dressed person at the same place: a new track, never the missing id
        List<String> lostIds = new ArrayList<>();
        for (int i = 10; i < 40; i++) {
            Tracker.Update u = t.update(List.of(person(0.36, 0.5)), List.of(), i, i * 100L, Tracker.Coverage.ALL, box -> GREEN_GREY);
            long at = i * 100L;
            u.lost().forEach(x -> lostIds.add(x.id() + "@" + at));
        }
        assertThat(t.active()).extracting(Track::id).containsExactly("c-2");
        // last seen at 400 ms, window 2 s: lost in the first round at or after 2400 ms, exactly once
        assertThat(lostIds).containsExactly("c-1@2400");
    }

    @Test
    void aLookAlikeTooFarAwayIsNotTaken() {
        List<Tracker.Update> updates = new ArrayList<>();
        Tracker t = confirmed(updates);
        for (int i = 5; i < 8; i++) {
            t.update(List.of(), List.of(), i, i * 100L, Tracker.Coverage.ALL, box -> RED_BLUE);
        }
        // 0.4 s after last seen the reach is 0.15 x (1 + 1.5 x 0.4) = 0.24; a red/blue person 0.5 away is someone else
        t.update(List.of(person(0.81, 0.5)), List.of(), 8, 800L, Tracker.Coverage.ALL, box -> RED_BLUE);
        assertThat(t.reidentifications()).isZero();
        assertThat(t.all()).extracting(Track::id).containsExactly("c-1", "c-2");
    }

    @Test
    void withoutAppearanceTheTrackerIsAsBefore() {
        Tracker t = new Tracker(new TrackerSettings(0.3, 0.5, 0.0, 0.0, 0.45, 3, 2, 0, 8), "c");
        for (int i = 0; i < 5; i++) {
            t.update(List.of(person(0.3, 0.5)), List.of(), i, i * 100L, Tracker.Coverage.ALL, box -> RED_BLUE);
        }
        t.update(List.of(), 5, 500);
        t.update(List.of(), 6, 600);
        assertThat(t.update(List.of(), 7, 700).lost()).extracting(Track::id).containsExactly("c-1");
    }
}
