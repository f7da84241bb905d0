package io.edgewatch.capture;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Reads decoded BGR frames from one source with JavaCV's {@link FFmpegFrameGrabber}, synchronously: the
 * building block of {@link CaptureWorker} and of the benchmark. Sets the FFmpeg options of the source kind
 * (RTSP transport and socket time-out, read time-out for other network URLs, the V4L2 input format). Frame
 * times are wall-clock for live sources and open time plus presentation time for files.
 * <p>
 * TLS sources ({@link CameraTls#isTlsSource(String)}) with certificate checking on (the default) are opened through a
 * {@link TlsTunnel}: the agent makes and checks the TLS connection, FFmpeg reads the plain stream from loopback. With
 * checking on, FFmpeg itself may not open TLS at all ({@code protocol_blacklist=tls}), so a redirect or playlist entry
 * to an {@code https://} URL fails instead of going unchecked. Not thread-safe, except {@link #abort()}.
 */
public final class FfmpegFrameReader implements AutoCloseable {
    static {
        FfmpegLog.install(); // FFmpeg's errors through the (redacting) application log
    }

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(FfmpegFrameReader.class);
    private final CaptureSettings settings;
    private final String openUrl;
    private FFmpegFrameGrabber grabber;
    private volatile TlsTunnel tunnel;
    /** Row alignment of converted frames, pixels (64 BGR pixels = 192 bytes, a multiple of any SIMD width). */
    private static final int ROW_ALIGN_PX = 64;
    private SwsContext sws; // cached colour conversion context (sws_getCachedContext)
    private final PointerPointer<BytePointer> dstData = new PointerPointer<>(1); // sws_scale's destination plane, reused
    private final IntPointer dstStride = new IntPointer(1);
    private int greyWidthPx; // 0: no small grey copy
    private SwsContext greySws; // cached luma-only scaling context for the small grey copy
    private SwsContext greySwsRanged; // the context greySws was last given full-range output for
    private final PointerPointer<BytePointer> greyData = new PointerPointer<>(1);
    private final IntPointer greyStride = new IntPointer(1);
    private AVFrame decoded; // the decoder's picture between decode() and convert()/skip(), owned by the grabber
    private long decodedTimeMs;
    private long decodedPtsMs = -1;
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
        this.openUrl = openUrl;
    }

    private FFmpegFrameGrabber newGrabber(String url, String hostHeader) {
        // user info percent-encoded: a password with '@', '/' or ':' written raw still names the right host
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(io.edgewatch.util.Redaction.withEncodedUserInfo(url));
        long readUs = settings.readTimeoutMs() * 1000;
        switch (settings.kind()) {
            case RTSP -> {
                // RTSPS carries media inside its one TLS connection: interleaved over TCP, also through the tunnel
                g.setOption("rtsp_transport", tunnel != null ? "tcp" : settings.rtspTransport());
                g.setOption("timeout", Long.toString(readUs)); // socket I/O time-out, us (FFmpeg >= 5)
            }
            case NETWORK -> g.setOption("rw_timeout", Long.toString(readUs));
            case V4L2 -> g.setFormat("video4linux2");
            case FILE -> { }
        }
        if (settings.tls().verify() && (settings.kind() == SourceKind.RTSP || settings.kind() == SourceKind.NETWORK)) {
            g.setOption("protocol_blacklist", "tls"); // FFmpeg's TLS checks nothing here: only the tunnel's is used
        }
        if (hostHeader != null) {
            g.setOption("headers", "Host: " + hostHeader + "\r\n"); // the camera's name, not the tunnel's loopback address
        }
        if (settings.decoderThreads() > 0) {
            g.setVideoOption("threads", Integer.toString(settings.decoderThreads())); // AVCodecContext.thread_count
        }
        g.setTimeout((int) Math.min(Integer.MAX_VALUE, settings.openTimeoutMs()));
        g.setImageMode(FrameGrabber.ImageMode.RAW); // frames stay in the decoder's format until convert()
        return g;
    }

    /**
     * Opens the source; a checked TLS source is connected and its certificate checked first.
     *
     * @throws FrameGrabber.Exception when FFmpeg cannot open or probe it, when it has no video stream (audio only), or
     *                                when a TLS camera is refused (the message says why: certificate untrusted,
     *                                self-signed, expired or for another host, no TLS on the port, a ca-file that cannot
     *                                be used, naming its key)
     */
    public void open() throws FrameGrabber.Exception {
        FfmpegLog.clear();
        String url = openUrl;
        String hostHeader = null;
        if (settings.tls().verify() && CameraTls.isTlsSource(openUrl)) {
            try {
                tunnel = new TlsTunnel(settings.cameraId(), openUrl, settings.tls(), (int) Math.min(Integer.MAX_VALUE, settings.openTimeoutMs()));
            } catch (java.io.IOException | RuntimeException e) {
                throw new FrameGrabber.Exception(io.edgewatch.util.Redaction.text(e.getMessage()), e);
            }
            url = tunnel.localUrl();
            hostHeader = tunnel.hostHeader();
        }
        grabber = newGrabber(url, hostHeader);
        // startUnsafe, not start(): start() holds a JVM-wide lock (avcodec.class) for the whole open, so one camera
        // hanging in its RTSP handshake would block every other camera's open. avcodec_open2 has been thread-safe
        // since FFmpeg 4 (no lock manager needed), so per-camera opens can run in parallel.
        grabber.startUnsafe();
        if (grabber.getVideoCodec() == org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_RAWVIDEO) {
            // uncompressed video is often stored bottom-up (AVI, BMP order: a negative linesize), which JavaCV's RAW
            // mode cannot wrap; it is BGR or close to it anyway, so JavaCV's own conversion costs one copy
            grabber.setImageMode(FrameGrabber.ImageMode.COLOR);
        }
        if (!grabber.hasVideo()) {
            // an audio-only file or stream opens fine and then ends without a frame: say so instead of "opened 0x0"
            boolean audio = grabber.hasAudio();
            close();
            throw new FrameGrabber.Exception("no video stream in " + io.edgewatch.util.Redaction.url(settings.source())
                    + (audio ? " (audio only)" : " (FFmpeg found no stream it can decode)") + ": not a camera or video file");
        }
        openedAtMs = System.currentTimeMillis();
    }

    /**
     * Decodes the next video frame into a new BGR image owned by the caller ({@link #decode()} then {@link #convert()}).
     *
     * @return the frame, or null at the end of the stream
     * @throws FrameGrabber.Exception on a read error
     */
    public CapturedFrame next() throws FrameGrabber.Exception {
        return decode() ? convert() : null;
    }

    /**
     * Decodes the next video frame and keeps it in the decoder's own (YUV) buffer, without converting it: the caller
     * then {@link #convert()}s it or {@link #skip()}s it, so a frame nobody will analyse costs only its decoding (the
     * colour conversion and copy are about as dear as decoding itself). Frames without a picture or pixel format, and
     * frames larger than {@code max-frame-px} (a size change mid-stream; the declared size is checked at open), are
     * counted as corrupt and passed over. Uncompressed video and bottom-up pictures (a negative stride) are kept in
     * JavaCV's BGR buffer instead (one copy per frame; the first bottom-up picture of a compressed stream is passed over
     * when the reader switches).
     *
     * @return false at the end of the stream
     * @throws FrameGrabber.Exception on a read error
     * @throws IllegalStateException  when the previous decoded frame was neither converted nor skipped
     */
    public boolean decode() throws FrameGrabber.Exception {
        if (decoded != null) {
            throw new IllegalStateException("the decoded frame " + seq + " was neither converted nor skipped");
        }
        while (true) {
            // ImageMode.RAW: JavaCV hands the picture as decoded (Frame.opaque), without its sws_scale into a BGR buffer
            Frame f;
            try {
                f = grabber.grabImage();
            } catch (IllegalArgumentException e) {
                // JavaCV's RAW mode wraps the picture as (height x linesize) bytes, which fails for a bottom-up picture
                // (negative linesize: an uncompressed BGR AVI, BMP-like codecs): let JavaCV convert to BGR itself from
                // then on (its sws_scale honours the sign); the picture that failed is passed over
                if (grabber.getImageMode() != FrameGrabber.ImageMode.RAW) {
                    throw new FrameGrabber.Exception("camera " + settings.cameraId() + ": cannot read a picture of "
                            + io.edgewatch.util.Redaction.url(settings.source()) + ": " + e.getMessage(), e);
                }
                LOG.infof("camera %s: bottom-up pictures (negative stride); converting through JavaCV's BGR buffer", settings.cameraId());
                grabber.setImageMode(FrameGrabber.ImageMode.COLOR);
                corrupt++;
                continue;
            }
            if (f == null) {
                return false;
            }
            AVFrame picture = f.opaque instanceof AVFrame a ? a : null;
            if (picture == null || picture.data(0) == null || picture.format() < 0 || picture.width() <= 0 || picture.height() <= 0
                    || picture.width() > settings.maxFramePx() || picture.height() > settings.maxFramePx()) {
                corrupt++; // no picture, no pixel format, or a size change mid-stream beyond edgewatch.capture.max-frame-px
                continue;
            }
            decoded = picture;
            decodedPtsMs = grabber.getTimestamp() >= 0 ? grabber.getTimestamp() / 1000 : -1;
            countSkipped(decodedPtsMs);
            // a replayed file keeps its own timeline (open time + presentation time), so durations, path sampling
            // and update intervals mean the same as on a live camera however fast the file is decoded
            decodedTimeMs = settings.kind() == SourceKind.FILE && decodedPtsMs >= 0 ? openedAtMs + decodedPtsMs : System.currentTimeMillis();
            return true;
        }
    }

    /**
     * Time of the frame {@link #decode()} returned, epoch ms, as it will be in {@link CapturedFrame#captureTimeMs()}:
     * open time plus presentation time for a file, wall clock at decode for a live source.
     */
    public long decodedTimeMs() {
        return decodedTimeMs;
    }

    /**
     * Converts the decoded frame into a new BGR image owned by the caller: one {@code sws_scale} from the decoder's
     * buffer straight into the image's memory (bilinear, like JavaCV's own conversion).
     *
     * @throws IllegalStateException  when no frame is decoded
     * @throws FrameGrabber.Exception when FFmpeg cannot convert its pixel format
     */
    public CapturedFrame convert() throws FrameGrabber.Exception {
        AVFrame p = decoded;
        if (p == null) {
            throw new IllegalStateException("no decoded frame to convert");
        }
        decoded = null;
        int w = p.width();
        int h = p.height();
        sws = swscale.sws_getCachedContext(sws, w, h, p.format(), w, h, avutil.AV_PIX_FMT_BGR24, swscale.SWS_BILINEAR,
                null, null, (DoublePointer) null);
        if (sws == null) {
            throw new FrameGrabber.Exception("camera " + settings.cameraId() + ": FFmpeg cannot convert pixel format "
                    + p.format() + " (" + w + "x" + h + ") to BGR");
        }
        // rows padded to a multiple of 64 pixels (as JavaCV's own buffer): swscale's vector code leaves the last pixels of
        // a row unwritten when the destination stride is not aligned (measured: 640 of 642 columns written, the last two
        // black); the frame is the unpadded view, which OpenCV and the stages handle by its step
        int paddedCols = (w + ROW_ALIGN_PX - 1) / ROW_ALIGN_PX * ROW_ALIGN_PX;
        Mat rows = new Mat(h, paddedCols, opencv_core.CV_8UC3);
        dstData.put(0, rows.data());
        dstStride.put(0, paddedCols * 3); // bytes per row
        swscale.sws_scale(sws, new PointerPointer<>(p), p.linesize(), 0, h, dstData, dstStride);
        Mat image = paddedCols == w ? rows : rows.colRange(0, w); // the view shares (and keeps) the pixels
        if (image != rows) {
            rows.close();
        }
        return new CapturedFrame(image, grey(p, w, h), w, h, seq++, decodedTimeMs, decodedPtsMs);
    }

    /**
     * Also makes each converted frame's {@link CapturedFrame#grey()}: the picture's luma scaled by area averaging to
     * {@code widthPx} pixels wide (at most the frame's width; the height keeps the aspect ratio, rounded), full-range
     * 8-bit grey, straight from the decoder's picture (of a YUV picture only the luma plane is read). Motion detection
     * works on such a copy, which costs a fraction of shrinking the BGR frame. Call before the first frame.
     *
     * @param widthPx 16..1920, or 0 for no grey copy (the default)
     * @throws IllegalArgumentException outside that range
     */
    public void greyCopy(int widthPx) {
        greyWidthPx = checkedGreyWidth(widthPx);
    }

    /** {@code widthPx} when it is a valid {@link #greyCopy(int)} width (0 or 16..1920), else IllegalArgumentException. */
    static int checkedGreyWidth(int widthPx) {
        if (widthPx != 0 && (widthPx < 16 || widthPx > 1920)) {
            throw new IllegalArgumentException("grey copy width must be 0 or 16..1920 pixels, was " + widthPx);
        }
        return widthPx;
    }

    /** Width and height of the grey copy of a {@code w x h} frame for {@link #greyCopy(int) widthPx}, pixels. */
    public static int[] greySize(int widthPx, int w, int h) {
        int gw = Math.min(widthPx, w);
        return new int[]{gw, Math.max(1, (int) Math.round((double) h * gw / w))};
    }

    /** The small grey copy of {@code p}; null when none is asked for or FFmpeg cannot make one (motion then shrinks the BGR frame). */
    private Mat grey(AVFrame p, int w, int h) {
        if (greyWidthPx == 0) {
            return null;
        }
        int[] g = greySize(greyWidthPx, w, h);
        greySws = swscale.sws_getCachedContext(greySws, w, h, p.format(), g[0], g[1], avutil.AV_PIX_FMT_GRAY8, swscale.SWS_AREA,
                null, null, (DoublePointer) null);
        if (greySws == null) {
            return null;
        }
        if (greySws != greySwsRanged) {
            // full-range output (0..255, as OpenCV's BGR to grey gives), whatever the source's range: the motion
            // threshold is in grey levels of that scale
            try (PointerPointer<IntPointer> inv = new PointerPointer<>(1); PointerPointer<IntPointer> table = new PointerPointer<>(1);
                 IntPointer srcRange = new IntPointer(1); IntPointer dstRange = new IntPointer(1); IntPointer brightness = new IntPointer(1);
                 IntPointer contrast = new IntPointer(1); IntPointer saturation = new IntPointer(1)) {
                if (swscale.sws_getColorspaceDetails(greySws, inv, srcRange, table, dstRange, brightness, contrast, saturation) >= 0) {
                    swscale.sws_setColorspaceDetails(greySws, new IntPointer(inv.get(0)), srcRange.get(), new IntPointer(table.get(0)), 1,
                            brightness.get(), contrast.get(), saturation.get());
                }
            }
            greySwsRanged = greySws;
        }
        int paddedCols = (g[0] + ROW_ALIGN_PX - 1) / ROW_ALIGN_PX * ROW_ALIGN_PX;
        Mat rows = new Mat(g[1], paddedCols, opencv_core.CV_8UC1);
        greyData.put(0, rows.data());
        greyStride.put(0, paddedCols);
        swscale.sws_scale(greySws, new PointerPointer<>(p), p.linesize(), 0, h, greyData, greyStride);
        Mat grey = paddedCols == g[0] ? rows : rows.colRange(0, g[0]);
        if (grey != rows) {
            rows.close();
        }
        return grey;
    }

    /** Passes over the decoded frame without converting it; it keeps its sequence number (a gap for the consumer). */
    public void skip() {
        if (decoded == null) {
            throw new IllegalStateException("no decoded frame to skip");
        }
        decoded = null;
        seq++;
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

    /** True once {@link #open()} has connected a {@link TlsTunnel} (the source's certificate was checked). */
    boolean tunnelled() {
        return tunnel != null;
    }

    /**
     * Breaks the TLS connection of a tunnelled source, so that a pending open or read fails at once (the capture
     * watchdog's way out of a stall); no effect on other sources. Callable from any thread.
     */
    void abort() {
        TlsTunnel t = tunnel;
        if (t != null) {
            t.close();
        }
    }

    @Override
    public void close() {
        try {
            decoded = null; // the grabber owns the picture
            if (grabber != null) {
                grabber.close();
            }
        } catch (FrameGrabber.Exception e) {
            // closing a broken stream: nothing more to do
        }
        abort();
        if (sws != null) {
            swscale.sws_freeContext(sws);
            sws = null;
        }
        if (greySws != null) {
            swscale.sws_freeContext(greySws);
            greySws = null;
        }
        dstData.close();
        dstStride.close();
        greyData.close();
        greyStride.close();
    }
}
