package io.edgewatch.track;

import io.edgewatch.detect.BoxNorm;
import io.edgewatch.detect.Detection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrackerTest {
    private static final TrackerSettings S = new TrackerSettings(0.3, 0.5, 0.0, 0.0, 0.45, 3, 2, 0, 8);

    private static Detection person(double cx, double cy, double score) {
        return new Detection(0, "person", score, BoxNorm.ofCenter(cx, cy, 0.05, 0.15));
    }

    @Test
    void oneFrameFalsePositiveNeverConfirms() {
        Tracker t = new Tracker(S, "c");
        Tracker.Update u1 = t.update(List.of(person(0.5, 0.5, 0.9)), 0, 0);
        assertThat(u1.confirmed()).isEmpty();
        assertThat(t.all()).hasSize(1);
        Tracker.Update u2 = t.update(List.of(), 1, 100);
        assertThat(u2.confirmed()).isEmpty();
        assertThat(u2.lost()).isEmpty(); // a tentative track is dropped silently
        assertThat(t.all()).isEmpty();
    }

    @Test
    void confirmsAfterMinHitsAndKeepsTheId() {
        Tracker t = new Tracker(S, "c");
        assertThat(t.update(List.of(person(0.50, 0.5, 0.9)), 0, 0).confirmed()).isEmpty();
        assertThat(t.update(List.of(person(0.51, 0.5, 0.9)), 1, 100).confirmed()).isEmpty();
        Tracker.Update u3 = t.update(List.of(person(0.52, 0.5, 0.9)), 2, 200);
        assertThat(u3.confirmed()).hasSize(1);
        Track track = u3.confirmed().get(0);
        assertThat(track.id()).isEqualTo("c-1");
        assertThat(track.state()).isEqualTo(TrackState.CONFIRMED);
        assertThat(track.hits()).isEqualTo(3);
        Tracker.Update u4 = t.update(List.of(person(0.53, 0.5, 0.8)), 3, 300);
        assertThat(u4.active()).extracting(Track::id).containsExactly("c-1");
        assertThat(track.topScore()).isEqualTo(0.9);
        assertThat(track.score()).isEqualTo(0.8);
    }

    @Test
    void lostAfterMaxMissedFramesWithPredictionMeanwhile() {
        Tracker t = new Tracker(S, "c");
        for (int i = 0; i < 3; i++) {
            t.update(List.of(person(0.5, 0.5, 0.9)), i, i * 100L);
        }
        // maxMissedFrames = 2: still alive after two misses, lost on the third
        assertThat(t.update(List.of(), 3, 300).lost()).isEmpty();
        assertThat(t.update(List.of(), 4, 400).lost()).isEmpty();
        assertThat(t.active()).hasSize(1);
        Tracker.Update u = t.update(List.of(), 5, 500);
        assertThat(u.lost()).extracting(Track::id).containsExactly("c-1");
        assertThat(u.lost().get(0).state()).isEqualTo(TrackState.LOST);
        assertThat(t.all()).isEmpty();
    }

    @Test
    void reacquiresAfterAShortGap() {
        Tracker t = new Tracker(S, "c");
        for (int i = 0; i < 3; i++) {
            t.update(List.of(person(0.5, 0.5, 0.9)), i, i * 100L);
        }
        t.update(List.of(), 3, 300);
        Tracker.Update u = t.update(List.of(person(0.5, 0.5, 0.9)), 4, 400);
        assertThat(u.confirmed()).isEmpty();
        assertThat(u.active()).extracting(Track::id).containsExactly("c-1");
    }

    @Test
    void optimalAssociationKeepsIdsWhenDetectionOrderChanges() {
        Tracker t = new Tracker(S, "c");
        for (int i = 0; i < 3; i++) {
            t.update(List.of(person(0.3 + 0.01 * i, 0.5, 0.9), person(0.7 - 0.01 * i, 0.5, 0.9)), i, i * 100L);
        }
        Tracker.Update u = t.update(List.of(person(0.67, 0.5, 0.9), person(0.33, 0.5, 0.9)), 3, 300); // order swapped
        Track left = u.active().stream().filter(x -> x.box().centerX() < 0.5).findFirst().orElseThrow();
        Track right = u.active().stream().filter(x -> x.box().centerX() > 0.5).findFirst().orElseThrow();
        assertThat(left.id()).isEqualTo("c-1");
        assertThat(right.id()).isEqualTo("c-2");
    }

    @Test
    void weakDetectionsKeepATrackAliveButStartNone() {
        Tracker t = new Tracker(S, "c");
        for (int i = 0; i < 3; i++) {
            t.update(List.of(person(0.5, 0.5, 0.9)), i, i * 100L);
        }
        for (int i = 3; i < 8; i++) { // five weak frames: longer than maxMissedFrames, yet not lost
            Tracker.Update u = t.update(List.of(), List.of(person(0.5, 0.5, 0.35), person(0.1, 0.1, 0.35)), i, i * 100L);
            assertThat(u.lost()).isEmpty();
        }
        assertThat(t.all()).extracting(Track::id).containsExactly("c-1");
        assertThat(t.all().get(0).hits()).isEqualTo(8);
    }

    @Test
    void duplicateBoxOfAMatchedObjectStartsNoTrack() {
        Tracker t = new Tracker(S, "c");
        Detection main = person(0.5, 0.5, 0.9);
        Detection dup = new Detection(0, "person", 0.6, BoxNorm.ofCenter(0.505, 0.51, 0.05, 0.13)); // IoU ~0.8
        t.update(List.of(main), 0, 0);
        t.update(List.of(main, dup), 1, 100);
        assertThat(t.all()).hasSize(1);
    }

    @Test
    void widenedBufferReacquiresAPersonWhoReappearsFurtherAway() {
        // box 0.05 x 0.15; after 2 missed frames the person reappears 0.09 to the right (stood still before, so
        // the prediction stays put): plain IoU 0, buffer 0.5 alone gives BIoU 0.05 < 0.3, buffer 0.5 x (1 + 1.0 x 2) = 1.5 gives 0.38
        for (double growth : new double[]{0.0, 1.0}) {
            Tracker t = new Tracker(new TrackerSettings(0.3, 0.5, 0.5, growth, 0.45, 3, 5, 0, 8), "c");
            for (int i = 0; i < 3; i++) {
                t.update(List.of(person(0.5, 0.5, 0.9)), i, i * 100L);
            }
            t.update(List.of(), 3, 300);
            t.update(List.of(), 4, 400);
            t.update(List.of(person(0.59, 0.5, 0.9)), 5, 500);
            if (growth == 0.0) {
                assertThat(t.all()).extracting(Track::id).containsExactly("c-1", "c-2");
            } else {
                assertThat(t.all()).extracting(Track::id).containsExactly("c-1");
                assertThat(t.all().get(0).missed()).isZero();
            }
        }
    }

    @Test
    void differentLabelsNeverAssociate() {
        Tracker t = new Tracker(S, "c");
        for (int i = 0; i < 3; i++) {
            t.update(List.of(person(0.5, 0.5, 0.9)), i, i * 100L);
        }
        Detection car = new Detection(2, "car", 0.9, BoxNorm.ofCenter(0.5, 0.5, 0.05, 0.15));
        t.update(List.of(car), 3, 300);
        assertThat(t.all()).extracting(Track::label).containsExactlyInAnyOrder("person", "car");
        assertThat(t.all().stream().filter(x -> x.label().equals("person")).findFirst().orElseThrow().missed()).isEqualTo(1);
    }

    @Test
    void flushEndsConfirmedTracksOnly() {
        Tracker t = new Tracker(S, "c");
        for (int i = 0; i < 3; i++) {
            t.update(List.of(person(0.5, 0.5, 0.9)), i, i * 100L);
        }
        t.update(List.of(person(0.5, 0.5, 0.9), person(0.1, 0.1, 0.9)), 3, 300);
        assertThat(t.flush()).extracting(Track::id).containsExactly("c-1");
        assertThat(t.all()).isEmpty();
    }
}
