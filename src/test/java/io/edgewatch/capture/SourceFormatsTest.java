package io.edgewatch.capture;

import io.edgewatch.testsupport.RtspServer;
import io.edgewatch.testsupport.TestPaths;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.extractChannel;

/**
 * Odd frame sizes, grayscale and H.265 over real RTSP (GStreamer encodes vtest.avi on the fly: x264enc, x265enc),
 * and a file with corrupted bytes: frames decode to BGR at the source's size, or the failure is a clear message.
 */
class SourceFormatsTest {

    @ParameterizedTest(name = "{0} {1} gray={2}")
    @CsvSource({"h264,1366x768,false", "h264,854x480,false", "h264,768x576,true", "h265,768x576,false", "h265,854x480,true"})
    void decodesOverRtsp(String codec, String size, boolean gray) throws Exception {
        String[] args = gray ? new String[]{"--codec", codec, "--size", size, "--gray"} : new String[]{"--codec", codec, "--size", size};
        try (RtspServer server = RtspServer.start(TestPaths.vtest(), args)) {
            CaptureSettings cs = new CaptureSettings("fmt", server.url(), "tcp", 15_000, 15_000, 100, 1_000, 0, 10_000);
            int w = Integer.parseInt(size.split("x")[0]);
            int h = Integer.parseInt(size.split("x")[1]);
            try (FfmpegFrameReader reader = new FfmpegFrameReader(cs, 0)) {
                reader.open();
                assertThat(reader.codec()).isEqualTo(codec.equals("h265") ? "hevc" : "h264");
                for (int i = 0; i < 10; i++) {
                    try (CapturedFrame f = reader.next()) {
                        assertThat(f).as("frame %d", i).isNotNull();
                        assertThat(f.width()).isEqualTo(w);
                        assertThat(f.height()).isEqualTo(h);
                        assertThat(f.image().channels()).isEqualTo(3);
                        if (gray && i == 9) {
                            try (Mat b = new Mat(); Mat r = new Mat(); Mat d = new Mat()) {
                                extractChannel(f.image(), b, 0);
                                extractChannel(f.image(), r, 2);
                                absdiff(b, r, d);
                                assertThat(countNonZero(d)).as("grayscale source: B == R").isLessThan(w * h / 100);
                            }
                        }
                    }
                }
                System.out.printf("%s %s%s: 10 frames %dx%d decoded, corrupt %d%n", codec, size, gray ? " gray" : "", w, h, reader.corruptFrames());
            }
        }
    }

    @Test
    void corruptBytesAreSkippedAndTheFileEnds() throws Exception {
        long intact = decodeAll(TestPaths.vtest(), new CaptureStats("intact"));
        byte[] b = Files.readAllBytes(TestPaths.vtest());
        Random r = new Random(3);
        // damage 400 runs of 2 KiB in the middle of the file (headers and index intact)
        for (int i = 0; i < 400; i++) {
            int pos = 100_000 + r.nextInt(b.length - 200_000);
            for (int k = 0; k < 2048; k++) {
                b[pos + k] = (byte) r.nextInt(256);
            }
        }
        Path f = Files.createTempFile("vtest-corrupt", ".avi");
        Files.write(f, b);
        CaptureStats stats = new CaptureStats("corrupt");
        long frames = decodeAll(f, stats);
        System.out.printf("corrupted vtest.avi: %d of %d frames decoded, %d corrupt frames skipped and counted, state %s%n",
                frames, intact, stats.corruptFrames(), stats.state());
        assertThat(stats.state()).isEqualTo(CaptureState.ENDED);
        assertThat(frames).isGreaterThan(intact / 2);
        assertThat(frames).isLessThan(intact); // the damage really cost frames
        // FFmpeg's MS-MPEG4/AVI path drops damaged frames without an error or a timestamp gap, so they cannot be
        // told apart here; what is counted must never exceed what was lost
        assertThat(stats.corruptFrames()).isLessThanOrEqualTo(intact - frames);
        Files.delete(f);
    }

    /**
     * An uncompressed BGR AVI stored bottom-up (BITMAPINFOHEADER's positive height: the last row first, as most
     * Windows tools write it): FFmpeg hands such a picture with a negative stride, which JavaCV's RAW mode could not
     * wrap ("newLimit < 0", no frame read). Every frame decodes, upright, with its grey copy.
     */
    @Test
    void bottomUpUncompressedAviDecodesUpright() throws Exception {
        int w = 64;
        int h = 48;
        Path f = Files.createTempFile("bottom-up", ".avi");
        try (org.bytedeco.javacv.FFmpegFrameRecorder rec = new org.bytedeco.javacv.FFmpegFrameRecorder(f.toFile(), w, h, 0);
             org.bytedeco.javacv.OpenCVFrameConverter.ToMat conv = new org.bytedeco.javacv.OpenCVFrameConverter.ToMat()) {
            rec.setFormat("avi");
            rec.setVideoCodec(org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_RAWVIDEO);
            rec.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
            rec.setFrameRate(10);
            rec.start();
            for (int i = 0; i < 5; i++) {
                // top half red, bottom half blue, stored with the rows reversed (FFmpeg writes top-down)
                try (Mat m = new Mat(h, w, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new org.bytedeco.opencv.opencv_core.Scalar(255, 0, 0, 0));
                     Mat top = m.rowRange(0, h / 2); Mat flipped = new Mat()) {
                    top.put(new org.bytedeco.opencv.opencv_core.Scalar(0, 0, 255, 0));
                    org.bytedeco.opencv.global.opencv_core.flip(m, flipped, 0);
                    rec.record(conv.convert(flipped));
                }
            }
            rec.stop();
        }
        // FFmpeg marks its raw BGR as top-down (negative biHeight); make it bottom-up
        byte[] b = Files.readAllBytes(f);
        int strf = new String(b, 0, Math.min(b.length, 8192), java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("strf");
        java.nio.ByteBuffer hdr = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(hdr.getInt(strf + 16)).as("FFmpeg's biHeight").isEqualTo(-h);
        hdr.putInt(strf + 16, h);
        Files.write(f, b);
        try (FfmpegFrameReader reader = new FfmpegFrameReader(CaptureSettings.defaults("bmp", f.toString()), 0)) {
            reader.open();
            reader.greyCopy(32);
            int frames = 0;
            CapturedFrame fr;
            while ((fr = reader.next()) != null) {
                try (CapturedFrame c = fr; org.bytedeco.javacpp.indexer.UByteIndexer ix = c.image().createIndexer()) {
                    assertThat(c.width()).isEqualTo(w);
                    assertThat(c.height()).isEqualTo(h);
                    assertThat(new int[]{ix.get(2, 5, 0), ix.get(2, 5, 2)}).as("top row: red (B, R)").containsExactly(0, 255);
                    assertThat(new int[]{ix.get(h - 3, 5, 0), ix.get(h - 3, 5, 2)}).as("bottom row: blue (B, R)").containsExactly(255, 0);
                    assertThat(c.grey()).as("grey copy").isNotNull();
                    assertThat(c.grey().cols()).isEqualTo(32);
                }
                frames++;
            }
            assertThat(frames).isEqualTo(5);
            assertThat(reader.corruptFrames()).isZero();
        }
        Files.delete(f);
    }

    private static long decodeAll(Path f, CaptureStats stats) throws InterruptedException {
        LatestFrameSlot slot = new LatestFrameSlot(LatestFrameSlot.Mode.BLOCKING);
        CaptureWorker w = new CaptureWorker(CaptureSettings.defaults("corrupt", f.toString()), slot, stats, 0);
        w.start();
        long frames = 0;
        while (!slot.finished()) {
            CapturedFrame fr = slot.take(1_000);
            if (fr != null) {
                assertThat(fr.width()).isEqualTo(768);
                fr.close();
                frames++;
            }
        }
        return frames;
    }
}
