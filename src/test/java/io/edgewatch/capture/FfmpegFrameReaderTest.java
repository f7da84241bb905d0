package io.edgewatch.capture;

import io.edgewatch.testsupport.TestPaths;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FfmpegFrameReaderTest {

    @Test
    void decodesEveryFrameOfTheSampleVideo() throws Exception {
        CaptureSettings s = CaptureSettings.defaults("t", TestPaths.vtest().toString());
        assertThat(s.kind()).isEqualTo(SourceKind.FILE);
        assertThat(s.handOff()).isEqualTo(LatestFrameSlot.Mode.BLOCKING);
        long frames = 0;
        long lastStreamMs = -1;
        try (FfmpegFrameReader r = new FfmpegFrameReader(s, 0)) {
            r.open();
            assertThat(r.width()).isEqualTo(768);
            assertThat(r.height()).isEqualTo(576);
            assertThat(r.frameRate()).isEqualTo(10.0);
            while (true) {
                CapturedFrame f = r.next();
                if (f == null) {
                    break;
                }
                try (f) {
                    assertThat(f.seq()).isEqualTo(frames);
                    assertThat(f.image().channels()).isEqualTo(3);
                    assertThat(f.streamTimeMs()).isGreaterThan(lastStreamMs);
                    lastStreamMs = f.streamTimeMs();
                }
                frames++;
            }
            assertThat(r.corruptFrames()).isZero();
        }
        assertThat(frames).isEqualTo(795);
        assertThat(lastStreamMs).isEqualTo(79_400); // 10 fps: frame 794 at 79.4 s
    }

    /**
     * edgewatch.capture.decoder-threads bounds FFmpeg's frame threads of a camera ("av:" threads of this process):
     * TUD-Campus is MPEG-4 Part 2, which FFmpeg decodes with frame threading.
     */
    @Test
    void decoderThreadsAreBoundedPerCamera() throws Exception {
        String clip = TestPaths.sharedMedia("tracking/TUD-Campus/TUD-Campus.mp4").toString();
        assertThat(decoderThreadsWhileReading(CaptureSettings.defaults("t", clip).withDecoderThreads(1))).isZero();
        assertThat(decoderThreadsWhileReading(CaptureSettings.defaults("t", clip).withDecoderThreads(2))).isEqualTo(2);
        assertThat(CaptureSettings.defaults("t", clip).decoderThreads()).isEqualTo(CaptureSettings.DEFAULT_DECODER_THREADS);
        // FFmpeg's automatic choice: cores + 1 frame threads, capped by FFmpeg at 16
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(decoderThreadsWhileReading(CaptureSettings.defaults("t", clip).withDecoderThreads(0))).isEqualTo(Math.min(cores + 1, 16));
    }

    private static long decoderThreadsWhileReading(CaptureSettings s) throws Exception {
        try (FfmpegFrameReader r = new FfmpegFrameReader(s, 0)) {
            r.open();
            for (int i = 0; i < 5; i++) {
                try (CapturedFrame f = r.next()) {
                    assertThat(f).isNotNull();
                }
            }
            try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
                return tasks.filter(t -> {
                    try {
                        return java.nio.file.Files.readString(t.resolve("comm")).startsWith("av:");
                    } catch (java.io.IOException e) {
                        return false; // the thread ended meanwhile
                    }
                }).count();
            }
        }
    }

    @Test
    void unreadableFileFailsTheCameraWithItsPath() throws Exception {
        CaptureSettings s = CaptureSettings.defaults("bad", "/nonexistent/clip.avi");
        LatestFrameSlot slot = new LatestFrameSlot(s.handOff());
        CaptureStats stats = new CaptureStats("bad");
        new CaptureWorker(s, slot, stats, 0).start().join(10_000);
        assertThat(stats.state()).isEqualTo(CaptureState.FAILED);
        assertThat(stats.lastError()).contains("/nonexistent/clip.avi");
        assertThat(slot.finished()).isTrue();
    }

    @Test
    void missingCameraDeviceIsNamedAndRetried() throws Exception {
        CaptureSettings s = CaptureSettings.defaults("usb", "/dev/video97");
        LatestFrameSlot slot = new LatestFrameSlot(s.handOff());
        CaptureStats stats = new CaptureStats("usb");
        CaptureWorker w = new CaptureWorker(s, slot, stats, 0);
        Thread t = w.start();
        long end = System.currentTimeMillis() + 10_000;
        while (stats.lastError() == null && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        w.stop();
        t.join(10_000);
        assertThat(stats.lastError()).contains("device /dev/video97 does not exist (camera unplugged, or DeviceAllow/--device missing)");
        assertThat(stats.state()).isNotEqualTo(CaptureState.FAILED); // a live source is retried, not given up
    }

    @Test
    void sourceKindsAndCredentialRedaction() {
        assertThat(SourceKind.of("rtsp://u:p@10.0.0.1/s")).isEqualTo(SourceKind.RTSP);
        assertThat(SourceKind.of("/dev/video0")).isEqualTo(SourceKind.V4L2);
        assertThat(SourceKind.of("http://cam/mjpg")).isEqualTo(SourceKind.NETWORK);
        assertThat(SourceKind.of("clips/a.mp4")).isEqualTo(SourceKind.FILE);
        assertThat(CaptureWorker.redact("rtsp://viewer:secret@10.0.0.1:554/s")).isEqualTo("rtsp://***@10.0.0.1:554/s");
    }
}
