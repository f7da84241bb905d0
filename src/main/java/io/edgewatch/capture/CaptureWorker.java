package io.edgewatch.capture;

import io.edgewatch.util.Redaction;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decodes one camera with a {@link FfmpegFrameReader} on its own thread and hands frames to a
 * {@link LatestFrameSlot}. Live sources are reopened after failures with capped exponential back-off and
 * jitter; a file source ends at its last frame. A failing camera only affects its own thread.
 * <p>
 * A watchdog (one virtual thread per camera) enforces the open time-out and detects stalls: an open live stream
 * that delivered no frame for {@link CaptureSettings#stallTimeoutMs()} is counted as a stall and reopened. For
 * RTSP over TCP (the default) FFmpeg reads through a loopback {@link StreamRelay}, which the watchdog closes to
 * break a connect, handshake or read that FFmpeg would otherwise wait on forever (a server that accepts and
 * never answers, a stream that stays connected but sends no video). A TLS source whose certificate is checked reads
 * through its reader's {@link TlsTunnel}, which the watchdog closes the same way. Other live sources rely on FFmpeg's
 * own socket time-outs; their stalls are counted.
 */
public final class CaptureWorker implements Runnable {
    private static final Logger LOG = Logger.getLogger(CaptureWorker.class);

    private final CaptureSettings settings;
    private final LatestFrameSlot slot;
    private final CaptureStats stats;
    private final long maxFrames;
    private volatile boolean stopped;
    private volatile Thread thread;
    private volatile StreamRelay relay;
    private volatile FfmpegFrameReader currentReader;
    private volatile long openStartedMs;
    private volatile long lastProgressMs;
    private volatile boolean opening;
    private volatile boolean streaming;
    private volatile String abortReason;
    private volatile FrameDemand demand = FrameDemand.EVERY_FRAME;
    private volatile int greyWidthPx;

    /**
     * @param maxFrames stop after this many decoded frames (0 = unlimited)
     */
    public CaptureWorker(CaptureSettings settings, LatestFrameSlot slot, CaptureStats stats, long maxFrames) {
        this.settings = settings;
        this.slot = slot;
        this.stats = stats;
        this.maxFrames = maxFrames;
    }

    /**
     * Sets which decoded frames are converted and handed over (by default every frame): the consumer's detection
     * schedule, so frames it would discard cost only their decoding. Callable before or during capture.
     */
    public void demand(FrameDemand demand) {
        this.demand = java.util.Objects.requireNonNull(demand, "demand");
    }

    /**
     * Asks for a small grey copy of every converted frame ({@link FfmpegFrameReader#greyCopy(int)}), {@code widthPx}
     * wide, 0 for none (the default): the consumer's motion detection. Takes effect at the next (re)connect; set it
     * before {@link #start()}.
     *
     * @throws IllegalArgumentException for a width other than 0 or 16..1920
     */
    public void greyCopy(int widthPx) {
        greyWidthPx = FfmpegFrameReader.checkedGreyWidth(widthPx); // refused here, not at the next connect
    }

    /**
     * Starts the capture on a new platform thread named {@code capture-<camera>}; a network camera whose TLS
     * certificate is not checked ({@code tls-verify=false}) is warned about here, once.
     */
    public Thread start() {
        SourceKind k = settings.kind();
        if (!settings.tls().verify() && (k == SourceKind.RTSP || k == SourceKind.NETWORK)) {
            LOG.warnf("camera %s: edgewatch.cameras.%s.tls-verify=false: its TLS certificate is not checked, anyone on the network"
                    + " path can pose as this camera", settings.cameraId(), settings.cameraId());
        }
        Thread t = new Thread(this, "capture-" + settings.cameraId());
        t.setDaemon(true);
        thread = t;
        t.start();
        if (settings.kind().live()) {
            Thread.ofVirtual().name("watchdog-" + settings.cameraId()).start(this::watchdog);
        }
        return t;
    }

    private void watchdog() {
        while (!stopped) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.currentTimeMillis();
            if (opening && now - openStartedMs > settings.openTimeoutMs()) {
                abort("open time-out: no stream within " + settings.openTimeoutMs() + " ms");
            } else if (streaming && now - lastProgressMs > settings.stallTimeoutMs()) {
                stats.stall();
                lastProgressMs = now; // one stall per time-out period when the stream cannot be broken
                LOG.warnf("camera %s: stalled, no frame for %d ms; reopening", settings.cameraId(), settings.stallTimeoutMs());
                abort("stalled: connected but no frame for " + settings.stallTimeoutMs() + " ms");
            }
        }
    }

    private void abort(String reason) {
        StreamRelay r = relay;
        FfmpegFrameReader rd = currentReader;
        if (r != null) {
            abortReason = reason;
            r.close();
        } else if (rd != null && rd.tunnelled()) {
            abortReason = reason;
            rd.abort();
        }
    }

    /** Asks the capture to stop; the slot is closed and a pending open or read is broken off. */
    public void stop() {
        stopped = true;
        abort("stopped");
        stats.state(CaptureState.STOPPED);
        slot.close();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    public CaptureStats stats() {
        return stats;
    }

    @Override
    public void run() {
        long seq = 0;
        long backoff = settings.reconnectMinMs();
        SourceKind kind = settings.kind();
        try {
            while (!stopped) {
                if (kind == SourceKind.FILE && !Files.isReadable(Path.of(settings.source()))) {
                    fail("camera " + settings.cameraId() + ": video file " + settings.source() + " does not exist or is not readable");
                    return;
                }
                boolean useRelay = kind == SourceKind.RTSP && "tcp".equals(settings.rtspTransport())
                        && settings.source().toLowerCase(java.util.Locale.ROOT).startsWith("rtsp://");
                abortReason = null;
                openStartedMs = System.currentTimeMillis();
                opening = true;
                try (StreamRelay r = useRelay ? new StreamRelay(settings.source(), (int) settings.openTimeoutMs()) : null;
                     FfmpegFrameReader reader = new FfmpegFrameReader(settings, seq, r != null ? r.localUrl(settings.source()) : settings.source())) {
                    relay = r;
                    currentReader = reader;
                    reader.greyCopy(greyWidthPx);
                    reader.open();
                    opening = false;
                    if (reader.width() > settings.maxFramePx() || reader.height() > settings.maxFramePx()) {
                        // refused before any frame is decoded: a hostile stream must not make FFmpeg allocate gigabytes
                        fail("camera " + settings.cameraId() + ": " + redact(settings.source()) + " declares " + reader.width() + "x"
                                + reader.height() + " frames, larger than edgewatch.capture.max-frame-px (" + settings.maxFramePx() + "x"
                                + settings.maxFramePx() + "); refused");
                        return;
                    }
                    lastProgressMs = System.currentTimeMillis();
                    streaming = kind.live();
                    LOG.infof("camera %s: opened %s (%dx%d, %.1f fps, codec %s)", settings.cameraId(), redact(settings.source()),
                            reader.width(), reader.height(), reader.frameRate(), reader.codec());
                    stats.state(CaptureState.STREAMING);
                    stats.error(null);
                    backoff = settings.reconnectMinMs();
                    double fileFps = reader.frameRate() > 0 ? reader.frameRate() : 25;
                    long t0 = System.nanoTime();
                    long paced = 0;
                    long corruptSeen = 0;
                    while (!stopped) {
                        FrameDemand want = demand;
                        if (want != FrameDemand.EVERY_FRAME) {
                            // a file handed over frame by frame: let the consumer judge the previous frame (it moves its
                            // schedule on) before this one is asked about, or nearly every frame would look wanted
                            slot.awaitTaken();
                        }
                        boolean more = reader.decode();
                        for (; corruptSeen < reader.corruptFrames(); corruptSeen++) {
                            stats.corrupt();
                        }
                        if (!more) {
                            break; // end of stream
                        }
                        if (kind == SourceKind.FILE && settings.replaySpeed() > 0) {
                            // paced before the consumer is asked about the frame: the previous frame was handed over
                            // just before this one was decoded, and asked at once the consumer's schedule would not
                            // have moved on yet (measured: 18 of 60 frames of a 10 fps
                            // replay at 5 rounds/s converted, then not due)
                            long due = t0 + (long) (paced++ * 1e9 / (fileFps * settings.replaySpeed()));
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        }
                        // a frame the consumer will not analyse (not due at its detection rate) is decoded, never converted
                        CapturedFrame frame = want.wanted(reader.decodedTimeMs()) ? reader.convert() : null;
                        if (frame == null) {
                            reader.skip();
                            stats.unconverted();
                        }
                        seq = reader.nextSeq();
                        lastProgressMs = System.currentTimeMillis();
                        stats.frame(reader.width(), reader.height());
                        if (frame != null && !slot.put(frame)) {
                            return;
                        }
                        if (maxFrames > 0 && seq >= maxFrames) {
                            end();
                            return;
                        }
                    }
                    if (kind == SourceKind.FILE) {
                        end();
                        return;
                    }
                    String why = abortReason != null ? abortReason : "stream ended";
                    LOG.warnf("camera %s: %s", settings.cameraId(), why);
                    stats.error(why);
                } catch (RuntimeException | java.io.IOException e) {
                    if (stopped) {
                        return;
                    }
                    String msg = "camera " + settings.cameraId() + ": cannot read " + redact(settings.source()) + ": "
                            + (kind == SourceKind.V4L2 && !java.nio.file.Files.exists(java.nio.file.Path.of(settings.source()))
                            ? "device " + settings.source() + " does not exist (camera unplugged, or DeviceAllow/--device missing)"
                            : abortReason != null ? abortReason
                            : relay != null && relay.upstreamError() != null ? relay.upstreamError()
                            : FfmpegLog.explain(relay == null || e.getMessage() == null ? e.getMessage()
                            // FFmpeg names the URL it opened: the camera's, not the agent's own loopback relay
                            : e.getMessage().replace(relay.localUrl(settings.source()), settings.source())));
                    msg = Redaction.text(msg); // FFmpeg's message repeats the URL it opened, with its user info
                    if (kind == SourceKind.FILE && stats.framesReceived() == 0) {
                        fail(msg);
                        return;
                    }
                    LOG.warn(msg);
                    stats.error(msg);
                } finally {
                    relay = null;
                    currentReader = null;
                    opening = false;
                    streaming = false;
                }
                if (kind == SourceKind.FILE) {
                    end();
                    return;
                }
                if (stopped) {
                    return;
                }
                // live source: reconnect with capped exponential back-off and +-20 % jitter
                stats.state(CaptureState.RECONNECTING);
                stats.reconnect();
                long delay = (long) (backoff * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
                LOG.infof("camera %s: reconnecting in %d ms", settings.cameraId(), delay);
                Thread.sleep(delay);
                backoff = Math.min(settings.reconnectMaxMs(), backoff * 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            slot.close();
        }
    }

    private void end() {
        stats.state(CaptureState.ENDED);
        slot.close();
    }

    private void fail(String msg) {
        msg = Redaction.text(msg);
        LOG.error(msg);
        stats.error(msg);
        stats.state(CaptureState.FAILED);
        slot.close();
    }

    /** Removes credentials from a URL before it is logged: {@link Redaction#url(String)}. */
    public static String redact(String source) {
        return Redaction.url(source);
    }

}
