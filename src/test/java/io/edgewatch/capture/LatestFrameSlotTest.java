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
}
