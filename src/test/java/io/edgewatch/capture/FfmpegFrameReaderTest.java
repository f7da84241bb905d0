package io.edgewatch.capture;

import io.edgewatch.testsupport.TestPaths;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
     * The reader's own conversion (one sws_scale from the decoder's picture into the frame's image) gives the same
     * pixels as JavaCV's grabImage plus OpenCVFrameConverter, which it replaced, on the sample video (yuv420p) and on
     * TUD-Campus (another codec).
     */
    @Test
    void convertedFramesHaveJavaCvsPixels() throws Exception {
        for (String clip : List.of(TestPaths.vtest().toString(), TestPaths.sharedMedia("tracking/TUD-Campus/TUD-Campus.mp4").toString())) {
            assertThat(framesLikeJavaCv(clip, 40).frames()).isEqualTo(40);
        }
    }

    /**
     * Reads up to {@code max} frames of {@code file} with the reader and with JavaCV's grabImage plus
     * OpenCVFrameConverter side by side and asserts every pixel equal.
     *
     * @return the frames compared and the width of the last one, pixels
     */
    private static Compared framesLikeJavaCv(String file, int max) throws Exception {
        int frames = 0;
        int widthPx = 0;
        try (FfmpegFrameReader r = new FfmpegFrameReader(CaptureSettings.defaults("t", file), 0);
             FFmpegFrameGrabber g = new FFmpegFrameGrabber(file);
             OpenCVFrameConverter.ToMat toMat = new OpenCVFrameConverter.ToMat()) {
            r.open();
            g.start();
            for (Frame jf = g.grabImage(); jf != null && frames < max; jf = g.grabImage(), frames++) {
                Mat reference = toMat.convert(jf);
                try (CapturedFrame f = r.next(); Mat diff = new Mat()) {
                    assertThat(f).as("%s frame %d", file, frames).isNotNull();
                    assertThat(f.image().type()).isEqualTo(reference.type());
                    assertThat(f.width()).isEqualTo(reference.cols());
                    assertThat(f.height()).isEqualTo(reference.rows());
                    widthPx = f.width();
                    opencv_core.absdiff(f.image(), reference, diff);
                    assertThat(opencv_core.countNonZero(diff.reshape(1, 0))).as("%s frame %d: pixels that differ", file, frames).isZero();
                }
            }
            if (frames < max) {
                assertThat(r.next()).as("%s ends where JavaCV's grabber ends", file).isNull();
            }
        }
        return new Compared(frames, widthPx);
    }

    private record Compared(int frames, int widthPx) {
    }

    /**
     * Widths that are not a multiple of 64 pixels and other pixel formats, in clips made here with FFmpeg (random
     * pixels, so every column counts): the same pixels as JavaCV's conversion, the last columns included (an unaligned
     * destination once left swscale's last two columns black), for MPEG-4 4:2:0 at 642x482 (CIF-like odd sizes), FFV1
     * 4:4:4, grey and 10-bit at 352x288, and MJPEG full-range 4:2:2 at 720x480.
     */
    @Test
    void oddWidthsAndPixelFormatsConvertLikeJavaCv(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        record Clip(String name, int codec, int pixelFormat, int width, int height) { }
        List<Clip> clips = List.of(
                new Clip("mpeg4.avi", avcodec.AV_CODEC_ID_MPEG4, avutil.AV_PIX_FMT_YUV420P, 642, 482),
                new Clip("ffv1-444.mkv", avcodec.AV_CODEC_ID_FFV1, avutil.AV_PIX_FMT_YUV444P, 352, 288),
                new Clip("ffv1-gray.mkv", avcodec.AV_CODEC_ID_FFV1, avutil.AV_PIX_FMT_GRAY8, 352, 288),
                new Clip("ffv1-10bit.mkv", avcodec.AV_CODEC_ID_FFV1, avutil.AV_PIX_FMT_YUV420P10LE, 352, 288),
                new Clip("mjpeg.avi", avcodec.AV_CODEC_ID_MJPEG, avutil.AV_PIX_FMT_YUVJ422P, 720, 480));
        for (Clip c : clips) {
            String file = dir.resolve(c.name()).toString();
            try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file, c.width(), c.height());
                 OpenCVFrameConverter.ToMat toFrame = new OpenCVFrameConverter.ToMat()) {
                rec.setVideoCodec(c.codec());
                rec.setPixelFormat(c.pixelFormat());
                rec.setFrameRate(10);
                rec.setFormat(c.name().endsWith(".mkv") ? "matroska" : "avi");
                rec.start();
                for (int i = 0; i < 5; i++) {
                    try (Mat noise = new Mat(c.height(), c.width(), opencv_core.CV_8UC3)) {
                        opencv_core.randu(noise, new Mat(1, 1, opencv_core.CV_64F, new Scalar(0)), new Mat(1, 1, opencv_core.CV_64F, new Scalar(255)));
                        rec.record(toFrame.convert(noise));
                    }
                }
                rec.stop();
            }
            Compared compared = framesLikeJavaCv(file, Integer.MAX_VALUE);
            assertThat(compared.frames()).as(c.name()).isEqualTo(5);
            assertThat(compared.widthPx()).as(c.name()).isEqualTo(c.width());
        }
    }

    /**
     * The grey copy for motion detection (the decoder's luma scaled by area averaging, full range) matches what OpenCV
     * makes of the BGR frame (BGR to grey, area resize to the same size) within a grey level or two on average, on the
     * sample video (limited-range 4:2:0), TUD-Campus, and full-range MJPEG 4:2:2 and grey FFV1 clips made here; no copy
     * unless asked for, and a width out of range is refused.
     */
    @Test
    void aFileUrlIsOpenedAsThePathItNames() throws Exception {
        String path = TestPaths.vtest().toAbsolutePath().toString();
        CaptureSettings s = CaptureSettings.defaults("t", TestPaths.vtest().toAbsolutePath().toUri().toString());
        assertThat(s.source()).isEqualTo(path);
        assertThat(s.kind()).isEqualTo(SourceKind.FILE);
        try (FfmpegFrameReader r = new FfmpegFrameReader(s, 0)) {
            r.open();
            try (CapturedFrame f = r.next()) {
                assertThat(f.image().cols()).isEqualTo(768);
            }
        }
        assertThat(CaptureSettings.defaults("t", "rtsp://cam/s").source()).isEqualTo("rtsp://cam/s");
        assertThatThrownBy(() -> CaptureSettings.defaults("t", "file://otherhost/clip.mp4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source file://otherhost/clip.mp4 is not a usable file: URL");
    }

    @Test
    void anAudioOnlyFileIsRefusedAtOpenNotOpenedAsA0x0Video(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String file = dir.resolve("tone.wav").toString();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file, 1)) { // one audio channel, no video
            rec.setFormat("wav");
            rec.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
            rec.setSampleRate(16000);
            rec.start();
            java.nio.ShortBuffer samples = java.nio.ShortBuffer.allocate(16000);
            for (int i = 0; i < 16000; i++) {
                samples.put((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000.0)));
            }
            samples.flip();
            rec.recordSamples(16000, 1, samples);
            rec.stop();
        }
        try (FfmpegFrameReader r = new FfmpegFrameReader(CaptureSettings.defaults("t", file), 0)) {
            assertThatThrownBy(r::open).isInstanceOf(org.bytedeco.javacv.FrameGrabber.Exception.class)
                    .hasMessage("no video stream in " + file + " (audio only): not a camera or video file");
        }
    }

    @Test
    void greyCopyMatchesOpenCvsGreyOfTheFrame(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        List<String> clips = new java.util.ArrayList<>(List.of(TestPaths.vtest().toString(),
                TestPaths.sharedMedia("tracking/TUD-Campus/TUD-Campus.mp4").toString()));
        for (int[] c : new int[][]{{avcodec.AV_CODEC_ID_MJPEG, avutil.AV_PIX_FMT_YUVJ422P}, {avcodec.AV_CODEC_ID_FFV1, avutil.AV_PIX_FMT_GRAY8}}) {
            String file = dir.resolve(c[0] == avcodec.AV_CODEC_ID_MJPEG ? "mjpeg.avi" : "gray.mkv").toString();
            try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file, 720, 480);
                 OpenCVFrameConverter.ToMat toFrame = new OpenCVFrameConverter.ToMat();
                 Mat img = new Mat(480, 720, opencv_core.CV_8UC3)) {
                rec.setVideoCodec(c[0]);
                rec.setPixelFormat(c[1]);
                rec.setFrameRate(10);
                rec.setFormat(file.endsWith(".mkv") ? "matroska" : "avi");
                rec.start();
                for (int i = 0; i < 5; i++) { // a horizontal ramp 0..255 with a bright square moving over it: every level
                    try (org.bytedeco.javacpp.indexer.UByteIndexer ix = img.createIndexer()) {
                        for (int y = 0; y < 480; y++) {
                            for (int x = 0; x < 720; x++) {
                                int v = x * 255 / 719;
                                boolean square = x >= 100 + 40 * i && x < 200 + 40 * i && y >= 150 && y < 250;
                                ix.put(y, x, 0, square ? 250 : v);
                                ix.put(y, x, 1, square ? 240 : v);
                                ix.put(y, x, 2, square ? 20 : v);
                            }
                        }
                    }
                    rec.record(toFrame.convert(img));
                }
                rec.stop();
            }
            clips.add(file);
        }
        for (String clip : clips) {
            CaptureSettings s = CaptureSettings.defaults("t", clip);
            int frames = 0;
            try (FfmpegFrameReader r = new FfmpegFrameReader(s, 0)) {
                r.greyCopy(320);
                r.open();
                int[] size = FfmpegFrameReader.greySize(320, r.width(), r.height());
                for (; frames < 20; frames++) {
                    CapturedFrame next = r.next();
                    if (next == null) {
                        break;
                    }
                    try (CapturedFrame f = next; Mat grey = new Mat(); Mat small = new Mat(); Mat diff = new Mat()) {
                        assertThat(f.grey()).as(clip).isNotNull();
                        assertThat(f.grey().type()).isEqualTo(opencv_core.CV_8UC1);
                        assertThat(new int[]{f.grey().cols(), f.grey().rows()}).as(clip).isEqualTo(size);
                        org.bytedeco.opencv.global.opencv_imgproc.cvtColor(f.image(), grey, org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY);
                        org.bytedeco.opencv.global.opencv_imgproc.resize(grey, small, new org.bytedeco.opencv.opencv_core.Size(size[0], size[1]), 0, 0,
                                org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA);
                        opencv_core.absdiff(small, f.grey(), diff);
                        double mean = opencv_core.mean(diff).get(0);
                        double mean0 = opencv_core.mean(small).get(0);
                        double mean1 = opencv_core.mean(f.grey()).get(0);
                        assertThat(mean).as("%s frame %d: mean |grey copy - OpenCV's grey| (means %.1f, %.1f)", clip, f.seq(), mean0, mean1).isLessThan(2.0);
                    }
                }
            }
            assertThat(frames).as(clip).isGreaterThanOrEqualTo(5);
        }
        try (FfmpegFrameReader r = new FfmpegFrameReader(CaptureSettings.defaults("t", TestPaths.vtest().toString()), 0)) {
            r.open();
            try (CapturedFrame f = r.next()) {
                assertThat(f.grey()).as("no grey copy unless asked for").isNull();
            }
            assertThatThrownBy(() -> r.greyCopy(15)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16..1920 pixels, was 15");
        }
        assertThat(FfmpegFrameReader.greySize(320, 768, 576)).containsExactly(320, 240);
        assertThat(FfmpegFrameReader.greySize(320, 200, 100)).containsExactly(200, 100);
    }

    /**
     * The reader refuses to convert a picture larger than max-frame-px whatever the stream declared at open (a size
     * change mid-stream): such frames count as corrupt, none is handed over, and the stream still ends normally.
     */
    @Test
    void picturesLargerThanTheLimitAreNeverConverted() throws Exception {
        CaptureSettings s = CaptureSettings.defaults("t", TestPaths.vtest().toString()).withMaxFramePx(700); // 768 wide
        try (FfmpegFrameReader r = new FfmpegFrameReader(s, 0)) {
            r.open();
            assertThat(r.next()).isNull();
            assertThat(r.corruptFrames()).isEqualTo(795);
            assertThat(r.nextSeq()).isZero();
        }
    }

    /** Skipped frames are decoded but not converted, and keep their numbers and times (gaps for the consumer). */
    @Test
    void skippedFramesKeepTheirNumbersAndTimes() throws Exception {
        try (FfmpegFrameReader r = new FfmpegFrameReader(CaptureSettings.defaults("t", TestPaths.vtest().toString()), 0)) {
            r.open();
            long previousTimeMs = -1;
            for (int i = 0; i < 20; i++) {
                assertThat(r.decode()).isTrue();
                assertThat(r.decodedTimeMs()).isGreaterThan(previousTimeMs);
                if (previousTimeMs >= 0) {
                    assertThat(r.decodedTimeMs() - previousTimeMs).isEqualTo(100); // 10 fps stream time
                }
                previousTimeMs = r.decodedTimeMs();
                if (i % 3 == 0) {
                    long t = r.decodedTimeMs();
                    try (CapturedFrame f = r.convert()) {
                        assertThat(f.seq()).isEqualTo(i);
                        assertThat(f.captureTimeMs()).isEqualTo(t);
                        assertThat(f.streamTimeMs()).isEqualTo(100L * i);
                    }
                } else {
                    r.skip();
                }
                assertThat(r.nextSeq()).isEqualTo(i + 1);
            }
            assertThat(r.decode()).isTrue();
            assertThatThrownBy(r::decode).isInstanceOf(IllegalStateException.class).hasMessageContaining("neither converted nor skipped");
        }
    }

    /**
     * With a detection schedule as its demand (detect-fps 5 on the 10 fps sample video), the capture converts only the
     * frames that can be rounds: the consumer still gets every round it would have had from all frames (398 of 795),
     * and most of the other 397 are never converted.
     */
    @Test
    void captureConvertsOnlyTheFramesTheScheduleWants() throws Exception {
        CaptureSettings s = CaptureSettings.defaults("t", TestPaths.vtest().toString());
        LatestFrameSlot slot = new LatestFrameSlot(s.handOff());
        CaptureStats stats = new CaptureStats("t");
        CaptureWorker w = new CaptureWorker(s, slot, stats, 0);
        io.edgewatch.pipeline.DetectionSchedule schedule = new io.edgewatch.pipeline.DetectionSchedule(200);
        w.demand(schedule::wanted);
        w.start();
        long delivered = 0;
        long due = 0;
        while (true) {
            CapturedFrame f = slot.take(10_000);
            if (f == null) {
                break;
            }
            try (f) {
                delivered++;
                if (schedule.due(f.captureTimeMs(), f.seq())) {
                    due++;
                }
            }
        }
        assertThat(stats.framesReceived()).isEqualTo(795);
        assertThat(due).isEqualTo(398); // what the schedule accepts from all 795 frames: every other one
        assertThat(schedule.skipped()).isZero();
        // a file is handed over frame by frame: the capture asks about a frame once the previous one was taken, so nearly
        // all of the 397 frames between rounds are never converted (a consumer slow to judge costs a conversion, no round)
        assertThat(stats.framesNotConverted()).isEqualTo(795 - delivered).isGreaterThan(300);
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
