package io.edgewatch.capture;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

class LatestFrameSlotTest {

    private static CapturedFrame frame(long seq) {
        return new CapturedFrame(new Mat(4, 4, CV_8UC3), 4, 4, seq, seq * 100, seq * 100);
    }

    @Test
    void latestModeReplacesUnconsumedFramesAndCountsDrops() throws Exception {
        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.LATEST);
        for (long i = 0; i < 5; i++) {
            assertThat(slot.put(frame(i))).isTrue();
        }
        assertThat(slot.dropped()).isEqualTo(4);
        try (CapturedFrame f = slot.take(100)) {
            assertThat(f.seq()).isEqualTo(4);
        }
        assertThat(slot.take(10)).isNull(); // nothing left: no backlog
        slot.close();
        assertThat(slot.finished()).isTrue();
        assertThat(slot.put(frame(9))).isFalse();
    }

    @Test
    void blockingModeDeliversEveryFrameInOrder() throws Exception {
        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.BLOCKING);
        Thread producer = new Thread(() -> {
            try {
                for (long i = 0; i < 50; i++) {
                    slot.put(frame(i));
                }
                slot.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        List<Long> seen = new ArrayList<>();
        while (true) {
            CapturedFrame f = slot.take(1000);
            if (f == null) {
                break;
            }
            seen.add(f.seq());
            f.close();
            Thread.sleep(1); // slow consumer
        }
        producer.join();
        assertThat(seen).hasSize(50).isSorted();
        assertThat(slot.dropped()).isZero();
    }

    /** awaitTaken waits in BLOCKING mode until the consumer took the frame (or the slot closed); LATEST never waits. */
    @Test
    void awaitTakenWaitsForTheConsumerInBlockingModeOnly() throws Exception {
        LatestFrameSlot latest = new LatestFrameSlot(LatestFrameSlot.Mode.LATEST);
        latest.put(frame(0));
        latest.awaitTaken(); // returns at once although the frame is still there
        latest.take(10).close();

        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.BLOCKING);
        slot.put(frame(0));
        java.util.concurrent.atomic.AtomicLong returnedAtNs = new java.util.concurrent.atomic.AtomicLong();
        Thread producer = new Thread(() -> {
            try {
                slot.awaitTaken();
                returnedAtNs.set(System.nanoTime());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        Thread.sleep(200);
        assertThat(returnedAtNs.get()).as("still waiting while the frame is in the slot").isZero();
        long takenAtNs = System.nanoTime();
        slot.take(10).close();
        producer.join(5_000);
        assertThat(returnedAtNs.get()).as("returned once the frame was taken").isGreaterThanOrEqualTo(takenAtNs);

        slot.put(frame(1));
        Thread closer = new Thread(slot::close);
        closer.start();
        slot.awaitTaken(); // a closed slot ends the wait
        closer.join();
        slot.take(10).close();
    }
}
