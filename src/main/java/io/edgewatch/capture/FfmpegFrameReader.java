package io.edgewatch.capture;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Reads decoded BGR frames from one source with JavaCV's {@link FFmpegFrameGrabber}, synchronously: the
 * building block of {@link CaptureWorker} and of the benchmark. Sets the FFmpeg options of the source kind
 * (RTSP transport and socket time-out, read time-out for other network URLs, the V4L2 input format). Frame
 * times are wall-clock for live sources and open time plus presentation time for files.
 * Not thread-safe.
 */
public final class FfmpegFrameReader implements AutoCloseable {
    static {
        FfmpegLog.install(); // FFmpeg's errors through the (redacting) application log
    }

    private final CaptureSettings settings;
    private final FFmpegFrameGrabber grabber;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private long seq;
    private long corrupt;
    private long openedAtMs;
    private long lastPtsMs = -1;

    /**
     * @param firstSeq sequence number given to the first frame (continues across reconnects)
     */
    public FfmpegFrameReader(CaptureSettings settings, long firstSeq) {
        this(settings, firstSeq, settings.source());
    }

    /**
     * @param firstSeq sequence number given to the first frame (continues across reconnects)
     * @param openUrl  what FFmpeg opens instead of {@code settings.source()} (the capture relay's loopback URL)
     */
    FfmpegFrameReader(CaptureSettings settings, long firstSeq, String openUrl) {
        this.settings = settings;
        this.seq = firstSeq;
        // user info percent-encoded: a password with '@', '/' or ':' written raw still names the right host
        this.grabber = new FFmpegFrameGrabber(io.edgewatch.util.Redaction.withEncodedUserInfo(openUrl));
        long readUs = settings.readTimeoutMs() * 1000;
        switch (settings.kind()) {
            case RTSP -> {
                grabber.setOption("rtsp_transport", settings.rtspTransport());
                grabber.setOption("timeout", Long.toString(readUs)); // socket I/O time-out, us (FFmpeg >= 5)
            }
            case NETWORK -> grabber.setOption("rw_timeout", Long.toString(readUs));
            case V4L2 -> grabber.setFormat("video4linux2");
            case FILE -> { }
        }
        grabber.setTimeout((int) Math.min(Integer.MAX_VALUE, settings.openTimeoutMs()));
    }

    /**
     * Opens the source.
     *
     * @throws FrameGrabber.Exception when FFmpeg cannot open or probe it
     */
    public void open() throws FrameGrabber.Exception {
        FfmpegLog.clear();
        // startUnsafe, not start(): start() holds a JVM-wide lock (avcodec.class) for the whole open, so one camera
        // hanging in its RTSP handshake would block every other camera's open. avcodec_open2 has been thread-safe
        // since FFmpeg 4 (no lock manager needed), so per-camera opens can run in parallel.
        grabber.startUnsafe();
        openedAtMs = System.currentTimeMillis();
    }

    /**
     * Decodes the next video frame into a new BGR image owned by the caller.
     *
     * @return the frame, or null at the end of the stream
     * @throws FrameGrabber.Exception on a read error
     */
    public CapturedFrame next() throws FrameGrabber.Exception {
        while (true) {
            Frame f = grabber.grabImage();
            if (f == null) {
                return null;
            }
            Mat view = f.image == null ? null : converter.convert(f);
            if (view == null || view.empty()) {
                corrupt++;
                continue;
            }
            Mat copy = view.clone();
            long pts = grabber.getTimestamp() >= 0 ? grabber.getTimestamp() / 1000 : -1;
            countSkipped(pts);
            // a replayed file keeps its own timeline (open time + presentation time), so durations, path sampling
            // and update intervals mean the same as on a live camera however fast the file is decoded
            long time = settings.kind() == SourceKind.FILE && pts >= 0 ? openedAtMs + pts : System.currentTimeMillis();
            return new CapturedFrame(copy, copy.cols(), copy.rows(), seq++, time, pts);
        }
    }

    /**
     * Counts frames the demuxer or decoder dropped (corrupt data: FFmpeg conceals or skips them without an error):
     * a presentation-time step of more than 1.5 frame intervals at the declared frame rate counts the missing
     * frames.
     */
    private void countSkipped(long ptsMs) {
        double fps = grabber.getFrameRate();
        if (ptsMs >= 0 && lastPtsMs >= 0 && fps > 0 && fps < 1000) {
            double intervalMs = 1000.0 / fps;
            long step = ptsMs - lastPtsMs;
            if (step > 1.5 * intervalMs) {
                corrupt += Math.round(step / intervalMs) - 1;
            }
        }
        if (ptsMs >= 0) {
            lastPtsMs = ptsMs;
        }
    }

    /** Frame rate the container or stream declares, Hz (0 when unknown). */
    public double frameRate() {
        return grabber.getFrameRate();
    }

    public int width() {
        return grabber.getImageWidth();
    }

    public int height() {
        return grabber.getImageHeight();
    }

    public String codec() {
        return grabber.getVideoCodecName();
    }

    /**
     * Frames skipped as corrupt: decoded without an image, or missing from the presentation timeline (the decoder
     * or demuxer dropped them).
     */
    public long corruptFrames() {
        return corrupt;
    }

    /** Sequence number the next frame will get. */
    public long nextSeq() {
        return seq;
    }

    @Override
    public void close() {
        try {
            grabber.close();
        } catch (FrameGrabber.Exception e) {
            // closing a broken stream: nothing more to do
        }
        converter.close();
    }
}
