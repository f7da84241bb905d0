package io.edgewatch.capture;

/**
 * How to open and read one camera source.
 *
 * @param cameraId        camera id, used in logs and events
 * @param source          file path, {@code rtsp://} URL, other FFmpeg URL, or V4L2 device path
 * @param rtspTransport   {@code tcp} (default) or {@code udp}
 * @param openTimeoutMs   time allowed to open the stream, ms
 * @param readTimeoutMs   time a read may block before the stream counts as broken, ms
 * @param reconnectMinMs  first reconnect delay, ms (doubled per failure, capped at {@code reconnectMaxMs}, with jitter)
 * @param reconnectMaxMs  cap of the reconnect delay, ms
 * @param replaySpeed     for files: 0 = as fast as the consumer takes frames, every frame analysed;
 *                        &gt;0 = paced at this multiple of the file's frame rate, latest frame wins
 * @param stallTimeoutMs  live sources: an open stream that delivers no frame for this long is counted as a stall
 *                        and reopened by the watchdog, ms (Frigate: 20 s)
 * @param maxFramePx      largest width and height a source may declare, pixels (a larger one is refused before decoding)
 * @param tls             certificate checking of a TLS source ({@code rtsps://}, {@code https://}, {@code tls://});
 *                        null means {@link CameraTls#SYSTEM} (checked against the system trust store)
 * @param decoderThreads  FFmpeg decoder threads of this camera (its {@code threads} option), 1..16; 0 = FFmpeg's
 *                        automatic choice (cores + 1 frame threads for codecs with frame threading, each holding
 *                        frames and adding a frame of delay)
 */
public record CaptureSettings(String cameraId, String source, String rtspTransport, long openTimeoutMs, long readTimeoutMs,
                              long reconnectMinMs, long reconnectMaxMs, double replaySpeed, long stallTimeoutMs, int maxFramePx,
                              CameraTls tls, int decoderThreads) {
    /** Default of {@link #maxFramePx()}: 4096x4096. */
    public static final int DEFAULT_MAX_FRAME_PX = 4096;
    /** Default of {@link #decoderThreads()} (README "Footprint"). */
    public static final int DEFAULT_DECODER_THREADS = 2;

    public CaptureSettings {
        if (decoderThreads < 0 || decoderThreads > 16) {
            throw new IllegalArgumentException("decoder threads must be 0..16, was " + decoderThreads);
        }
        source = fileUrlToPath(source);
        // a library may repeat the password without its URL: every message is redacted of it from now on
        io.edgewatch.util.Redaction.rememberUrl(source);
        tls = tls == null ? CameraTls.SYSTEM : tls;
    }

    /**
     * A {@code file:} URL ({@code file:///srv/clip.mp4}, {@code file:/srv/clip.mp4}) as the path it names, so it is
     * checked and opened as the file it is; anything else unchanged.
     *
     * @throws IllegalArgumentException when the {@code file:} URL is malformed or names another host
     */
    static String fileUrlToPath(String source) {
        if (source == null || !source.regionMatches(true, 0, "file:", 0, 5)) {
            return source;
        }
        try {
            return java.nio.file.Path.of(java.net.URI.create(source)).toString();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new IllegalArgumentException("source " + source + " is not a usable file: URL (expected file:///path/to/clip.mp4): "
                    + e.getMessage(), e);
        }
    }

    /** Settings with the default number of decoder threads. */
    public CaptureSettings(String cameraId, String source, String rtspTransport, long openTimeoutMs, long readTimeoutMs,
                           long reconnectMinMs, long reconnectMaxMs, double replaySpeed, long stallTimeoutMs, int maxFramePx,
                           CameraTls tls) {
        this(cameraId, source, rtspTransport, openTimeoutMs, readTimeoutMs, reconnectMinMs, reconnectMaxMs, replaySpeed, stallTimeoutMs,
                maxFramePx, tls, DEFAULT_DECODER_THREADS);
    }

    /** Settings whose TLS certificate is checked against the system trust store. */
    public CaptureSettings(String cameraId, String source, String rtspTransport, long openTimeoutMs, long readTimeoutMs,
                           long reconnectMinMs, long reconnectMaxMs, double replaySpeed, long stallTimeoutMs, int maxFramePx) {
        this(cameraId, source, rtspTransport, openTimeoutMs, readTimeoutMs, reconnectMinMs, reconnectMaxMs, replaySpeed, stallTimeoutMs,
                maxFramePx, CameraTls.SYSTEM);
    }

    /** Settings with the default frame size limit. */
    public CaptureSettings(String cameraId, String source, String rtspTransport, long openTimeoutMs, long readTimeoutMs,
                           long reconnectMinMs, long reconnectMaxMs, double replaySpeed, long stallTimeoutMs) {
        this(cameraId, source, rtspTransport, openTimeoutMs, readTimeoutMs, reconnectMinMs, reconnectMaxMs, replaySpeed, stallTimeoutMs,
                DEFAULT_MAX_FRAME_PX);
    }

    /** The same settings with another frame size limit. */
    public CaptureSettings withMaxFramePx(int px) {
        return new CaptureSettings(cameraId, source, rtspTransport, openTimeoutMs, readTimeoutMs, reconnectMinMs, reconnectMaxMs, replaySpeed,
                stallTimeoutMs, px, tls, decoderThreads);
    }

    /** The same settings with another TLS certificate check. */
    public CaptureSettings withTls(CameraTls t) {
        return new CaptureSettings(cameraId, source, rtspTransport, openTimeoutMs, readTimeoutMs, reconnectMinMs, reconnectMaxMs, replaySpeed,
                stallTimeoutMs, maxFramePx, t, decoderThreads);
    }

    /** The same settings with another number of decoder threads (0 = FFmpeg's choice). */
    public CaptureSettings withDecoderThreads(int threads) {
        return new CaptureSettings(cameraId, source, rtspTransport, openTimeoutMs, readTimeoutMs, reconnectMinMs, reconnectMaxMs, replaySpeed,
                stallTimeoutMs, maxFramePx, tls, threads);
    }

    /** Settings with the default stall time-out of 20 s. */
    public CaptureSettings(String cameraId, String source, String rtspTransport, long openTimeoutMs, long readTimeoutMs,
                           long reconnectMinMs, long reconnectMaxMs, double replaySpeed) {
        this(cameraId, source, rtspTransport, openTimeoutMs, readTimeoutMs, reconnectMinMs, reconnectMaxMs, replaySpeed, 20_000);
    }

    /** Defaults for a source: TCP for RTSP, 10 s open and read time-outs, 1..30 s reconnect back-off, unpaced replay. */
    public static CaptureSettings defaults(String cameraId, String source) {
        return new CaptureSettings(cameraId, source, "tcp", 10_000, 10_000, 1_000, 30_000, 0, 20_000);
    }

    public SourceKind kind() {
        return SourceKind.of(source);
    }

    /** Hand-off mode: BLOCKING only for unpaced file replay. */
    public LatestFrameSlot.Mode handOff() {
        return kind() == SourceKind.FILE && replaySpeed <= 0 ? LatestFrameSlot.Mode.BLOCKING : LatestFrameSlot.Mode.LATEST;
    }
}
