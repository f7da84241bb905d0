package io.edgewatch.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DetectionScheduleTest {
    @Test
    void fiveRoundsPerSecondOfATenFpsSourceTakeEveryOtherFrame() {
        DetectionSchedule s = new DetectionSchedule(200);
        int due = 0;
        for (int i = 0; i < 50; i++) {
            if (s.due(1_000_000 + i * 100L)) {
                due++;
            }
        }
        assertThat(due).isEqualTo(25);
        assertThat(s.skipped()).isZero();
    }

    @Test
    void jitteredFramesStillGiveTheRate() {
        DetectionSchedule s = new DetectionSchedule(200);
        int due = 0;
        long[] jitter = {0, 13, -9, 21, -17, 4};
        for (int i = 0; i < 60; i++) {
            if (s.due(i * 100L + jitter[i % jitter.length])) {
                due++;
            }
        }
        assertThat(due).isBetween(29, 31);
    }

    @Test
    void roundsThatPassedWhileBusyAreCountedAsSkipped() {
        DetectionSchedule s = new DetectionSchedule(200);
        assertThat(s.due(0)).isTrue();       // next due at 200
        assertThat(s.due(900)).isTrue();     // serves the round of 800, late; those of 200, 400 and 600 were skipped
        assertThat(s.skipped()).isEqualTo(3);
        assertThat(s.due(1000)).isTrue();    // the round of 1000, on time
        assertThat(s.due(1100)).isFalse();
        assertThat(s.due(1200)).isTrue();
        assertThat(s.skipped()).isEqualTo(3);
    }

    @Test
    void zeroIntervalIsEveryFrame() {
        DetectionSchedule s = new DetectionSchedule(0);
        for (int i = 0; i < 10; i++) {
            assertThat(s.due(i)).isTrue();
        }
    }

    @Test
    void aClockThatJumpsBackRestartsTheSchedule() {
        DetectionSchedule s = new DetectionSchedule(200);
        s.due(100_000);
        assertThat(s.due(0)).isTrue();
        assertThat(s.due(100)).isFalse();
        assertThat(s.due(200)).isTrue();
    }

    @Test
    void aRateAboveTheSourcesTakesEveryFrameAndSkipsNothing() {
        DetectionSchedule s = new DetectionSchedule(1000.0 / 30); // detect-fps 30 on a 10 fps source
        for (int i = 0; i < 50; i++) {
            assertThat(s.due(i * 100L, i)).as("frame %d", i).isTrue();
        }
        assertThat(s.skipped()).as("no round was possible between two frames").isZero();
    }

    @Test
    void onlyRoundsThatHadAFrameCountAsSkipped() {
        DetectionSchedule s = new DetectionSchedule(1000.0 / 30);
        assertThat(s.due(0, 0)).isTrue();
        assertThat(s.due(300, 3)).isTrue(); // frames 1 and 2 were dropped while busy: two rounds lost, not eight
        assertThat(s.skipped()).isEqualTo(2);
        DetectionSchedule five = new DetectionSchedule(200);
        assertThat(five.due(0, 0)).isTrue();
        assertThat(five.due(900, 9)).isTrue(); // as without frame numbers: the rounds of 200, 400 and 600 were skipped
        assertThat(five.skipped()).isEqualTo(3);
    }

    /**
     * wanted() answers like due() without moving the schedule: for every frame of a 10 fps stream, at 5 rounds per
     * second, with frame times jittering by up to 20 ms and a clock that jumps back, a frame due() accepts is always
     * wanted, and the frames between rounds are not.
     */
    @Test
    void wantedIsTrueForEveryFrameThatIsDueAndFalseBetweenRounds() {
        DetectionSchedule s = new DetectionSchedule(200);
        java.util.Random r = new java.util.Random(7);
        long notWanted = 0;
        for (int i = 0; i < 400; i++) {
            long t = (i < 200 ? i : i - 200) * 100L + r.nextInt(21) - 10; // the clock goes back at frame 200
            boolean wanted = s.wanted(t);
            assertThat(s.wanted(t)).as("asking twice changes nothing").isEqualTo(wanted);
            boolean due = s.due(t, i);
            if (due) {
                assertThat(wanted).as("frame %d at %d ms is due, so it must have been wanted", i, t).isTrue();
            } else if (!wanted) {
                notWanted++;
            }
        }
        assertThat(notWanted).as("frames between rounds are not wanted").isGreaterThan(190);
        assertThat(new DetectionSchedule(0).wanted(5)).as("detect-fps 0: every frame").isTrue();
    }
}
