package io.edgewatch.capture;

import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, item 6: a source that declares frames larger than {@code edgewatch.capture.max-frame-px} is refused
 * before a frame is decoded, with an error naming the camera, the size and the key; within the limit it plays.
 */
class FrameSizeLimitTest {

    @Test
    void aSourceLargerThanTheLimitIsRefusedBeforeDecoding() throws Exception {
        CaptureSettings cs = CaptureSettings.defaults("big", TestPaths.vtest().toString()).withMaxFramePx(512); // vtest is 768x576
        LatestFrameSlot slot = new LatestFrameSlot(cs.handOff());
        CaptureStats stats = new CaptureStats("big");
        CaptureWorker w = new CaptureWorker(cs, slot, stats, 0);
        w.run(); // on this thread: returns once the camera is refused
        assertThat(stats.state()).isEqualTo(CaptureState.FAILED);
        assertThat(stats.framesReceived()).isZero();
        assertThat(stats.lastError()).contains("camera big", "declares 768x576 frames", "edgewatch.capture.max-frame-px (512x512)");
    }

    @Test
    void aSourceWithinTheLimitPlays() throws Exception {
        CaptureSettings cs = CaptureSettings.defaults("ok", TestPaths.vtest().toString());
        assertThat(cs.maxFramePx()).isEqualTo(4096);
        LatestFrameSlot slot = new LatestFrameSlot(cs.handOff());
        CaptureStats stats = new CaptureStats("ok");
        CaptureWorker w = new CaptureWorker(cs, slot, stats, 5);
        Thread t = new Thread(w);
        t.start();
        int frames = 0;
        CapturedFrame f;
        while ((f = slot.take(20_000)) != null) {
            frames++;
            f.close();
        }
        t.join(30_000);
        assertThat(frames).isEqualTo(5);
        assertThat(stats.state()).isNotEqualTo(CaptureState.FAILED);
    }
}
